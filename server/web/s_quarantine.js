// s_quarantine.js: the quarantine queue (GET /api/v1/quarantine), oldest
// first with its reasons, and QA's decision on each package: release or
// reject, signed by re-authenticating (password, or badge and PIN) in the
// request itself (POST /api/v1/packages/{uid}/release|reject).
import * as api from "/web/api.js";
import { h, fill, errorBox, show, fmtTime } from "/web/ui.js";

function decideDialog(pkg, kind, me, done) {
	const reject = kind === "reject";
	const err = h("div", {});
	const reason = h("textarea", { id: "dec-reason", rows: 2, required: true, placeholder: "why (at least 3 characters)" });
	const disp = h("select", { id: "dec-disposition" }, h("option", { value: "return" }, "return to supplier"), h("option", { value: "scrap" }, "scrap"));
	const loc = h("input", { id: "dec-location", placeholder: "optional: where it goes (default: receiving)" });
	const coc = h("input", { id: "dec-coc", placeholder: "optional: CoC ID to link" });
	const mode = h("select", { id: "dec-mode" }, h("option", { value: "password" }, "my password"), h("option", { value: "badge" }, "badge and PIN"));
	const pw = h("input", { id: "dec-password", type: "password", autocomplete: "current-password" });
	const badge = h("input", { id: "dec-badge", autocomplete: "off" });
	const pin = h("input", { id: "dec-pin", type: "password", inputmode: "numeric", autocomplete: "off" });
	const pwBox = h("div", {}, h("label", { for: "dec-password" }, `Password of ${me.user}`), pw);
	const badgeBox = h("div", { hidden: true }, h("label", { for: "dec-badge" }, "Badge"), badge, h("label", { for: "dec-pin" }, "PIN"), pin);
	mode.addEventListener("change", () => {
		pwBox.hidden = mode.value !== "password";
		badgeBox.hidden = mode.value === "password";
		(mode.value === "password" ? pw : badge).focus();
	});
	const ok = h("button", { type: "submit", id: "dec-submit", class: reject ? "danger" : null }, reject ? "Sign and reject" : "Sign and release");
	const dlg = h("dialog", { id: "decide" });
	const form = h("form", { onsubmit: async (ev) => {
		ev.preventDefault();
		const body = { reason: reason.value.trim() };
		if (reject) body.disposition = disp.value;
		else {
			if (loc.value.trim()) body.location = loc.value.trim();
			if (coc.value.trim()) body.coc = coc.value.trim();
		}
		if (mode.value === "password") body.password = pw.value;
		else Object.assign(body, { badge: badge.value.trim(), pin: pin.value });
		ok.disabled = true;
		try {
			const r = await api.post(`/packages/${api.seg(pkg.uid)}/${kind}`, body);
			dlg.close();
			dlg.remove();
			done(r);
		} catch (e) {
			fill(err, errorBox(e));
			pw.value = pin.value = "";
			if (e.code === "signature") (mode.value === "password" ? pw : pin).focus();
		} finally {
			ok.disabled = false;
		}
	} },
	h("h2", {}, `${reject ? "Reject" : "Release"} ${pkg.uid}`),
	h("p", {}, `${show(pkg.ipn)} · ${show(pkg.mpn)} · lot ${show(pkg.lot)} · qty ${show(pkg.quantity)} · ${show(pkg.supplier)}`),
	h("ul", { class: "reasons" }, (pkg.reasons || []).map((r) => h("li", {}, r.message || r.rule))),
	h("label", { for: "dec-reason" }, "Reason"), reason,
	reject ? [h("label", { for: "dec-disposition" }, "Disposition"), disp] : [h("label", { for: "dec-location" }, "Location"), loc, h("label", { for: "dec-coc" }, "CoC"), coc],
	h("h2", {}, "Signature"),
	h("p", { class: "muted" }, `Signing means: ${reject ? "rejected" : "released from quarantine"}, by you, now, for the reason above.`),
	h("label", { for: "dec-mode" }, "Sign with"), mode, pwBox, badgeBox,
	err,
	h("div", { class: "actions" }, ok, h("button", { type: "button", class: "secondary", onclick: () => { dlg.close(); dlg.remove(); } }, "Cancel")));
	dlg.append(form);
	document.body.append(dlg);
	dlg.showModal();
	reason.focus();
}

export default {
	id: "quarantine",
	title: "Quarantine",
	roles: ["admin", "qa", "warehouse", "operator", "viewer"],
	async render(main, ctx) {
		const notice = h("div", { id: "q-notice", "aria-live": "polite" });
		const list = h("div", { id: "q-list" });
		const canDecide = ctx.me.role === "qa" && ctx.me.auth === "session";
		async function load() {
			const q = await api.get("/quarantine");
			fill(list, q.length === 0 ? h("p", { class: "muted" }, "Nothing in quarantine.") :
				h("div", { class: "cards" }, q.map((p) => h("div", { class: "card", "data-uid": p.uid },
					h("div", {}, h("b", {}, p.uid), " ", h("span", { class: p.age_days >= 3 ? "tag bad" : "tag warn" }, `${p.age_days} d`)),
					h("div", {}, `${show(p.ipn)} · ${show(p.mpn)}`),
					h("div", { class: "muted" }, `lot ${show(p.lot)} · qty ${show(p.quantity)} · ${show(p.supplier)} · ${show(p.po)}`),
					h("div", { class: "muted" }, `received ${fmtTime(p.received)}`),
					h("ul", { class: "reasons" }, (p.reasons || []).map((r) => h("li", {}, r.message || r.rule))),
					canDecide ? h("div", { class: "actions" },
						h("button", { "data-action": "release", onclick: () => decideDialog(p, "release", ctx.me, decided) }, "Release"),
						h("button", { class: "danger", "data-action": "reject", onclick: () => decideDialog(p, "reject", ctx.me, decided) }, "Reject")) : null))));
		}
		async function decided(r) {
			fill(notice, h("div", { class: "notice", role: "status" },
				`${r.uid} ${r.meaning} by ${r.signer_name || r.signer} at ${fmtTime(r.time)}`,
				r.location ? ` · now available in ${r.location}` : ""));
			await load();
		}
		fill(main, h("h1", {}, "Quarantine"),
			canDecide ? null : h("p", { class: "muted" }, "Only QA decides, logged in with a password (a signed decision)."),
			notice, list);
		await load();
	},
};
