// s_recall.js: the recall wizard. 1. the scope: a lot (and optionally its
// MPN); 2. the preview (GET /api/v1/recalls/preview: nothing changes):
// the boards by customer and status (shipped ones: tell the customer),
// the packages of the lot and where they are (a reel still on a machine
// must come off it); 3. apply, signed by re-authenticating like a
// quarantine release (POST /api/v1/recalls, qa only): every remaining
// package and every board not shipped or scrapped goes on hold. Below,
// the recalls applied (GET /api/v1/recalls) with their customer notice.
import * as api from "/web/api.js";
import { h, fill, table, show, fmtTime, errorBox, verdict } from "/web/ui.js";
import { boardLink } from "/web/s_trace.js";

const GROUPS = [["shipped", "Shipped: tell the customer"], ["completed", "Completed, not shipped"],
	["wip", "In production (WIP)"], ["scrapped", "Scrapped"], ["other", "Other"]];

function boardsTable(list, name, applied) {
	return table(list, [
		{ key: "serial", title: "Board", fmt: (b) => boardLink(b.serial) },
		{ key: "status", title: "Status" },
		{ key: "shipped", title: "Shipped", small: true, fmt: (b) => b.shipped ? `${fmtTime(b.shipped)} ${show(b.shipment)}` : "–" },
		{ key: "refdes", title: "Refdes", fmt: (b) => (b.refdes || []).join(" ") || "–" },
		{ key: "ambiguous", title: "Possibly", small: true, fmt: (b) => (b.ambiguous || []).join(" ") || "–" },
		{ key: "held", title: "Hold", fmt: (b) => b.held ? h("span", { class: "tag bad" }, applied ? "put on hold" : "to hold") : "–" },
	], { name });
}

export function recallBody(r, applied) {
	return [
		h("div", { class: "tiles", id: "recall-counts" },
			[["count", "boards", r.count], ["shipped", "shipped", r.counts.shipped], ["completed", "completed", r.counts.completed],
				["wip", "WIP", r.counts.wip], ["held", applied ? "boards put on hold" : "boards to put on hold", r.boards_held],
				["pk", applied ? "packages put on hold" : "packages to put on hold", r.packages_held]].map(([k, t, n]) =>
				h("div", { class: "tile" + (k === "shipped" && n ? " bad" : ""), "data-count": k }, h("div", { class: "n" }, show(n)), t))),
		(r.customers || []).map((cu) => h("details", { class: "card", open: true, "data-customer": cu.customer || "" },
			h("summary", {}, `${cu.customer || "work order unknown to ecms"}: ${cu.count} board${cu.count === 1 ? "" : "s"}`),
			GROUPS.filter(([g]) => cu[g] && cu[g].length).map(([g, t]) => [h("h2", {}, `${t} (${cu[g].length})`), boardsTable(cu[g], "recall-" + g, applied)]))),
		r.packages ? [h("h2", {}, "Packages of the lot"),
			table(r.packages, [
				{ key: "uid", title: "Package" }, { key: "ipn", title: "Part", small: true }, { key: "status", title: applied ? "Status before" : "Status" },
				{ key: "location", title: "Where" },
				{ key: "held", title: "Hold", fmt: (p) => p.held ? h("span", { class: "tag bad" }, applied ? "put on hold" : "to hold") : "–" },
				{ key: "loaded", title: "On the line", fmt: (p) => p.loaded && p.loaded.length ? h("span", { class: "tag bad" }, `LOADED ON ${p.loaded.join(", ")}: take it off`) : "–" },
			], { name: "recall-packages" })] : null,
	];
}

export default {
	id: "recall",
	title: "Recall",
	roles: ["admin", "qa"],
	async render(main, ctx) {
		const lot = h("input", { id: "recall-lot", placeholder: "lot code", autocomplete: "off" });
		const mpn = h("input", { id: "recall-mpn", placeholder: "optional: only this MPN", autocomplete: "off" });
		const out = h("div", { id: "recall-preview" });
		const list = h("div", { id: "recall-list" });
		const canApply = ctx.me.role === "qa" && ctx.me.auth === "session";

		async function loadList() {
			const l = await api.get("/recalls");
			fill(list, table(l, [
				{ key: "id", title: "Recall" }, { key: "time", title: "When", fmt: (r) => fmtTime(r.time) },
				{ key: "lot", title: "Lot" }, { key: "mpn", title: "MPN", small: true },
				{ key: "boards", title: "Boards", num: true }, { key: "shipped", title: "Shipped", num: true },
				{ key: "user", title: "By", small: true }, { key: "reason", title: "Reason", small: true },
				{ key: "notice", title: "Notice", fmt: (r) => h("a", { href: `/api/v1/recalls/${api.seg(r.id)}/notice`, download: `${r.id}.csv` }, "CSV") },
			], { name: "recalls", empty: "No recalls applied." }));
		}

		function applyForm(scope) {
			const reason = h("textarea", { id: "recall-reason", rows: 2, placeholder: "why (at least 3 characters): the supplier's notice, the failure found" });
			const modeSel = h("select", { id: "recall-mode" }, h("option", { value: "password" }, "my password"), h("option", { value: "badge" }, "badge and PIN"));
			const pw = h("input", { id: "recall-password", type: "password", autocomplete: "current-password" });
			const badge = h("input", { id: "recall-badge", autocomplete: "off" });
			const pin = h("input", { id: "recall-pin", type: "password", inputmode: "numeric", autocomplete: "off" });
			const pwBox = h("div", {}, h("label", { for: "recall-password" }, `Password of ${ctx.me.user}`), pw);
			const badgeBox = h("div", { hidden: true }, h("label", { for: "recall-badge" }, "Badge"), badge, h("label", { for: "recall-pin" }, "PIN"), pin);
			const err = h("div", {});
			modeSel.addEventListener("change", () => {
				pwBox.hidden = modeSel.value !== "password";
				badgeBox.hidden = modeSel.value === "password";
			});
			const ok = h("button", { id: "recall-apply", class: "danger", type: "submit" }, "Sign and apply the recall");
			return h("form", { class: "card", id: "recall-apply-form", onsubmit: async (ev) => {
				ev.preventDefault();
				const body = Object.assign({ lot: scope.lot, reason: reason.value.trim() }, scope.mpn ? { mpn: scope.mpn } : {},
					modeSel.value === "password" ? { password: pw.value } : { badge: badge.value.trim(), pin: pin.value });
				ok.disabled = true;
				try {
					const r = await api.post("/recalls", body);
					fill(out, verdict("bad", `RECALL ${r.id} APPLIED`, `lot ${r.scope.lot}: ${r.boards_held} boards and ${r.packages_held} packages put on hold, by ${r.user} at ${fmtTime(r.time)}`),
						h("p", {}, h("a", { href: `/api/v1/recalls/${api.seg(r.id)}/notice`, download: `${r.id}.csv` }, "Customer notice (CSV)")),
						recallBody(r, true));
					await loadList();
				} catch (e) {
					fill(err, errorBox(e));
					pw.value = pin.value = "";
				} finally {
					ok.disabled = false;
				}
			} },
			h("h2", {}, "3. Apply"),
			h("p", { class: "muted" }, "Signing means: every remaining package of the lot and every board not shipped or scrapped go on hold, by you, now, for the reason below."),
			h("label", { for: "recall-reason" }, "Reason"), reason,
			h("label", { for: "recall-mode" }, "Sign with"), modeSel, pwBox, badgeBox, err,
			h("div", { class: "actions" }, ok));
		}

		async function preview() {
			const scope = { lot: lot.value.trim(), mpn: mpn.value.trim() };
			if (!scope.lot) return lot.focus();
			try {
				const r = await api.get("/recalls/preview" + api.query(scope));
				fill(out, h("h2", {}, `2. Preview: lot ${scope.lot}${scope.mpn ? ` (MPN ${scope.mpn})` : ""}, nothing changed yet`),
					recallBody(r, false),
					canApply ? applyForm(scope) : h("p", { class: "muted" }, "Only QA applies a recall, logged in with a password (a signed decision)."));
			} catch (e) {
				fill(out, errorBox(e));
			}
		}
		for (const i of [lot, mpn]) i.addEventListener("keydown", (ev) => {
			if (ev.key === "Enter") {
				ev.preventDefault();
				preview();
			}
		});
		fill(main, h("h1", {}, "Recall a lot"),
			h("div", { class: "card" }, h("h2", {}, "1. Scope"),
				h("div", { class: "row" },
					h("div", {}, h("label", { for: "recall-lot" }, "Lot"), lot),
					h("div", {}, h("label", { for: "recall-mpn" }, "MPN"), mpn)),
				h("div", { class: "actions" }, h("button", { id: "recall-preview-go", onclick: preview }, "Preview"))),
			out, h("h2", {}, "Recalls applied"), list);
		lot.focus();
		await loadList();
	},
};
