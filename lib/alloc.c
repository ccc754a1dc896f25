/*
 * alloc.c: the allocator layer of libecms.
 *
 * Every allocation in the library goes through here, so tests can fail
 * the Nth one and check that each error path returns ECMS_ENOMEM and
 * leaks nothing (the ASan build reports leaks).
 */
#include <stdlib.h>
#include <string.h>

#include "ecms_int.h"

/* Per thread: `ecms serve` allocates on several threads at once, and a
 * test injects failures into the allocations of its own thread. */
static _Thread_local long alloc_count;
static _Thread_local long alloc_fail_at; /* 0: never fail */

static bool
alloc_should_fail(void)
{
	alloc_count++;
	return alloc_fail_at > 0 && alloc_count >= alloc_fail_at;
}

long
ecms__alloc_fail_after(long n)
{
	long made = alloc_count;

	alloc_count = 0;
	alloc_fail_at = n;
	return made;
}

void *
ecms__malloc(size_t n)
{
	if (alloc_should_fail())
		return NULL;
	return malloc(n ? n : 1);
}

void *
ecms__calloc(size_t n, size_t size)
{
	if (alloc_should_fail())
		return NULL;
	return calloc(n ? n : 1, size ? size : 1);
}

void *
ecms__realloc(void *p, size_t n)
{
	if (alloc_should_fail())
		return NULL;
	return realloc(p, n ? n : 1);
}

char *
ecms__strndup(const char *s, size_t n)
{
	char *d;

	if (s == NULL)
		return NULL;
	d = ecms__malloc(n + 1);
	if (d == NULL)
		return NULL;
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

char *
ecms__strdup(const char *s)
{
	return s ? ecms__strndup(s, strlen(s)) : NULL;
}

void
ecms__free(void *p)
{
	free(p);
}

void
ecms_free(void *p)
{
	free(p);
}
