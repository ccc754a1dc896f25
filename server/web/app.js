// app.js: the shell of the ecms web UI: who is logged in, the navigation
// (the screens this role may use), and a hash router (#/screen/arg).
//
// A screen is a module exporting { id, title, roles, render(main, ctx) }
// (hidden: true keeps it out of the menu: reached by link) and listed in
// SCREENS below; roles are the API roles it is for (the
// server enforces them anyway: the menu only hides what would be refused).
// Adding a screen: write s_<name>.js, import it here, add it to SCREENS.
import * as api from "/web/api.js";
import { h, fill } from "/web/ui.js";
import login from "/web/s_login.js";
import receive from "/web/s_receive.js";
import quarantine from "/web/s_quarantine.js";
import move from "/web/s_move.js";
import kit from "/web/s_kit.js";
import stock from "/web/s_stock.js";
import msd from "/web/s_msd.js";
import portal from "/web/s_portal.js";
import board from "/web/s_board.js";
import setup from "/web/s_setup.js";
import trace from "/web/s_trace.js";
import recall from "/web/s_recall.js";

const SCREENS = [receive, quarantine, move, kit, setup, msd, stock, trace, recall, portal, board];

const main = document.getElementById("app");
const nav = document.getElementById("nav");
const who = document.getElementById("who");
let me = null;

function allowed(s) {
	return me && s.roles.includes(me.role);
}

function parseHash() {
	const [id, ...rest] = location.hash.replace(/^#\/?/, "").split("/");
	return { id: decodeURIComponent(id || ""), arg: rest.length ? decodeURIComponent(rest.join("/")) : "" };
}

export function go(id, arg) {
	const target = "#/" + encodeURIComponent(id) + (arg ? "/" + encodeURIComponent(arg) : "");
	if (location.hash === target) route();
	else location.hash = target;
}

function showLogin(message) {
	me = null;
	fill(nav);
	fill(who);
	document.title = "ecms: log in";
	login.render(main, { message, done: start });
}

function drawChrome(current) {
	fill(nav, SCREENS.filter((s) => allowed(s) && !s.hidden).map((s) =>
		h("a", { href: "#/" + s.id, class: s.id === current ? "active" : null, "data-screen": s.id }, s.title)));
	fill(who, me.user || me.token, " (", me.role, me.customer ? ", " + me.customer : "", ")",
		me.auth === "session" ? h("button", { class: "secondary", onclick: async () => {
			try { await api.logout(); } finally { showLogin("Logged out."); }
		} }, "Log out") : null);
}

async function route() {
	if (!me) return;
	const { id, arg } = parseHash();
	let screen = SCREENS.find((s) => s.id === id && allowed(s));
	if (!screen) {
		screen = SCREENS.find((s) => allowed(s) && !s.hidden);
		if (!screen) {
			fill(main, h("p", { class: "error" }, `No screen for role ${me.role}.`));
			return;
		}
		if (id) history.replaceState(null, "", "#/" + screen.id);
	}
	drawChrome(screen.hidden ? "" : screen.id);
	document.title = "ecms: " + screen.title;
	fill(main);
	main.dataset.screen = screen.id;
	try {
		await screen.render(main, { me, arg, go });
	} catch (e) {
		if (e.status !== 401) main.append(h("div", { class: "error" }, e.message || String(e)));
	}
}

async function start() {
	try {
		me = await api.me();
	} catch (e) {
		if (e.status === 401) return showLogin();
		fill(main, h("div", { class: "error" }, "The server does not answer: " + e.message));
		return;
	}
	route();
}

api.setUnauthenticatedHandler(() => showLogin("Your session has ended: log in again."));
window.addEventListener("hashchange", route);
start();
