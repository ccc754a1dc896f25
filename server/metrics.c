/*
 * metrics.c: request counters and latency histograms of `ecms serve`,
 * rendered in the Prometheus text exposition format (version 0.0.4):
 *   ecms_http_requests_total{route,method,status}     counter
 *   ecms_http_request_duration_seconds{route}          histogram
 *   ecms_events_total                                  counter (log head)
 * The route label is the route's pattern ("/api/v1/parts/{ipn}"), or
 * "unmatched" for paths no route has, so its values are a fixed set.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ecms/event.h"
#include "server.h"

static const char *const methods[SRV_NMETHODS] = { "GET",   "HEAD",   "POST",    "PUT",
						   "PATCH", "DELETE", "OPTIONS", "other" };
static const int statuses[SRV_NSTATUSES] = { 200, 201, 204, 400, 401, 403, 404, 405, 409,
					     413, 415, 422, 429, 500, 501, 503, 0 };
static const double bounds[SRV_NBUCKETS - 1] = { 0.005, 0.01, 0.025, 0.05, 0.1,
						 0.25,  0.5,  1,     2.5,  10 };

int
srv_metrics_init(struct srv_metrics *m)
{
	size_t nr;

	memset(m, 0, sizeof(*m));
	m->nroutes = srv_nroutes + 1;
	nr = (size_t)m->nroutes;
	m->count = calloc(nr * SRV_NMETHODS * SRV_NSTATUSES, sizeof(*m->count));
	m->bucket = calloc(nr * SRV_NBUCKETS, sizeof(*m->bucket));
	m->sum = calloc(nr, sizeof(*m->sum));
	m->n = calloc(nr, sizeof(*m->n));
	if (!m->count || !m->bucket || !m->sum || !m->n) {
		srv_metrics_cleanup(m);
		return ECMS_ENOMEM;
	}
	pthread_mutex_init(&m->mu, NULL);
	return ECMS_OK;
}

void
srv_metrics_cleanup(struct srv_metrics *m)
{
	if (m->count && m->bucket && m->sum && m->n)
		pthread_mutex_destroy(&m->mu);
	free(m->count);
	free(m->bucket);
	free(m->sum);
	free(m->n);
	memset(m, 0, sizeof(*m));
}

static int
method_index(const char *method)
{
	for (int i = 0; i < SRV_NMETHODS - 1; i++)
		if (strcmp(methods[i], method) == 0)
			return i;
	return SRV_NMETHODS - 1;
}

static int
status_index(int status)
{
	for (int i = 0; i < SRV_NSTATUSES - 1; i++)
		if (statuses[i] == status)
			return i;
	return SRV_NSTATUSES - 1;
}

void
srv_metrics_observe(struct srv_metrics *m, int route, const char *method, int status,
		    double seconds)
{
	int r = route < 0 || route >= srv_nroutes ? srv_nroutes : route, b = 0;
	size_t ci = ((size_t)r * SRV_NMETHODS + (size_t)method_index(method)) * SRV_NSTATUSES +
		    (size_t)status_index(status);

	while (b < SRV_NBUCKETS - 1 && seconds > bounds[b])
		b++;
	pthread_mutex_lock(&m->mu);
	m->count[ci]++;
	m->bucket[(size_t)r * SRV_NBUCKETS + (size_t)b]++;
	m->sum[r] += seconds;
	m->n[r]++;
	pthread_mutex_unlock(&m->mu);
}

static const char *
route_label(int r)
{
	return r < srv_nroutes ? srv_routes[r].path : "unmatched";
}

/* Append to a growing text; false on OOM (t is then freed). */
static bool add(char **t, size_t *len, size_t *cap, const char *fmt, ...) ECMS_PRINTF(4, 5);

static bool
add(char **t, size_t *len, size_t *cap, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(*t + *len, *cap - *len, fmt, ap);
		va_end(ap);
		if (n < 0)
			break;
		if ((size_t)n < *cap - *len) {
			*len += (size_t)n;
			return true;
		}
		char *nt = realloc(*t, *cap * 2 + (size_t)n);
		if (nt == NULL)
			break;
		*t = nt;
		*cap = *cap * 2 + (size_t)n;
	}
	free(*t);
	*t = NULL;
	return false;
}

char *
srv_metrics_render(struct srv_metrics *m, ecms *h, size_t *len)
{
	size_t cap = 4096;
	char *t = malloc(cap), hash[65];
	int64_t seq = 0;
	bool ok = t != NULL;

	*len = 0;
	if (ok)
		t[0] = '\0';
	ok = ok && add(&t, len, &cap,
		       "# HELP ecms_http_requests_total HTTP requests answered, by route, "
		       "method and status.\n"
		       "# TYPE ecms_http_requests_total counter\n");
	pthread_mutex_lock(&m->mu);
	for (int r = 0; ok && r < m->nroutes; r++)
		for (int k = 0; ok && k < SRV_NMETHODS; k++)
			for (int s = 0; ok && s < SRV_NSTATUSES; s++) {
				uint64_t v = m->count[((size_t)r * SRV_NMETHODS + (size_t)k) *
							      SRV_NSTATUSES +
						      (size_t)s];
				if (v == 0)
					continue;
				if (statuses[s])
					ok = add(&t, len, &cap,
						 "ecms_http_requests_total{route=\"%s\",method="
						 "\"%s\",status=\"%d\"} %llu\n",
						 route_label(r), methods[k], statuses[s],
						 (unsigned long long)v);
				else
					ok = add(&t, len, &cap,
						 "ecms_http_requests_total{route=\"%s\",method="
						 "\"%s\",status=\"other\"} %llu\n",
						 route_label(r), methods[k], (unsigned long long)v);
			}
	ok = ok && add(&t, len, &cap,
		       "# HELP ecms_http_request_duration_seconds Time from a request's first "
		       "byte to its response's last, by route.\n"
		       "# TYPE ecms_http_request_duration_seconds histogram\n");
	for (int r = 0; ok && r < m->nroutes; r++) {
		uint64_t cum = 0;
		if (m->n[r] == 0)
			continue;
		for (int b = 0; ok && b < SRV_NBUCKETS; b++) {
			cum += m->bucket[(size_t)r * SRV_NBUCKETS + (size_t)b];
			if (b < SRV_NBUCKETS - 1)
				ok = add(&t, len, &cap,
					 "ecms_http_request_duration_seconds_bucket{route=\"%s\","
					 "le=\"%g\"} %llu\n",
					 route_label(r), bounds[b], (unsigned long long)cum);
			else
				ok = add(&t, len, &cap,
					 "ecms_http_request_duration_seconds_bucket{route=\"%s\","
					 "le=\"+Inf\"} %llu\n",
					 route_label(r), (unsigned long long)cum);
		}
		ok = ok &&
		     add(&t, len, &cap,
			 "ecms_http_request_duration_seconds_sum{route=\"%s\"} %.6f\n"
			 "ecms_http_request_duration_seconds_count{route=\"%s\"} %llu\n",
			 route_label(r), m->sum[r], route_label(r), (unsigned long long)m->n[r]);
	}
	pthread_mutex_unlock(&m->mu);
	if (ok && h && ecms_log_head(h, &seq, hash) == ECMS_OK)
		ok = add(&t, len, &cap,
			 "# HELP ecms_events_total Events appended to the event log (its head "
			 "sequence number).\n"
			 "# TYPE ecms_events_total counter\n"
			 "ecms_events_total %lld\n",
			 (long long)seq);
	return ok ? t : NULL;
}
