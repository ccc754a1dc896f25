// s_board.js: the board page (#/board/SERIAL) is the board's birth
// certificate: work order, customer, status, hold, shipment
// (GET /api/v1/boards/{serial}); every refdes with the package, part,
// MPN, manufacturer, lot, date code, supplier, PO and CoC that fed it,
// ambiguous ones with every candidate; the route of steps the line
// reported and the rework history (GET /api/v1/boards/{serial}/trace).
// Above them, the certificate document as issued (GET .../certificate:
// self-contained HTML with the reflow profile plotted against its limits,
// inspections and tests), in a sandboxed frame, with PDF and JSON to
// download. A customer sees only its own boards (another's is "not found").
import * as api from "/web/api.js";
import { h, fill, table, show, fmtTime, errorBox } from "/web/ui.js";

function componentRows(t) {
	const rows = [];
	for (const c of t.components || []) {
		if (c.ambiguous) {
			rows.push(Object.assign({}, c, { uid: null, note: `ambiguous: ${c.candidates.length} candidate${c.candidates.length === 1 ? "" : "s"}`, amb: true }));
			for (const k of c.candidates) rows.push(Object.assign({}, k, { refdes: "", machine: c.machine, slot: c.slot, note: "candidate", amb: true }));
		} else {
			rows.push(Object.assign({}, c, { note: c.uid === null ? "removed (rework)" : c.known ? "" : "not received by ecms" }));
		}
	}
	return rows;
}

export default {
	id: "board",
	title: "Board",
	roles: ["customer", "admin", "qa", "warehouse", "operator", "viewer"],
	hidden: true,
	async render(main, ctx) {
		let b, t;
		try {
			[b, t] = await Promise.all([api.get(`/boards/${api.seg(ctx.arg)}`),
				api.get(`/boards/${api.seg(ctx.arg)}/trace`)]);
		} catch (e) {
			fill(main, h("h1", {}, "Board"), errorBox(e));
			return;
		}
		const rows = [["Work order", b.work_order], ["Customer", b.customer], ["Product", b.product ? `${b.product} rev ${b.rev}` : null],
			["Panel", b.panel ? `${b.panel}, position ${b.position}` : null], ["Status", b.status], ["Hold", b.hold],
			["Created", fmtTime(b.created)], ["Started", fmtTime(b.started)], ["Completed", fmtTime(b.completed)],
			["Shipped", b.shipped ? `${fmtTime(b.shipped)} (${show(b.shipment)})` : null]];
		const comps = componentRows(t);
		const cert = `/api/v1/boards/${api.seg(b.serial)}/certificate`;
		const amb = (t.components || []).filter((c) => c.ambiguous).length;
		fill(main, h("h1", {}, `Birth certificate of board ${b.serial}`),
			h("div", { class: "card", id: "board-detail" }, h("table", {}, h("tbody", {},
				rows.map(([k, v]) => h("tr", {}, h("th", {}, k),
					h("td", {}, k === "Hold" && v ? h("span", { class: "tag bad" }, v) : show(v))))))),
			h("h2", {}, "Certificate document"),
			h("p", { class: "actions", id: "cert-links" },
				h("a", { href: `${cert}?format=html`, target: "_blank", rel: "noopener" }, "Open"), " · ",
				h("a", { href: `${cert}?format=pdf`, download: `certificate-${b.serial}.pdf` }, "PDF"), " · ",
				h("a", { href: `${cert}?format=json`, download: `certificate-${b.serial}.json` }, "JSON")),
			h("iframe", { id: "certificate", class: "certificate", sandbox: "", src: `${cert}?format=html`, title: `birth certificate of ${b.serial}` }),
			h("h2", {}, "Components"),
			h("p", { class: "muted" }, `${(t.components || []).length} refdes`, amb ? `, ${amb} ambiguous (every candidate listed; none picked)` : ""),
			table(comps, [
				{ key: "refdes", title: "Refdes" },
				{ key: "uid", title: "Package", fmt: (r) => r.uid ? r.uid : "–" },
				{ key: "ipn", title: "Part", small: true },
				{ key: "mpn", title: "MPN" },
				{ key: "manufacturer", title: "Manufacturer", small: true },
				{ key: "lot", title: "Lot" },
				{ key: "date_code", title: "Date code" },
				{ key: "supplier", title: "Supplier", small: true },
				{ key: "po", title: "PO", small: true },
				{ key: "coc", title: "CoC", small: true },
				{ key: "machine", title: "Placed on", small: true, fmt: (r) => r.machine ? `${r.machine} ${show(r.slot)}` : "–" },
				{ key: "note", title: "Note", fmt: (r) => r.note ? h("span", { class: r.amb ? "tag warn" : "tag" }, r.note) : "" },
			], { name: "components", empty: "No components recorded for this board." }),
			h("h2", {}, "Route"),
			table(t.route && t.route.length ? t.route : b.route || [], [
				{ key: "time", title: "When", fmt: (r) => fmtTime(r.time) },
				{ key: "station", title: "Station" }, { key: "kind", title: "Step" },
				{ key: "result", title: "Result" }, { key: "operator", title: "Operator", small: true },
			], { name: "route", empty: "No step reported yet." }),
			h("h2", {}, "Rework"),
			table(t.rework || [], [
				{ key: "time", title: "When", fmt: (r) => fmtTime(r.time) },
				{ key: "refdes", title: "Refdes" },
				{ key: "old", title: "Was", fmt: (r) => (r.old || []).join(", ") || "–" },
				{ key: "new", title: "Now" },
				{ key: "user", title: "By", small: true }, { key: "reason", title: "Why" },
			], { name: "rework", empty: "No rework." }),
			b.work_order ? h("a", { href: "#/portal/" + encodeURIComponent(b.work_order) }, `← work order ${b.work_order}`) : null);
	},
};
