-- 006_server: the state of `ecms serve`: login sessions, API tokens and
-- failed logins (session.c). Secrets are kept only as SHA-256 hashes of
-- 256-bit random values; the values themselves are shown once.

-- A browser session. token_sha256 and csrf_sha256 are the hex SHA-256 of
-- the cookie value and of the CSRF token handed out at login. Sessions
-- are working state, not events: logging in changes no business record.
CREATE TABLE sessions (
	token_sha256 TEXT PRIMARY KEY,
	user_id TEXT NOT NULL REFERENCES users (id),
	csrf_sha256 TEXT NOT NULL,
	address TEXT NOT NULL,
	created_ms {BIGINT} NOT NULL,
	expires_ms {BIGINT} NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_ms);

-- API tokens for machines and integrations, created and revoked by an
-- admin (events token.created, token.revoked). Names are unique for all
-- time, so "token:NAME" names one token in the event log.
CREATE TABLE api_tokens (
	id {BIGINT} PRIMARY KEY,
	name TEXT NOT NULL UNIQUE,
	role TEXT NOT NULL,
	token_sha256 TEXT NOT NULL UNIQUE,
	created_ms {BIGINT} NOT NULL,
	created_by TEXT NOT NULL,
	expires_ms {BIGINT},
	revoked_ms {BIGINT},
	revoked_by TEXT,
	created_seq {BIGINT} NOT NULL,
	updated_seq {BIGINT} NOT NULL
);

-- Failed logins, for rate limiting per user and per client address.
-- Rows older than the window are purged at the next login.
CREATE TABLE login_failures (
	user_id TEXT NOT NULL,
	address TEXT NOT NULL,
	at_ms {BIGINT} NOT NULL
);
CREATE INDEX login_failures_user ON login_failures (user_id, at_ms);
CREATE INDEX login_failures_address ON login_failures (address, at_ms);
