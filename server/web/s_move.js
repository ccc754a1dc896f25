// s_move.js: moving a package: scan the package, then the location
// (POST /api/v1/moves). The first Enter moves on to the location; the
// second sends both. A refusal (quarantined into production, full
// location, MSD floor life over, restricted part) comes in red, in words.
import * as api from "/web/api.js";
import { h, fill, scanInput, verdict, show } from "/web/ui.js";

export default {
	id: "move",
	title: "Move",
	roles: ["admin", "warehouse", "operator"],
	render(main) {
		const out = h("div", { id: "move-result", "aria-live": "polite" });
		const log = h("ol", { id: "move-log", class: "muted" });
		let pkgScan = null;
		const loc = scanInput({ id: "move-location", placeholder: "then scan the location" }, async (value, input) => {
			if (!pkg.value.trim()) return pkg.focus();
			input.disabled = true;
			try {
				const r = await api.post("/moves", { package: pkgScan || pkg.value, location: value.trim() });
				fill(out, verdict("ok", "MOVED", `${r.uid}: ${show(r.from)} → ${r.to}`));
				log.prepend(h("li", {}, `${r.uid} → ${r.to}`));
				pkg.value = input.value = "";
				pkgScan = null;
				input.disabled = false;
				pkg.focus();
			} catch (e) {
				fill(out, verdict("bad", "NOT MOVED", e.message));
				input.disabled = false;
				input.select();
			}
		});
		const pkg = scanInput({ id: "move-package", placeholder: "scan the package (UID label)" }, (value) => {
			pkgScan = value;
			loc.focus();
		});
		fill(main, h("h1", {}, "Move a package"),
			h("div", { class: "card" },
				h("label", { for: "move-package" }, "Package"), pkg,
				h("label", { for: "move-location" }, "Location"), loc),
			out, h("h2", {}, "This session"), log);
		pkg.focus();
	},
};
