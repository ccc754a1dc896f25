// s_kit.js: kitting a work order: its kit list (GET
// /api/v1/work-orders/{id}/kit: needed, picked, short, which packages
// to pick from where) and picking by scan (POST .../picks).
import * as api from "/web/api.js";
import { h, fill, scanInput, verdict, table, show } from "/web/ui.js";

export default {
	id: "kit",
	title: "Kitting",
	roles: ["admin", "warehouse", "operator"],
	async render(main, ctx) {
		const wos = (await api.get("/work-orders")).filter((w) => w.status !== "closed");
		const sel = h("select", { id: "kit-wo" }, h("option", { value: "" }, "choose a work order"),
			wos.map((w) => h("option", { value: w.id }, `${w.id} · ${w.qty} × ${w.product} rev ${w.rev}${w.customer ? " · " + w.customer : ""}`)));
		const out = h("div", { id: "kit-result", "aria-live": "polite" });
		const list = h("div", { id: "kit-list" });
		async function load() {
			if (!sel.value) return fill(list);
			const k = await api.get(`/work-orders/${api.seg(sel.value)}/kit`);
			fill(list, h("p", {}, `${k.boards} × ${k.product} rev ${k.rev}, attrition ${k.attrition_pct} %`),
				table(k.lines, [
					{ key: "ipn", title: "Part" },
					{ key: "needed", title: "Need", num: true },
					{ key: "picked", title: "Picked", num: true },
					{ key: "short", title: "Short", num: true, fmt: (l) => l.short ? h("span", { class: "tag bad" }, l.short) : "–" },
					{ key: "pick", title: "Pick", fmt: (l) => (l.pick || []).map((p) =>
						h("div", {}, `${p.uid} · ${show(p.location)} · ${p.qty} · lot ${show(p.lot)}`)) },
				], { name: "kit" }));
		}
		sel.value = ctx.arg || "";
		sel.addEventListener("change", () => ctx.go("kit", sel.value));
		const scan = scanInput({ id: "kit-scan", placeholder: "scan a package to pick" }, async (value, input) => {
			if (!sel.value) return fill(out, verdict("bad", "NO WORK ORDER", "Choose the work order first."));
			try {
				const r = await api.post(`/work-orders/${api.seg(sel.value)}/picks`, { scan: value });
				fill(out, verdict("ok", "PICKED", `${r.uid} → ${r.to}`));
				input.value = "";
				await load();
			} catch (e) {
				fill(out, verdict("bad", "NOT PICKED", e.message));
				input.select();
			}
			input.focus();
		});
		fill(main, h("h1", {}, "Kitting"),
			h("div", { class: "card" }, h("label", { for: "kit-wo" }, "Work order"), sel,
				h("label", { for: "kit-scan" }, "Pick"), scan),
			out, list);
		await load();
		(sel.value ? scan : sel).focus();
	},
};
