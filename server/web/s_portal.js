// s_portal.js: the customer portal home: the customer's work orders
// (GET /api/v1/work-orders, cut to its own by the server) and one of them
// (GET /api/v1/work-orders/{id}: another customer's is "not found").
// Staff see every customer's here, with the customer named. A work order
// lists its boards (GET /api/v1/work-orders/{id}/boards), each linking to
// its birth certificate (#/board/SERIAL). Recalls appear as they concern
// the customer's own boards (GET /api/v1/recall-notices: its rows only).
import * as api from "/web/api.js";
import { h, fill, table, show, errorBox } from "/web/ui.js";

export default {
	id: "portal",
	title: "Work orders",
	roles: ["customer", "admin", "qa", "warehouse", "operator", "viewer"],
	async render(main, ctx) {
		const cust = ctx.me.role === "customer";
		if (ctx.arg) {
			let w;
			try {
				w = await api.get(`/work-orders/${api.seg(ctx.arg)}`);
			} catch (e) {
				fill(main, h("h1", {}, "Work order"), errorBox(e), h("a", { href: "#/portal" }, "← all work orders"));
				return;
			}
			fill(main, h("h1", {}, `Work order ${w.id}`),
				h("div", { class: "card", id: "wo-detail" }, h("table", {}, h("tbody", {},
					[["Product", `${w.product} rev ${w.rev}`], ["Boards ordered", w.qty], ["Customer", w.customer],
						["Line", w.line], ["Due", w.due], ["Status", w.status]].map(([k, v]) => h("tr", {}, h("th", {}, k), h("td", {}, show(v))))))),
				h("p", { class: "actions", id: "wo-package" }, "Traceability package: ",
					h("a", { href: `/api/v1/work-orders/${api.seg(w.id)}/package?format=zip`, download: `package-${w.id}.zip` }, "ZIP"), " · ",
					h("a", { href: `/api/v1/work-orders/${api.seg(w.id)}/package?format=pdf`, download: `package-${w.id}.pdf` }, "PDF")),
				h("h2", {}, "Boards"),
				table(await api.get(`/work-orders/${api.seg(w.id)}/boards`), [
					{ key: "serial", title: "Serial", fmt: (b) => h("a", { href: "#/board/" + encodeURIComponent(b.serial) }, b.serial) },
					{ key: "panel", title: "Panel", small: true, fmt: (b) => b.panel ? `${b.panel} / ${b.position}` : "–" },
					{ key: "status", title: "Status" },
					{ key: "hold", title: "Hold", fmt: (b) => b.hold ? h("span", { class: "tag bad" }, b.hold) : "–" },
				], { name: "boards", empty: "No boards of this order yet." }),
				h("a", { href: "#/portal" }, "← all work orders"));
			return;
		}
		const [wos, notices] = await Promise.all([api.get("/work-orders"), api.get("/recall-notices")]);
		const affected = (n) => ["shipped", "completed", "wip", "scrapped", "other"].flatMap((g) => n[g] || []);
		fill(main, h("h1", {}, cust ? `Work orders of ${ctx.me.customer}` : "Work orders"),
			table(wos, [
				{ key: "id", title: "Work order", fmt: (w) => h("a", { href: "#/portal/" + encodeURIComponent(w.id) }, w.id) },
				{ key: "product", title: "Product", fmt: (w) => `${w.product} rev ${w.rev}` },
				{ key: "qty", title: "Boards", num: true },
				cust ? null : { key: "customer", title: "Customer" },
				{ key: "due", title: "Due", small: true },
				{ key: "status", title: "Status" },
			].filter(Boolean), { name: "work-orders", empty: "No work orders." }),
			h("h2", {}, cust ? "Recalls concerning your boards" : "Recalls by customer"),
			table(notices, [
				{ key: "recall", title: "Recall" },
				cust ? null : { key: "customer", title: "Customer" },
				{ key: "time", title: "When", small: true, fmt: (n) => String(n.time || "").slice(0, 10) },
				{ key: "lot", title: "Lot" }, { key: "mpn", title: "MPN", small: true },
				{ key: "reason", title: "Reason", small: true },
				{ key: "boards", title: cust ? "Your boards" : "Boards", fmt: (n) => affected(n).map((b, i) => [i ? " " : "",
					h("a", { href: "#/board/" + encodeURIComponent(b.serial) }, b.serial)]) },
			].filter(Boolean), { name: "recall-notices", empty: "No recall concerns these boards." }));
	},
};
