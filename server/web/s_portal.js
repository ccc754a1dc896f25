// s_portal.js: the customer portal home: the customer's work orders
// (GET /api/v1/work-orders, cut to its own by the server) and one of them
// (GET /api/v1/work-orders/{id}: another customer's is "not found").
// Staff see every customer's here, with the customer named.
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
					[["Product", `${w.product} rev ${w.rev}`], ["Boards", w.qty], ["Customer", w.customer],
						["Line", w.line], ["Due", w.due], ["Status", w.status]].map(([k, v]) => h("tr", {}, h("th", {}, k), h("td", {}, show(v))))))),
				h("p", { class: "muted" }, "Boards, birth certificates and recalls of this order will be shown here."),
				h("a", { href: "#/portal" }, "← all work orders"));
			return;
		}
		const wos = await api.get("/work-orders");
		fill(main, h("h1", {}, cust ? `Work orders of ${ctx.me.customer}` : "Work orders"),
			table(wos, [
				{ key: "id", title: "Work order", fmt: (w) => h("a", { href: "#/portal/" + encodeURIComponent(w.id) }, w.id) },
				{ key: "product", title: "Product", fmt: (w) => `${w.product} rev ${w.rev}` },
				{ key: "qty", title: "Boards", num: true },
				cust ? null : { key: "customer", title: "Customer" },
				{ key: "due", title: "Due", small: true },
				{ key: "status", title: "Status" },
			].filter(Boolean), { name: "work-orders", empty: "No work orders." }));
	},
};
