// s_setup.js: feeder setup verification at the machine. The operator
// scans the slot, then the reel: GO in large green (the load is recorded)
// or NO-GO in large red with the reason in words, and nothing loaded
// (POST /api/v1/machines/{m}/setup/load, or .../splice onto the running
// reel). Below, the whole setup against the program, slot by slot
// (GET .../setup/check), refreshed after every scan; Unload takes a reel
// off a slot (POST .../setup/unload). The machine is remembered per browser.
import * as api from "/web/api.js";
import { h, fill, scanInput, verdict, table, show, errorBox, local } from "/web/ui.js";

const STATE = {
	ok: ["OK", "ok"], alternate: ["ALTERNATE", "ok"], missing: ["MISSING", "warn"],
	wrong_part: ["WRONG PART", "bad"], unusable: ["UNUSABLE", "bad"],
};

function facts(v) {
	return [`${v.machine} slot ${v.slot}`, v.uid ? ` · reel ${v.uid}` : "",
		v.package_ipn ? ` · ${v.package_ipn}` : "", v.expected_ipn ? ` · program wants ${v.expected_ipn}` : "",
		v.program ? ` · program ${v.program}` : ""].join("");
}

export default {
	id: "setup",
	title: "Feeder setup",
	roles: ["admin", "warehouse", "operator"],
	async render(main) {
		const out = h("div", { id: "setup-result", "aria-live": "assertive" });
		const checkBox = h("div", { id: "setup-check" });
		const head = h("p", { id: "setup-program", class: "muted" });
		const mode = h("select", { id: "setup-mode" }, h("option", { value: "load" }, "Load (empty slot)"),
			h("option", { value: "splice" }, "Splice onto the running reel"));
		const machine = h("input", { id: "setup-machine", value: local.get("setup.machine"), placeholder: "machine, e.g. L1-M1", autocomplete: "off" });
		let slotValue = "";

		async function refresh() {
			const m = machine.value.trim();
			if (!m) {
				fill(head, "Give the machine first.");
				fill(checkBox);
				return;
			}
			local.set("setup.machine", m);
			try {
				const c = await api.get(`/machines/${api.seg(m)}/setup/check`);
				fill(head, `${c.machine}: program ${c.program} v${c.version}`, c.work_order ? `, work order ${c.work_order}` : "");
				fill(checkBox, h("div", { class: `tag ${c.ok ? "ok" : "bad"}`, "data-setup-ok": String(c.ok) },
					c.ok ? "Setup complete: every slot has the right reel" :
						`Setup NOT complete: ${c.counts.missing} missing, ${c.counts.wrong_part} wrong part, ${c.counts.unusable} unusable`),
				table(c.slots, [
					{ key: "slot", title: "Slot" },
					{ key: "state", title: "State", fmt: (s) => h("span", { class: "tag " + (STATE[s.state] || ["", "bad"])[1] }, (STATE[s.state] || [s.state])[0]) },
					{ key: "expected_ipn", title: "Program wants" },
					{ key: "uid", title: "Reel" },
					{ key: "package_ipn", title: "Reel holds", small: true },
					{ key: "message", title: "Why", small: true },
				], { name: "setup-check", empty: "The program uses no slot." }),
				c.extra && c.extra.length ? h("p", { class: "muted" }, "Also loaded, not used by the program: ",
					c.extra.map((x) => `${x.slot} ${x.uid}`).join(", ")) : null);
			} catch (e) {
				fill(head);
				fill(checkBox, errorBox(e));
			}
		}

		const reel = scanInput({ id: "setup-reel", placeholder: "then scan the reel (UID label)" }, async (value, input) => {
			if (!slotValue) return slot.focus();
			const m = machine.value.trim();
			input.disabled = true;
			try {
				const v = await api.post(`/machines/${api.seg(m)}/setup/${mode.value}`, { slot: slotValue, reel: value.trim() });
				fill(out, verdict("ok", "GO", facts(v), [v.message]));
			} catch (e) {
				const v = e.detail && e.detail.verdict;
				if (v) fill(out, verdict("bad", "NO-GO", facts(v), [v.message, "Do not load this reel."]));
				else fill(out, errorBox(e));
			}
			input.disabled = false;
			input.value = slot.value = "";
			slotValue = "";
			slot.focus();
			refresh();
		});
		const slot = scanInput({ id: "setup-slot", placeholder: "scan the slot" }, (value) => {
			slotValue = value.trim();
			reel.focus();
		});
		const unloadSlot = h("input", { id: "setup-unload-slot", placeholder: "slot", autocomplete: "off" });
		const unloadMsg = h("div", {});
		machine.addEventListener("change", refresh);
		machine.addEventListener("keydown", (ev) => {
			if (ev.key === "Enter") {
				ev.preventDefault();
				refresh();
				slot.focus();
			}
		});
		fill(main, h("h1", {}, "Feeder setup"),
			h("div", { class: "card" },
				h("div", { class: "row" },
					h("div", {}, h("label", { for: "setup-machine" }, "Machine"), machine),
					h("div", {}, h("label", { for: "setup-mode" }, "What"), mode)),
				head,
				h("label", { for: "setup-slot" }, "Slot"), slot,
				h("label", { for: "setup-reel" }, "Reel"), reel),
			out,
			h("h2", {}, "Setup check"), checkBox,
			h("details", { class: "card" }, h("summary", {}, "Unload a reel"),
				h("label", { for: "setup-unload-slot" }, "Slot"), unloadSlot,
				h("div", { class: "actions" }, h("button", { id: "setup-unload", class: "secondary", onclick: async () => {
					try {
						const r = await api.post(`/machines/${api.seg(machine.value.trim())}/setup/unload`, { slot: unloadSlot.value.trim() });
						fill(unloadMsg, h("div", { class: "notice" }, `${r.uid} taken off ${r.machine} ${r.slot}`));
						unloadSlot.value = "";
					} catch (e) {
						fill(unloadMsg, errorBox(e));
					}
					refresh();
				} }, "Unload")), unloadMsg));
		(machine.value ? slot : machine).focus();
		await refresh();
	},
};
