// s_login.js: log in with user ID and password (POST /api/v1/login).
import * as api from "/web/api.js";
import { h, fill, errorBox } from "/web/ui.js";

export default {
	id: "login",
	title: "Log in",
	roles: [],
	render(main, ctx) {
		const user = h("input", { id: "login-user", name: "user", autocomplete: "username", required: true, autofocus: true });
		const pass = h("input", { id: "login-password", name: "password", type: "password", autocomplete: "current-password", required: true });
		const msg = h("div", {}, ctx.message ? h("p", { class: "notice" }, ctx.message) : null);
		const btn = h("button", { type: "submit", id: "login-submit" }, "Log in");
		const form = h("form", { class: "card login", onsubmit: async (ev) => {
			ev.preventDefault();
			btn.disabled = true;
			try {
				await api.login(user.value.trim(), pass.value);
				pass.value = "";
				ctx.done();
			} catch (e) {
				fill(msg, errorBox(e));
				pass.value = "";
				pass.focus();
			} finally {
				btn.disabled = false;
			}
		} },
		h("h1", {}, "ecms"),
		h("p", { class: "muted" }, "Electronic component management: log in with your user ID."),
		h("label", { for: "login-user" }, "User ID"), user,
		h("label", { for: "login-password" }, "Password"), pass,
		msg,
		h("div", { class: "actions" }, btn));
		fill(main, form);
		user.focus();
	},
};
