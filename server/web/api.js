// api.js: the JSON API of ecms serve, for the screens. The session is the
// HttpOnly cookie set at login; unsafe requests echo the CSRF token the
// login returned (kept in sessionStorage: it dies with the tab).

export class ApiError extends Error {
	constructor(status, err) {
		super(err && err.message ? err.message : `HTTP ${status}`);
		this.status = status;
		this.code = err && err.code;
		this.field = err && err.field;
		this.detail = err || null; // the whole error object (a NO-GO's verdict)
	}
}

const CSRF = "ecms.csrf";
let onUnauthenticated = () => {};

export function setUnauthenticatedHandler(fn) {
	onUnauthenticated = fn;
}

export async function call(method, path, body) {
	const headers = { Accept: "application/json" };
	const opts = { method, headers, credentials: "same-origin" };
	if (body !== undefined) {
		headers["Content-Type"] = "application/json";
		opts.body = JSON.stringify(body);
	}
	if (method !== "GET" && method !== "HEAD") {
		const t = sessionStorage.getItem(CSRF);
		if (t) headers["X-CSRF-Token"] = t;
	}
	const res = await fetch("/api/v1" + path, opts);
	const text = res.status === 204 ? "" : await res.text();
	let data = null;
	if (text) {
		try {
			data = JSON.parse(text);
		} catch {
			throw new ApiError(res.status, { code: "bad_reply", message: text.slice(0, 200) });
		}
	}
	if (!res.ok) {
		const err = new ApiError(res.status, data && data.error);
		if (res.status === 401 && path !== "/login") onUnauthenticated(err);
		throw err;
	}
	return data;
}

export const get = (path) => call("GET", path);
export const post = (path, body) => call("POST", path, body || {});

// Path segments and query values, percent-encoded.
export const seg = (s) => encodeURIComponent(s);
export function query(args) {
	const q = Object.entries(args).filter(([, v]) => v !== undefined && v !== null && v !== "");
	return q.length ? "?" + q.map(([k, v]) => `${seg(k)}=${seg(v)}`).join("&") : "";
}

export async function login(user, password) {
	const r = await call("POST", "/login", { user, password });
	sessionStorage.setItem(CSRF, r.csrf_token);
	return r;
}

export async function logout() {
	try {
		await call("POST", "/logout");
	} finally {
		sessionStorage.removeItem(CSRF);
	}
}

export const me = () => get("/me");
