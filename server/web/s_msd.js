// s_msd.js: moisture-sensitive devices at the bench: scan a package's UID
// label for its floor-life clock (GET /api/v1/packages/{uid}/msd), then
// record what happens to it now: bag opened (with the humidity indicator
// card read), re-sealed, bake started or ended, or a finished bake
// (POST /api/v1/packages/{uid}/msd/{event}); and what runs out soon
// (GET /api/v1/msd/expiring).
import * as api from "/web/api.js";
import { h, fill, scanInput, verdict, table, show, fmtTime } from "/web/ui.js";

function statusPanel(st) {
	const usable = st.usable !== false;
	return verdict(usable ? "ok" : "bad", usable ? "USABLE" : "NOT USABLE",
		[h("div", {}, h("b", {}, st.uid), ` · ${show(st.ipn)} · MSL ${show(st.msl)} · ${show(st.state)} (${show(st.where)})`),
			h("div", {}, `exposure ${show(st.exposure)} of ${show(st.floor_life)} · remaining ${show(st.remaining)}`),
			st.ends_at ? h("div", {}, `floor life ends ${fmtTime(st.ends_at)}`) : null],
		usable ? [] : [st.reason || "not usable"]);
}

export default {
	id: "msd",
	title: "MSD",
	roles: ["admin", "qa", "warehouse", "operator"],
	async render(main) {
		const out = h("div", { id: "msd-status", "aria-live": "polite" });
		const msg = h("div", { id: "msd-message", "aria-live": "assertive" });
		const acts = h("div", { id: "msd-actions" });
		const soon = h("div", { id: "msd-expiring" });
		let uid = "";
		async function record(event, body) {
			try {
				const st = await api.post(`/packages/${api.seg(uid)}/msd/${event}`, body);
				fill(out, statusPanel(st));
				fill(msg);
			} catch (e) {
				fill(msg, verdict("bad", "NOT RECORDED", e.message));
			}
			await loadSoon();
		}
		const hic = h("select", { id: "msd-hic" }, [0, 5, 10, 60].map((v) => h("option", { value: v }, `${v} % spot no longer blue`)));
		const temp = h("input", { id: "msd-temp", inputmode: "numeric", value: "125" });
		const hours = h("input", { id: "msd-hours", inputmode: "decimal", placeholder: "e.g. 7 or 450min" });
		function drawActions() {
			fill(acts, uid ? h("div", { class: "card" },
				h("div", { class: "row" },
					h("div", {}, h("label", { for: "msd-hic" }, "HIC when opened"), hic),
					h("div", {}, h("label", { for: "msd-temp" }, "Oven °C"), temp),
					h("div", {}, h("label", { for: "msd-hours" }, "Bake hours"), hours)),
				h("div", { class: "actions" },
					h("button", { "data-event": "open", onclick: () => record("open", { hic_pct: Number(hic.value) }) }, "Bag opened"),
					h("button", { "data-event": "seal", class: "secondary", onclick: () => record("seal") }, "Re-sealed"),
					h("button", { "data-event": "bake-start", class: "secondary", onclick: () => record("bake-start", { temp_c: Number(temp.value) }) }, "Into the oven"),
					h("button", { "data-event": "bake-end", class: "secondary", onclick: () => record("bake-end") }, "Out of the oven"),
					h("button", { "data-event": "bake", class: "secondary", onclick: () => {
						const t = hours.value.trim(), n = Number(t);
						record("bake", { temp_c: Number(temp.value), hours: t === "" ? undefined : Number.isFinite(n) ? n : t });
					} }, "Finished bake"))) : null);
		}
		async function loadSoon() {
			const l = await api.get("/msd/expiring");
			fill(soon, table(l, [
				{ key: "uid", title: "Package" }, { key: "ipn", title: "Part" }, { key: "msl", title: "MSL" },
				{ key: "where", title: "Where", small: true }, { key: "remaining", title: "Remaining" },
				{ key: "ends_at", title: "Ends", fmt: (r) => fmtTime(r.ends_at || r.expired_at) },
			], { name: "msd-expiring", empty: "No floor life ends within 8 hours." }));
		}
		const scan = scanInput({ id: "msd-scan", placeholder: "scan the package's UID label" }, async (value, input) => {
			try {
				const st = await api.get(`/packages/${api.seg(value.trim())}/msd`);
				uid = st.uid;
				fill(out, statusPanel(st));
				fill(msg);
				input.value = "";
			} catch (e) {
				uid = "";
				fill(out);
				fill(msg, verdict("bad", "UNKNOWN", e.message));
				input.select();
			}
			drawActions();
		});
		fill(main, h("h1", {}, "Moisture-sensitive devices"),
			h("div", { class: "card" }, h("label", { for: "msd-scan" }, "Package"), scan),
			out, msg, acts, h("h2", {}, "Floor life ending within 8 hours"), soon);
		await loadSoon();
		scan.focus();
	},
};
