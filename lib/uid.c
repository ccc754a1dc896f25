/*
 * uid.c: unique package IDs: Crockford base 32 of a sequence number with
 * a prefix and a GF(32) check character (the format is in ecms/uid.h).
 */
#include <stdio.h>
#include <string.h>

#include "ecms_int.h"
#include "ecms/uid.h"

#define PREFIX_LEN (sizeof(ECMS_UID_PREFIX) - 1)
#define BODY_MAX   13 /* base-32 digits of UINT64_MAX */

static const char crockford[32] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/* The value of a Crockford digit, aliases and lower case included, or -1. */
static int
digit_value(unsigned char c)
{
	if (c >= 'a' && c <= 'z')
		c = (unsigned char)(c - 'a' + 'A');
	switch (c) {
	case 'O':
		return 0;
	case 'I':
	case 'L':
		return 1;
	case 'U':
		return -1;
	default:
		break;
	}
	for (int i = 0; i < 32; i++)
		if (crockford[i] == (char)c)
			return i;
	return -1;
}

/* Multiply by the generator x in GF(32) = GF(2)[x] / (x^5 + x^2 + 1). */
static unsigned
gf32_mul2(unsigned v)
{
	v <<= 1;
	if (v & 0x20)
		v ^= 0x25;
	return v;
}

/* One step of the check: h * x + d. Over a whole UID body plus check
 * character the result is 0. */
static unsigned
check_step(unsigned h, unsigned d)
{
	return gf32_mul2(h) ^ d;
}

char *
ecms_uid_format(uint64_t seq, char out[ECMS_UID_MAX])
{
	char digits[BODY_MAX];
	size_t n = 0, pos = PREFIX_LEN;
	unsigned h = 0;

	do {
		digits[n++] = crockford[seq & 31];
		seq >>= 5;
	} while (seq);
	while (n < ECMS_UID_DIGITS)
		digits[n++] = '0';
	memcpy(out, ECMS_UID_PREFIX, PREFIX_LEN);
	while (n > 0) {
		char c = digits[--n];
		out[pos++] = c;
		h = check_step(h, (unsigned)digit_value((unsigned char)c));
	}
	/* The check digit c makes check_step(h, c) == 0. */
	out[pos++] = crockford[gf32_mul2(h)];
	out[pos] = '\0';
	return out;
}

static bool
is_trim_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static bool
is_alnum(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/* Strip the whitespace around text and an AIM symbology identifier
 * ("]d1", "]C0", ...) in front; the rest is [*start, *start + *len). */
static void
trim_scan(const char *text, const char **start, size_t *len)
{
	const char *s = text, *e = text + strlen(text);

	while (s < e && is_trim_space(*s))
		s++;
	while (e > s && is_trim_space(e[-1]))
		e--;
	if (e - s >= 3 && s[0] == ']' && is_alnum(s[1]) && is_alnum(s[2]))
		s += 3;
	*start = s;
	*len = (size_t)(e - s);
}

static bool
has_prefix(const char *s, size_t len)
{
	if (len < PREFIX_LEN)
		return false;
	for (size_t i = 0; i < PREFIX_LEN; i++) {
		char c = s[i];
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if (c != ECMS_UID_PREFIX[i])
			return false;
	}
	return true;
}

/* A printable copy of the input for messages: at most 40 characters,
 * bytes outside printable ASCII as \xNN, "..." when cut. */
static void
quote_input(const char *text, char *out, size_t size)
{
	size_t o = 0, i;

	for (i = 0; text[i] && i < 40; i++) {
		unsigned char c = (unsigned char)text[i];
		if (o + 8 >= size)
			break;
		if (c >= 0x20 && c < 0x7f && c != '\\' && c != '\'')
			out[o++] = (char)c;
		else
			o += (size_t)snprintf(out + o, size - o, "\\x%02X", c);
	}
	if (text[i] && o + 4 < size) {
		memcpy(out + o, "...", 3);
		o += 3;
	}
	out[o] = '\0';
}

bool
ecms_uid_looks_like(const char *text)
{
	const char *s;
	size_t len;

	if (text == NULL)
		return false;
	trim_scan(text, &s, &len);
	if (len < ECMS_UID_LEN || len > PREFIX_LEN + BODY_MAX + 1 || !has_prefix(s, len))
		return false;
	for (size_t i = PREFIX_LEN; i < len; i++)
		if (digit_value((unsigned char)s[i]) < 0)
			return false;
	return true;
}

int
ecms_uid_parse(const char *text, uint64_t *seq, ecms_error *err)
{
	char q[200];
	const char *s;
	size_t len, ndig, i;
	uint64_t v = 0;
	unsigned h = 0;
	int d;

	if (text == NULL)
		return ecms__fail(err, ECMS_EINVAL, "uid", "no package ID given");
	quote_input(text, q, sizeof(q));
	trim_scan(text, &s, &len);
	if (len == 0)
		return ecms__fail(err, ECMS_EINVAL, "uid",
				  "empty package ID: expected %s followed by %d characters",
				  ECMS_UID_PREFIX, ECMS_UID_LEN - (int)PREFIX_LEN);
	if (!has_prefix(s, len))
		return ecms__fail(err, ECMS_EINVAL, "uid",
				  "'%s' is not an ecms package ID (they start with %s)", q,
				  ECMS_UID_PREFIX);
	for (i = PREFIX_LEN; i < len; i++) {
		if (digit_value((unsigned char)s[i]) >= 0)
			continue;
		if ((unsigned char)s[i] >= 0x20 && (unsigned char)s[i] < 0x7f)
			return ecms__fail(err, ECMS_EINVAL, "uid",
					  "'%s': character '%c' at position %zu is not allowed "
					  "in an ecms package ID (digits and letters except U)",
					  q, s[i], i + 1);
		return ecms__fail(err, ECMS_EINVAL, "uid",
				  "'%s': byte 0x%02X at position %zu is not allowed in an "
				  "ecms package ID (digits and letters except U)",
				  q, (unsigned char)s[i], i + 1);
	}
	if (len < ECMS_UID_LEN || len > PREFIX_LEN + BODY_MAX + 1)
		return ecms__fail(err, ECMS_EINVAL, "uid",
				  "'%s' has %zu characters; an ecms package ID has %d "
				  "(%s, %d digits, 1 check character), up to %d for very "
				  "large numbers",
				  q, len, ECMS_UID_LEN, ECMS_UID_PREFIX, ECMS_UID_DIGITS,
				  (int)(PREFIX_LEN + BODY_MAX + 1));
	ndig = len - PREFIX_LEN - 1;
	for (i = 0; i < ndig; i++) {
		d = digit_value((unsigned char)s[PREFIX_LEN + i]);
		if (v > (UINT64_MAX >> 5))
			return ecms__fail(err, ECMS_EINVAL, "uid",
					  "'%s': number too large for an ecms package ID", q);
		v = (v << 5) | (uint64_t)d;
		h = check_step(h, (unsigned)d);
	}
	if (ndig > ECMS_UID_DIGITS && digit_value((unsigned char)s[PREFIX_LEN]) == 0)
		return ecms__fail(err, ECMS_EINVAL, "uid",
				  "'%s' has %zu characters but a leading zero; an ecms "
				  "package ID has %d unless its number needs more digits",
				  q, len, ECMS_UID_LEN);
	d = digit_value((unsigned char)s[len - 1]);
	if (check_step(h, (unsigned)d) != 0)
		return ecms__fail(err, ECMS_EINVAL, "uid",
				  "'%s': check character mismatch: mistyped or misread", q);
	*seq = v;
	return ECMS_OK;
}
