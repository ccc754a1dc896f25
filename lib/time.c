/*
 * time.c: UTC milliseconds, ISO 8601 parsing and formatting, civil dates.
 *
 * The date arithmetic is Howard Hinnant's days_from_civil algorithm, so
 * no call depends on the process time zone (no mktime, no TZ).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "ecms_int.h"

int64_t
ecms__days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void
ecms__civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
	*m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

unsigned
ecms__days_in_month(int64_t y, unsigned m)
{
	static const unsigned dim[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	if (m < 1 || m > 12)
		return 0;
	return m == 2 && leap ? 29 : dim[m - 1];
}

bool
ecms__valid_date(int64_t y, unsigned m, unsigned d)
{
	return y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= ecms__days_in_month(y, m);
}

/* Read exactly n digits at *p into *v; advance *p. */
static bool
digits(const char **p, int n, int *v)
{
	int x = 0;

	for (int i = 0; i < n; i++) {
		char c = (*p)[i];
		if (c < '0' || c > '9')
			return false;
		x = x * 10 + (c - '0');
	}
	*p += n;
	*v = x;
	return true;
}

int
ecms_time_parse(const char *s, int64_t *ms, ecms_error *err)
{
	const char *p = s;
	int y, mo, d, h = 0, mi = 0, sec = 0, frac = 0, oh = 0, om = 0;
	int sign = 0;

	if (s == NULL)
		return ecms__fail(err, ECMS_EINVAL, NULL, "missing time");
	if (!digits(&p, 4, &y) || *p++ != '-' || !digits(&p, 2, &mo) || *p++ != '-' ||
	    !digits(&p, 2, &d))
		goto bad;
	if (!ecms__valid_date(y, (unsigned)mo, (unsigned)d))
		return ecms__fail(err, ECMS_EINVAL, NULL, "'%s' is not a valid date", s);
	if (*p == 'T' || *p == 't' || *p == ' ') {
		p++;
		if (!digits(&p, 2, &h) || *p++ != ':' || !digits(&p, 2, &mi))
			goto bad;
		if (*p == ':') {
			p++;
			if (!digits(&p, 2, &sec))
				goto bad;
			if (*p == '.' || *p == ',') {
				int n = 0;
				p++;
				if (*p < '0' || *p > '9')
					goto bad;
				while (*p >= '0' && *p <= '9') {
					if (n < 3)
						frac = frac * 10 + (*p - '0');
					n++;
					p++;
				}
				for (; n < 3; n++)
					frac *= 10;
			}
		}
		if (h > 23 || mi > 59 || sec > 60)
			goto bad;
		if (*p == 'Z' || *p == 'z') {
			p++;
		} else if (*p == '+' || *p == '-') {
			sign = *p == '+' ? 1 : -1;
			p++;
			if (!digits(&p, 2, &oh))
				goto bad;
			if (*p == ':')
				p++;
			if (!digits(&p, 2, &om) || oh > 23 || om > 59)
				goto bad;
		}
	}
	if (*p != '\0')
		goto bad;
	{
		int64_t days = ecms__days_from_civil(y, (unsigned)mo, (unsigned)d);
		int64_t t = ((days * 24 + h) * 60 + mi) * 60 + sec;
		t -= sign * (oh * 3600 + om * 60);
		*ms = t * 1000 + frac;
	}
	return ECMS_OK;
bad:
	return ecms__fail(err, ECMS_EINVAL, NULL,
			  "'%s' is not an ISO 8601 time (expected YYYY-MM-DD or "
			  "YYYY-MM-DDTHH:MM:SS[.mmm][Z|+HH:MM])",
			  s);
}

/* Write v as exactly n decimal digits at p. */
static char *
put_digits(char *p, int64_t v, int n)
{
	if (v < 0)
		v = -v;
	for (int i = n - 1; i >= 0; i--) {
		p[i] = (char)('0' + v % 10);
		v /= 10;
	}
	return p + n;
}

static void
split_ms(int64_t ms, int64_t *days, int *h, int *mi, int *s, int *frac)
{
	int64_t secs = ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
	int64_t rem;

	*frac = (int)(ms - secs * 1000);
	*days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
	rem = secs - *days * 86400;
	*h = (int)(rem / 3600);
	*mi = (int)(rem % 3600 / 60);
	*s = (int)(rem % 60);
}

char *
ecms_time_format(int64_t ms, char buf[ECMS_TIME_LEN])
{
	int64_t days;
	int h, mi, s, frac;
	char *p;

	split_ms(ms, &days, &h, &mi, &s, &frac);
	ecms_date_format(ms, buf);
	p = buf + 10;
	*p++ = 'T';
	p = put_digits(p, h, 2);
	*p++ = ':';
	p = put_digits(p, mi, 2);
	*p++ = ':';
	p = put_digits(p, s, 2);
	*p++ = '.';
	p = put_digits(p, frac, 3);
	*p++ = 'Z';
	*p = '\0';
	return buf;
}

char *
ecms_date_format(int64_t ms, char buf[11])
{
	int64_t days, y;
	unsigned m, d;
	int h, mi, s, frac;
	char *p;

	split_ms(ms, &days, &h, &mi, &s, &frac);
	ecms__civil_from_days(days, &y, &m, &d);
	p = put_digits(buf, y, 4);
	*p++ = '-';
	p = put_digits(p, m, 2);
	*p++ = '-';
	p = put_digits(p, d, 2);
	*p = '\0';
	return buf;
}

int64_t
ecms_clock_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
