// s_board.js: the board page (#/board/SERIAL): one board's work order,
// panel position, status, hold and the route of steps the line reported
// (GET /api/v1/boards/{serial}; a customer sees only its own boards).
// Not in the menu: reached from a work order's boards. The birth
// certificate (what went into it, the reflow plot) joins it when the
// genealogy and reflow routes exist.
import * as api from "/web/api.js";
import { h, fill, table, show, fmtTime, errorBox } from "/web/ui.js";

export default {
	id: "board",
	title: "Board",
	roles: ["customer", "admin", "qa", "warehouse", "operator", "viewer"],
	hidden: true,
	async render(main, ctx) {
		let b;
		try {
			b = await api.get(`/boards/${api.seg(ctx.arg)}`);
		} catch (e) {
			fill(main, h("h1", {}, "Board"), errorBox(e));
			return;
		}
		const rows = [["Work order", b.work_order], ["Customer", b.customer], ["Product", b.product ? `${b.product} rev ${b.rev}` : null],
			["Panel", b.panel ? `${b.panel}, position ${b.position}` : null], ["Status", b.status], ["Hold", b.hold],
			["Created", fmtTime(b.created)], ["Started", fmtTime(b.started)], ["Completed", fmtTime(b.completed)],
			["Shipped", b.shipped ? `${fmtTime(b.shipped)} (${show(b.shipment)})` : null]];
		fill(main, h("h1", {}, `Board ${b.serial}`),
			h("div", { class: "card", id: "board-detail" }, h("table", {}, h("tbody", {},
				rows.map(([k, v]) => h("tr", {}, h("th", {}, k), h("td", {}, show(v))))))),
			h("h2", {}, "Route"),
			table(b.route || [], [
				{ key: "time", title: "When", fmt: (r) => fmtTime(r.time) },
				{ key: "station", title: "Station" }, { key: "kind", title: "Step" },
				{ key: "result", title: "Result" }, { key: "operator", title: "Operator", small: true },
			], { name: "route", empty: "No step reported yet." }),
			b.work_order ? h("a", { href: "#/portal/" + encodeURIComponent(b.work_order) }, `← work order ${b.work_order}`) : null);
	},
};
