// ui.js: small DOM helpers shared by the screens (no framework).

// h("div", {class: "x", onclick: fn}, child, "text", [more]) -> element
export function h(tag, attrs, ...kids) {
	const el = document.createElement(tag);
	for (const [k, v] of Object.entries(attrs || {})) {
		if (v === undefined || v === null || v === false) continue;
		if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
		else if (k === "class") el.className = v;
		else if (v === true) el.setAttribute(k, "");
		else el.setAttribute(k, v);
	}
	append(el, kids);
	return el;
}

function append(el, kids) {
	for (const k of kids.flat(Infinity)) {
		if (k === undefined || k === null || k === false) continue;
		el.append(k instanceof Node ? k : document.createTextNode(String(k)));
	}
}

// Replace the children of el.
export function fill(el, ...kids) {
	el.replaceChildren();
	append(el, kids);
	return el;
}

// A table of rows (objects) with columns [{key, title, num, fmt(row)}].
export function table(rows, cols, opts = {}) {
	if (!rows || rows.length === 0) return h("p", { class: "muted" }, opts.empty || "Nothing to show.");
	return h("div", { class: "scroll" },
		h("table", { "data-table": opts.name },
			h("thead", {}, h("tr", {}, cols.map((c) =>
				h("th", { class: [c.num ? "num" : "", c.small ? "hide-small" : ""].join(" ").trim() || null }, c.title || c.key)))),
			h("tbody", {}, rows.map((r) => h("tr", {}, cols.map((c) =>
				h("td", { class: [c.num ? "num" : "", c.small ? "hide-small" : ""].join(" ").trim() || null },
					c.fmt ? c.fmt(r) : show(r[c.key]))))))));
}

export function show(v) {
	if (v === undefined || v === null || v === "") return "–";
	if (typeof v === "boolean") return v ? "yes" : "no";
	if (typeof v === "object") return JSON.stringify(v);
	return String(v);
}

// An error box for an ApiError (or anything thrown).
export function errorBox(e) {
	const field = e && e.field ? ` (${e.field})` : "";
	return h("div", { class: "error", role: "alert" }, (e && e.message ? e.message : String(e)) + field);
}

/*
 * A scanner input: a hand scanner types the whole code and ends it with
 * Enter. Scanners in keyboard mode send the ISO 15434 separators as
 * Ctrl+] (GS), Ctrl+^ (RS) and Ctrl+D (EOT), which a browser would not put
 * into the field: they are inserted here. Everything else (substitute
 * characters, old headers, case) is repaired by the server's label reader.
 */
export function scanInput(attrs, onScan) {
	const input = h("input", Object.assign({ class: "scan", autocomplete: "off", autocapitalize: "off", spellcheck: "false" }, attrs));
	const ctl = { "]": "\x1d", "5": "\x1d", "^": "\x1e", "6": "\x1e", "d": "\x04", "D": "\x04" };
	input.addEventListener("keydown", (ev) => {
		if (ev.ctrlKey && !ev.altKey && ctl[ev.key] !== undefined) {
			ev.preventDefault();
			const s = input.selectionStart, e = input.selectionEnd;
			input.value = input.value.slice(0, s) + ctl[ev.key] + input.value.slice(e);
			input.selectionStart = input.selectionEnd = s + 1;
		} else if (ev.key === "Enter") {
			ev.preventDefault();
			const v = input.value;
			if (v.trim() !== "") onScan(v, input);
		}
	});
	return input;
}

// A verdict panel: kind "ok" | "bad" | "warn", a big word, facts, reasons.
export function verdict(kind, word, facts, reasons) {
	return h("div", { class: `verdict ${kind}`, role: "status", "data-verdict": kind },
		h("div", { class: "big" }, word),
		facts ? h("div", { class: "facts" }, facts) : null,
		reasons && reasons.length ? h("ul", { class: "reasons" }, reasons.map((r) => h("li", {}, r))) : null);
}

export function fmtTime(iso) {
	if (!iso) return "–";
	return String(iso).replace("T", " ").replace(/\.\d+Z$|Z$/, "");
}

// Remember a per-station setting in this browser (station ID, last PO).
export const local = {
	get: (k, d = "") => localStorage.getItem("ecms." + k) ?? d,
	set: (k, v) => localStorage.setItem("ecms." + k, v),
};
