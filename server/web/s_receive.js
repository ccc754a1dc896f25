// s_receive.js: the receiving station. Pick the purchase order, scan the
// supplier label (the scanner ends it with Enter): the verdict comes in
// large green (accepted) or red (quarantined) with its reasons, and the
// package's own UID label to print. POST /api/v1/receipts.
import * as api from "/web/api.js";
import { h, fill, errorBox, scanInput, verdict, local, show } from "/web/ui.js";

function reasonText(r) {
	return r.message || r.rule;
}

export default {
	id: "receive",
	title: "Receiving",
	roles: ["admin", "qa", "warehouse"],
	async render(main) {
		const poSel = h("select", { id: "recv-po" });
		async function loadPos() {
			const keep = poSel.value || local.get("po");
			const pos = (await api.get("/pos")).filter((p) => p.status !== "closed");
			fill(poSel, pos.length ? null : h("option", { value: "" }, "no open purchase order"),
				pos.map((p) => h("option", { value: p.po }, `${p.po} · ${p.supplier} · ${p.qty_received}/${p.qty_ordered} received`)));
			if (keep && pos.some((p) => p.po === keep)) poSel.value = keep;
		}
		await loadPos();
		poSel.addEventListener("change", () => local.set("po", poSel.value));
		const station = h("input", { id: "recv-station", value: local.get("station"), placeholder: "e.g. DOCK-1" });
		station.addEventListener("change", () => local.set("station", station.value.trim()));
		const coc = h("input", { id: "recv-coc", placeholder: "optional: COC-000001" });
		const out = h("div", { id: "recv-result", "aria-live": "polite" });
		const log = h("ol", { id: "recv-log", class: "muted" });
		const scan = scanInput({ id: "recv-scan", placeholder: "scan the supplier label", "aria-label": "supplier label scan" },
			async (value, input) => {
				input.disabled = true;
				try {
					const r = await api.post("/receipts", {
						po: poSel.value, scan: value,
						station: station.value.trim() || undefined,
						coc: coc.value.trim() || undefined,
					});
					const ok = r.status === "accepted";
					const facts = [
						h("div", {}, h("b", { "data-uid": r.uid }, r.uid), ` · ${show(r.ipn)} · ${show(r.mpn)} · lot ${show(r.lot)} · qty ${show(r.quantity)}`),
						h("div", {}, ok ? `Put it in ${show(r.location)}.` : `Put it in quarantine: ${show(r.location)}.`),
					];
					const reasons = (r.reasons || []).map(reasonText).concat((r.warnings || []).map((w) => "note: " + w));
					fill(out,
						verdict(ok ? "ok" : "bad", ok ? "ACCEPTED" : "QUARANTINED", facts, reasons),
						h("div", { class: "actions" },
							h("a", { href: r.label_url + "?format=png", target: "_blank", id: "recv-label" }, h("button", { class: "secondary", type: "button" }, "Print label")),
							h("a", { href: r.label_url + "?format=zpl", download: r.uid + ".zpl" }, h("button", { class: "secondary", type: "button" }, "ZPL for the printer"))),
						h("img", { src: r.label_url + "?format=png", alt: "UID label " + r.uid, width: 406, height: 203, class: "label-img" }));
					log.prepend(h("li", {}, `${r.uid} ${ok ? "accepted" : "QUARANTINED"} (${show(r.ipn)}, lot ${show(r.lot)})`));
					input.value = "";
					loadPos().catch(() => {});
				} catch (e) {
					fill(out, verdict("bad", "NOT RECEIVED", e.message, e.field ? ["field: " + e.field] : null));
					input.select();
				} finally {
					input.disabled = false;
					input.focus();
				}
			});
		fill(main,
			h("h1", {}, "Receiving"),
			h("div", { class: "card" },
				h("div", { class: "row" },
					h("div", {}, h("label", { for: "recv-po" }, "Purchase order"), poSel),
					h("div", {}, h("label", { for: "recv-station" }, "Station"), station),
					h("div", {}, h("label", { for: "recv-coc" }, "CoC"), coc)),
				h("label", { for: "recv-scan" }, "Scan"), scan,
				h("p", { class: "muted" }, "Scan the reel's supplier label; the scanner's Enter sends it.")),
			out,
			h("h2", {}, "This session"), log);
		scan.focus();
	},
};
