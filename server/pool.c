/*
 * pool.c: the pool of store handles `ecms serve` shares between its
 * worker threads (see server.h for the rules). A handle is used by one
 * thread at a time: taken with srv_pool_get, given back with
 * srv_pool_put, never kept across two calls into the dispatcher.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server.h"

int
srv_pool_init(struct srv_pool *p, const char *db, int max)
{
	memset(p, 0, sizeof(*p));
	p->max = max < 1 ? 1 : max;
	p->db = strdup(db);
	p->idle = calloc((size_t)p->max, sizeof(*p->idle));
	if (p->db == NULL || p->idle == NULL) {
		free(p->db);
		free(p->idle);
		return ECMS_ENOMEM;
	}
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv, NULL);
	return ECMS_OK;
}

void
srv_pool_cleanup(struct srv_pool *p)
{
	for (int i = 0; i < p->nidle; i++)
		ecms_close(p->idle[i]);
	free(p->idle);
	free(p->db);
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->cv);
	memset(p, 0, sizeof(*p));
}

int
srv_pool_get(struct srv_pool *p, ecms **out, ecms_error *err)
{
	ecms *h = NULL;
	int rc;

	*out = NULL;
	pthread_mutex_lock(&p->mu);
	while (p->nidle == 0 && p->nopen >= p->max)
		pthread_cond_wait(&p->cv, &p->mu);
	if (p->nidle > 0) {
		*out = p->idle[--p->nidle];
		pthread_mutex_unlock(&p->mu);
		return ECMS_OK;
	}
	p->nopen++; /* reserve the slot, open outside the lock */
	pthread_mutex_unlock(&p->mu);

	rc = ecms_open(p->db, 0, &h);
	if (rc) {
		if (err) {
			err->rc = rc;
			err->field[0] = '\0';
			snprintf(err->message, sizeof(err->message), "%s",
				 h ? ecms_errmsg(h) : "out of memory opening the store");
		}
		ecms_close(h);
		pthread_mutex_lock(&p->mu);
		p->nopen--;
		pthread_cond_signal(&p->cv);
		pthread_mutex_unlock(&p->mu);
		return rc;
	}
	*out = h;
	return ECMS_OK;
}

void
srv_pool_put(struct srv_pool *p, ecms *h)
{
	if (h == NULL)
		return;
	if (ecms_set_actor(h, NULL, NULL) != ECMS_OK) {
		/* Cannot happen (NULL always fits); do not reuse it if it did. */
		ecms_close(h);
		pthread_mutex_lock(&p->mu);
		p->nopen--;
		pthread_cond_signal(&p->cv);
		pthread_mutex_unlock(&p->mu);
		return;
	}
	pthread_mutex_lock(&p->mu);
	p->idle[p->nidle++] = h;
	pthread_cond_signal(&p->cv);
	pthread_mutex_unlock(&p->mu);
}
