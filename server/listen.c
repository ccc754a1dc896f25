/*
 * listen.c: the libmicrohttpd daemon of `ecms serve`: reading requests
 * into struct srv_req, sending struct srv_resp, signals and shutdown.
 *
 * Threading model. The daemon runs with MHD_USE_AUTO_INTERNAL_THREAD and
 * a thread pool (MHD_OPTION_THREAD_POOL_SIZE, --threads, default 4):
 * a fixed number of worker threads, each running its own poll/epoll loop
 * over the connections it accepted; every callback for a connection runs
 * on the thread that owns it. Chosen over thread-per-connection because
 * the work is bounded: at most N requests run libecms code at once, so at
 * most N store handles and N concurrent Argon2id checks (64 MiB each) can
 * exist, whatever the number of clients; idle and slow clients cost a
 * socket, not a thread. The price: a slow handler (a login, a large
 * import) delays the other connections of its own worker; --threads is
 * the knob.
 *
 * libecms handles are not thread-safe. A callback takes a handle from the
 * pool (pool.c) for the length of one call into the dispatcher and gives
 * it back before returning; no handle is held while a body is being
 * received. Each thread holds at most one handle at a time, so a pool of
 * N handles never makes anyone wait. SQLite in WAL mode lets the handles
 * read concurrently; writes serialise on BEGIN IMMEDIATE (busy timeout).
 * Shared server state is the metrics (a mutex) and the in-flight count
 * (a mutex and condition variable below).
 *
 * Shutdown. SIGTERM and SIGINT are blocked in every thread and taken by
 * sigwait() in the main thread. Then MHD_quiesce_daemon() closes the
 * listening socket (new connections are refused), the main thread waits
 * until every request already begun has been answered and its response
 * sent (at most SRV_SHUTDOWN_GRACE_MS), and MHD_stop_daemon() joins the
 * workers. Every write is one libecms transaction, so an interrupted
 * request leaves nothing half-written in any case.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "server.h"

struct daemon_state {
	struct srv srv;
	pthread_mutex_t mu;
	pthread_cond_t idle; /* signalled when inflight drops */
	int inflight;        /* requests begun and not yet completed */
};

/* One request on a connection (MHD's con_cls). */
struct conn {
	struct srv_req req;
	struct srv_resp resp;
	struct timespec start;
	bool begun, responded;
};

static double
elapsed_s(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

/* MHD would percent-decode the path before we split it into segments;
 * keep it raw (routes.c decodes each segment, handlers the query). */
static size_t
keep_escaped(void *cls, struct MHD_Connection *c, char *s)
{
	return strlen(s);
}

static char *
dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

static enum MHD_Result
collect_arg(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	srv_req_add_arg(cls, key, value);
	return MHD_YES;
}

static char *
client_address(struct MHD_Connection *mc)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(mc, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	char buf[INET6_ADDRSTRLEN] = "unknown";

	if (ci && ci->client_addr) {
		const struct sockaddr *sa = ci->client_addr;
		if (sa->sa_family == AF_INET)
			inet_ntop(AF_INET,
				  &((const struct sockaddr_in *)(const void *)sa)->sin_addr, buf,
				  sizeof(buf));
		else if (sa->sa_family == AF_INET6)
			inet_ntop(AF_INET6,
				  &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, buf,
				  sizeof(buf));
	}
	return strdup(buf);
}

static bool
read_request(struct MHD_Connection *mc, const char *url, const char *method, struct srv_req *r)
{
	const char *cl;

	srv_req_init(r);
	r->method = strdup(method);
	r->path = strdup(url);
	r->query = json_object();
	r->authorization = dup_or_null(
		MHD_lookup_connection_value(mc, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION));
	r->session_cookie =
		dup_or_null(MHD_lookup_connection_value(mc, MHD_COOKIE_KIND, SRV_SESSION_COOKIE));
	r->csrf = dup_or_null(MHD_lookup_connection_value(mc, MHD_HEADER_KIND, SRV_CSRF_HEADER));
	r->content_type = dup_or_null(
		MHD_lookup_connection_value(mc, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE));
	r->address = client_address(mc);
	cl = MHD_lookup_connection_value(mc, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
	if (cl) {
		char *end;
		long long n = strtoll(cl, &end, 10);
		r->content_length = *cl && !*end && n >= 0 ? n : -1;
	}
	if (!r->method || !r->path || !r->query || !r->address)
		return false;
	MHD_get_connection_values(mc, MHD_GET_ARGUMENT_KIND, collect_arg, r);
	return true;
}

static enum MHD_Result
send_response(struct daemon_state *d, struct MHD_Connection *mc, struct conn *k)
{
	struct MHD_Response *mr;
	enum MHD_Result ret;

	mr = MHD_create_response_from_buffer(k->resp.len, k->resp.body ? k->resp.body : "",
					     MHD_RESPMEM_MUST_COPY);
	if (mr == NULL)
		return MHD_NO;
	if (k->resp.ctype)
		MHD_add_response_header(mr, MHD_HTTP_HEADER_CONTENT_TYPE, k->resp.ctype);
	MHD_add_response_header(mr, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	MHD_add_response_header(mr, "X-Content-Type-Options", "nosniff");
	for (int i = 0; i < k->resp.nheaders; i++)
		MHD_add_response_header(mr, k->resp.headers[i].name, k->resp.headers[i].value);
	if (atomic_load(&d->srv.stopping))
		MHD_add_response_header(mr, MHD_HTTP_HEADER_CONNECTION, "close");
	ret = MHD_queue_response(mc, (unsigned)k->resp.status, mr);
	MHD_destroy_response(mr);
	k->responded = ret == MHD_YES;
	return ret;
}

static enum MHD_Result
on_access(void *cls, struct MHD_Connection *mc, const char *url, const char *method,
	  const char *version, const char *upload_data, size_t *upload_data_size, void **con_cls)
{
	struct daemon_state *d = cls;
	struct conn *k = *con_cls;

	if (k == NULL) {
		if ((k = calloc(1, sizeof(*k))) == NULL)
			return MHD_NO;
		clock_gettime(CLOCK_MONOTONIC, &k->start);
		*con_cls = k;
		pthread_mutex_lock(&d->mu);
		d->inflight++;
		pthread_mutex_unlock(&d->mu);
		k->begun = true;
		if (!read_request(mc, url, method, &k->req))
			return MHD_NO;
		if (srv_begin(&d->srv, &k->req, &k->resp))
			return send_response(d, mc, k);
		return MHD_YES;
	}
	if (*upload_data_size) {
		if (!k->responded)
			srv_body_add(&k->req, upload_data, *upload_data_size);
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (k->responded)
		return MHD_YES;
	srv_finish(&d->srv, &k->req, &k->resp);
	return send_response(d, mc, k);
}

static void
on_completed(void *cls, struct MHD_Connection *mc, void **con_cls,
	     enum MHD_RequestTerminationCode toe)
{
	struct daemon_state *d = cls;
	struct conn *k = *con_cls;
	double secs;

	if (k == NULL)
		return;
	*con_cls = NULL;
	secs = elapsed_s(&k->start);
	if (k->responded) {
		srv_metrics_observe(&d->srv.metrics, k->req.route, k->req.method, k->resp.status,
				    secs);
		fprintf(stderr, "ecms serve: %s %s %d %.1f ms %s%s\n", k->req.method, k->req.path,
			k->resp.status, secs * 1000, k->req.authed ? k->req.who.actor : "-",
			toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " (not completed)");
	}
	srv_req_cleanup(&k->req);
	srv_resp_cleanup(&k->resp);
	if (k->begun) {
		pthread_mutex_lock(&d->mu);
		d->inflight--;
		pthread_cond_broadcast(&d->idle);
		pthread_mutex_unlock(&d->mu);
	}
	free(k);
}

static void
log_mhd(void *cls, const char *fmt, va_list ap)
{
	fputs("ecms serve: httpd: ", stderr);
	vfprintf(stderr, fmt, ap);
}

static int
bad_listen(const char *spec)
{
	fprintf(stderr, "ecms serve: --listen '%s': expected ADDR:PORT or [IPV6]:PORT\n", spec);
	return ECMS_EUSAGE;
}

/* "HOST:PORT" or "[V6]:PORT" to a socket address. */
static int
parse_listen(const char *spec, struct sockaddr_storage *ss, socklen_t *len, bool *v6)
{
	char host[256];
	const char *port;
	struct addrinfo hints = { 0 }, *ai = NULL;
	size_t hl;
	int e;

	if (spec[0] == '[') {
		const char *rb = strchr(spec, ']');
		if (rb == NULL || rb[1] != ':')
			return bad_listen(spec);
		hl = (size_t)(rb - spec - 1);
		port = rb + 2;
		spec++;
	} else {
		const char *colon = strrchr(spec, ':');
		if (colon == NULL)
			return bad_listen(spec);
		hl = (size_t)(colon - spec);
		port = colon + 1;
	}
	if (hl == 0 || hl >= sizeof(host) || !*port || strspn(port, "0123456789") != strlen(port) ||
	    strtol(port, NULL, 10) > 65535)
		return bad_listen(spec);
	memcpy(host, spec, hl);
	host[hl] = '\0';
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICSERV;
	if ((e = getaddrinfo(host, port, &hints, &ai)) != 0) {
		fprintf(stderr, "ecms serve: --listen %s: %s\n", host, gai_strerror(e));
		return ECMS_EUSAGE;
	}
	memcpy(ss, ai->ai_addr, ai->ai_addrlen);
	*len = ai->ai_addrlen;
	*v6 = ai->ai_family == AF_INET6;
	freeaddrinfo(ai);
	return ECMS_OK;
}

/* Wait until no request is in flight, or the grace period is over.
 * Returns the number still in flight. */
static int
drain(struct daemon_state *d)
{
	struct timespec until;
	int left;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += SRV_SHUTDOWN_GRACE_MS / 1000;
	pthread_mutex_lock(&d->mu);
	while (d->inflight > 0)
		if (pthread_cond_timedwait(&d->idle, &d->mu, &until) == ETIMEDOUT)
			break;
	left = d->inflight;
	pthread_mutex_unlock(&d->mu);
	return left;
}

int
srv_serve(const struct srv_config *cfg)
{
	struct daemon_state d;
	struct sockaddr_storage ss;
	socklen_t sslen;
	struct MHD_Daemon *mhd;
	const union MHD_DaemonInfo *info;
	sigset_t sigs;
	ecms_error e = { 0 };
	ecms *h;
	MHD_socket lsock;
	bool v6 = false;
	int rc, sig = 0, threads = cfg->threads, left;
	unsigned flags;

	if (threads < 1 || threads > SRV_MAX_THREADS) {
		fprintf(stderr, "ecms serve: --threads %d: expected 1 to %d\n", threads,
			SRV_MAX_THREADS);
		return ECMS_EUSAGE;
	}
	if ((rc = parse_listen(cfg->listen, &ss, &sslen, &v6)))
		return rc;
	memset(&d, 0, sizeof(d));
	if ((rc = srv_init(&d.srv, cfg->db, threads, cfg->secure_cookie)))
		return rc;
	/* Fail now, not at the first request, if the store is not usable. */
	if ((rc = srv_pool_get(&d.srv.pool, &h, &e))) {
		fprintf(stderr, "ecms serve: %s\n", e.message);
		srv_cleanup(&d.srv);
		return rc;
	}
	srv_pool_put(&d.srv.pool, h);
	pthread_mutex_init(&d.mu, NULL);
	pthread_cond_init(&d.idle, NULL);

	/* Block the stop signals in every thread; the main thread waits for them. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);

	flags = MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG;
	if (v6)
		flags |= MHD_USE_IPv6;
	errno = 0;
	/* clang-format off */
	mhd = MHD_start_daemon(flags, 0, NULL, NULL, on_access, &d,
		MHD_OPTION_EXTERNAL_LOGGER, log_mhd, NULL,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
		MHD_OPTION_THREAD_POOL_SIZE, (unsigned)threads,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, &d,
		MHD_OPTION_UNESCAPE_CALLBACK, keep_escaped, NULL,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)60,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned)(64 * threads),
		MHD_OPTION_END);
	/* clang-format on */
	if (mhd == NULL) {
		fprintf(stderr, "ecms serve: cannot listen on %s: %s\n", cfg->listen,
			errno ? strerror(errno) : "the HTTP daemon did not start");
		rc = ECMS_EIO;
		goto out;
	}
	info = MHD_get_daemon_info(mhd, MHD_DAEMON_INFO_BIND_PORT);
	{
		char host[INET6_ADDRSTRLEN] = "?";
		if (v6)
			inet_ntop(AF_INET6, &((struct sockaddr_in6 *)(void *)&ss)->sin6_addr, host,
				  sizeof(host));
		else
			inet_ntop(AF_INET, &((struct sockaddr_in *)(void *)&ss)->sin_addr, host,
				  sizeof(host));
		printf("ecms serve: listening on http://%s%s%s:%u (%s, %d threads)\n",
		       v6 ? "[" : "", host, v6 ? "]" : "", info ? (unsigned)info->port : 0, cfg->db,
		       threads);
		fflush(stdout);
	}
	while (sigwait(&sigs, &sig) != 0)
		;
	fprintf(stderr, "ecms serve: %s: stopping: no new connections, finishing requests\n",
		sig == SIGINT ? "SIGINT" : "SIGTERM");
	atomic_store(&d.srv.stopping, 1);
	lsock = MHD_quiesce_daemon(mhd);
	left = drain(&d);
	if (left)
		fprintf(stderr, "ecms serve: %d request%s still running after %d s: closing\n",
			left, left == 1 ? "" : "s", SRV_SHUTDOWN_GRACE_MS / 1000);
	MHD_stop_daemon(mhd);
	if (lsock != MHD_INVALID_SOCKET)
		close(lsock);
	fprintf(stderr, "ecms serve: stopped\n");
	rc = ECMS_OK;
out:
	/* The stop signals stay blocked: a second one must not kill the
	 * process on its way out. */
	pthread_cond_destroy(&d.idle);
	pthread_mutex_destroy(&d.mu);
	srv_cleanup(&d.srv);
	return rc;
}
