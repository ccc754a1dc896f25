// s_trace.js: trace search. A board serial goes to its page (the
// backward trace: what went into it). A lot, a reel, a date-code range of
// an MPN, a supplier's deliveries or a CoC give every board that carries
// the material, with where it is now (GET /api/v1/trace/...): for certain,
// or only possibly (a splice or reel change the line could not place).
// Each board links to its page.
import * as api from "/web/api.js";
import { h, fill, table, show, fmtTime, errorBox, scanInput } from "/web/ui.js";

const KINDS = {
	board: { title: "Board serial", fields: [["serial", "serial, e.g. WO-1001-00001"]] },
	lot: { title: "Lot", fields: [["lot", "lot code"], ["mpn", "MPN (optional)"]] },
	reel: { title: "Reel (package UID)", fields: [["uid", "scan the UID label"]] },
	datecode: { title: "Date code range", fields: [["mpn", "MPN"], ["from", "from YYWW"], ["to", "to YYWW"]] },
	supplier: { title: "Supplier deliveries", fields: [["supplier", "supplier ID"], ["from", "from YYYY-MM-DD"], ["to", "to YYYY-MM-DD"]] },
	coc: { title: "Certificate of conformance", fields: [["coc", "CoC ID"]] },
};

function path(kind, v) {
	switch (kind) {
	case "lot": return "/trace/lot" + api.query({ lot: v.lot, mpn: v.mpn });
	case "reel": return `/trace/reel/${api.seg(v.uid)}`;
	case "datecode": return "/trace/datecode" + api.query({ mpn: v.mpn, from: v.from, to: v.to });
	case "supplier": return `/trace/supplier/${api.seg(v.supplier)}` + api.query({ from: v.from, to: v.to });
	default: return `/trace/coc/${api.seg(v.coc)}`;
	}
}

export function boardLink(serial) {
	return h("a", { href: "#/board/" + encodeURIComponent(serial) }, serial);
}

function results(t) {
	const certain = t.boards.filter((b) => b.refdes.length).length;
	return [h("p", { id: "trace-summary" }, h("b", {}, `${t.count} board${t.count === 1 ? "" : "s"}`),
		` (${certain} for certain, ${t.count - certain} only possibly) from ${t.packages.length} package${t.packages.length === 1 ? "" : "s"}: `,
		t.packages.join(", ")),
	table(t.boards, [
		{ key: "serial", title: "Board", fmt: (b) => boardLink(b.serial) },
		{ key: "status", title: "Status", fmt: (b) => [b.status, b.hold ? h("span", { class: "tag bad" }, " hold " + b.hold) : null] },
		{ key: "shipped", title: "Shipped", fmt: (b) => b.shipped ? `${fmtTime(b.shipped)} ${show(b.shipment)}` : "–" },
		{ key: "customer", title: "Customer" },
		{ key: "work_order", title: "Work order", small: true },
		{ key: "refdes", title: "Refdes", fmt: (b) => b.refdes.join(" ") || "–" },
		{ key: "ambiguous", title: "Possibly", small: true, fmt: (b) => b.ambiguous.join(" ") || "–" },
	], { name: "trace-boards", empty: "No board carries it." })];
}

export default {
	id: "trace",
	title: "Trace",
	roles: ["admin", "qa", "warehouse", "operator", "viewer"],
	render(main, ctx) {
		const out = h("div", { id: "trace-result" });
		const kind = h("select", { id: "trace-kind" }, Object.entries(KINDS).map(([k, v]) => h("option", { value: k }, v.title)));
		const form = h("div", {});
		let inputs = {};
		async function run() {
			const v = Object.fromEntries(Object.entries(inputs).map(([k, i]) => [k, i.value.trim()]));
			if (kind.value === "board") return ctx.go("board", v.serial);
			fill(out, h("p", { class: "muted" }, "Tracing…"));
			try {
				fill(out, results(await api.get(path(kind.value, v))));
			} catch (e) {
				fill(out, errorBox(e));
			}
		}
		function draw() {
			inputs = {};
			fill(form, KINDS[kind.value].fields.map(([name, ph], i) => {
				const last = i === KINDS[kind.value].fields.length - 1;
				const inp = scanInput({ id: "trace-" + name, placeholder: ph }, () => last ? run() : null);
				inp.addEventListener("keydown", (ev) => {
					if (ev.key === "Enter" && !last) inputs[KINDS[kind.value].fields[i + 1][0]].focus();
					else if (ev.key === "Enter" && inp.value.trim() === "") run(); /* an optional last field */
				});
				inputs[name] = inp;
				return [h("label", { for: "trace-" + name }, ph.replace(/ \(.*|, e\.g\..*/, "")), inp];
			}));
			inputs[KINDS[kind.value].fields[0][0]].focus();
		}
		kind.addEventListener("change", draw);
		fill(main, h("h1", {}, "Trace"),
			h("div", { class: "card" }, h("label", { for: "trace-kind" }, "Trace from"), kind, form,
				h("div", { class: "actions" }, h("button", { id: "trace-go", onclick: run }, "Trace"))),
			out);
		if (ctx.arg) {
			const [k, ...rest] = ctx.arg.split("=");
			if (KINDS[k]) kind.value = k;
			draw();
			const first = KINDS[kind.value].fields[0][0];
			if (rest.length) {
				inputs[first].value = rest.join("=");
				run();
			}
		} else {
			draw();
		}
	},
};
