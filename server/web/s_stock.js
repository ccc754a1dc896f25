// s_stock.js: the stock and alerts dashboard: what needs attention
// (GET /api/v1/alerts) and stock per part by status (GET /api/v1/stock).
import * as api from "/web/api.js";
import { h, fill, table } from "/web/ui.js";

const STATES = ["available", "quarantined", "on_hold", "in_production", "expired", "rejected"];
const ALERT_ORDER = ["shelf_life.expired", "msd.floor_life", "quarantine.aged", "shelf_life.expiring", "stock.below_reorder"];
const ALERT_TITLE = { "shelf_life.expired": "shelf life expired", "msd.floor_life": "MSD floor life ending", "quarantine.aged": "aged in quarantine", "shelf_life.expiring": "shelf life ending", "stock.below_reorder": "below reorder point" };
const ALERT_CLASS = { "shelf_life.expired": "bad", "msd.floor_life": "bad", "quarantine.aged": "warn", "shelf_life.expiring": "warn", "stock.below_reorder": "warn" };

export default {
	id: "stock",
	title: "Stock & alerts",
	roles: ["admin", "qa", "warehouse", "operator", "viewer"],
	async render(main) {
		const filter = h("input", { id: "stock-filter", placeholder: "filter by IPN" });
		const [alerts, stock] = await Promise.all([api.get("/alerts"), api.get("/stock")]);
		const counts = {};
		for (const a of alerts) counts[a.kind] = (counts[a.kind] || 0) + 1;
		const stockBox = h("div", { id: "stock-table" });
		function drawStock() {
			const f = filter.value.trim().toUpperCase();
			fill(stockBox, table(stock.filter((p) => !f || p.ipn.toUpperCase().includes(f)), [
				{ key: "ipn", title: "Part" },
				...STATES.map((s, i) => ({ key: s, title: s.replace("_", " "), num: true, small: i > 1, fmt: (p) => {
					const x = (p.status || {})[s];
					return x && x.packages ? `${x.qty} / ${x.packages}` : "–";
				} })),
			], { name: "stock", empty: "No stock." }));
		}
		filter.addEventListener("input", drawStock);
		// One section per kind of alert, the urgent ones open; long lists cut.
		const rank = (k) => (ALERT_ORDER.includes(k) ? ALERT_ORDER.indexOf(k) : 99);
		const kinds = Object.keys(counts).sort((x, y) => rank(x) - rank(y));
		const sections = kinds.map((k) => {
			const all = alerts.filter((a) => a.kind === k);
			return h("details", { class: "card", open: k !== "stock.below_reorder", "data-kind": k },
				h("summary", {}, h("span", { class: `tag ${ALERT_CLASS[k] || ""}` }, k), ` ${all.length}`),
				table(all.slice(0, 25), [{ key: "sentence", title: "What" }], { name: "alerts" }),
				all.length > 25 ? h("p", { class: "muted" }, `… and ${all.length - 25} more (ecms alerts lists them all)`) : null);
		});
		fill(main, h("h1", {}, "Stock & alerts"),
			h("div", { class: "tiles" },
				kinds.map((k) => h("div", { class: `tile ${ALERT_CLASS[k] || ""}` }, h("div", { class: "n" }, counts[k]), h("div", {}, ALERT_TITLE[k] || k))),
				h("div", { class: "tile" }, h("div", { class: "n" }, stock.length), h("div", {}, "parts in stock"))),
			h("h2", {}, `Needs attention (${alerts.length})`),
			alerts.length ? sections : h("p", { class: "muted" }, "No alerts."),
			h("h2", {}, "Stock (quantity / packages)"), filter, stockBox);
		drawStock();
	},
};
