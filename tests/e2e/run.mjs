// run.mjs: browser end-to-end tests of the ecms web UI: Playwright
// (playwright-core) driving Debian's chromium against a running
// `ecms serve` (tests/integration/e2e.sh starts it and sets the store up).
// Environment: ECMS_URL, ECMS_ARTIFACTS (screenshots), CHROMIUM,
// PROFILE_DIR (a fresh --user-data-dir). Prints "ok - " / "not ok - "
// lines; exits 1 when any check fails.
import { chromium } from "playwright-core";
import { mkdirSync } from "node:fs";

const URL = process.env.ECMS_URL;
const ART = process.env.ECMS_ARTIFACTS;
const GS = "\x1d", RS = "\x1e", EOT = "\x04";
let failed = 0;
// The production data (e2e.sh): the notice lot, its machine and slot, a
// reel of it in stock, a board that carries it.
const FX = { lot: process.env.NOTICE_LOT, machine: process.env.NOTICE_MACHINE, slot: process.env.NOTICE_SLOT,
	reel: process.env.NOTICE_REEL, board: process.env.NOTICE_BOARD };

function ok(cond, name, detail) {
	if (cond) console.log(`ok - ${name}`);
	else {
		failed++;
		console.log(`not ok - ${name}${detail ? ": " + detail : ""}`);
	}
	return cond;
}

async function shot(page, name) {
	await page.screenshot({ path: `${ART}/${name}.png`, fullPage: true });
}

async function login(page, user, password) {
	await page.goto(URL + "/");
	await page.locator("#login-user").fill(user);
	await page.locator("#login-password").fill(password);
	await page.locator("#login-submit").click();
	await page.locator("#who").filter({ hasText: user }).waitFor();
}

async function logout(page) {
	await page.locator("#who button").click();
	await page.locator("#login-user").waitFor();
}

// A Digi-Key reel label (ISO 15434 / EIGP 114) for PO-E2E-1.
function label(lot, dc) {
	return `[)>${RS}06${GS}P296-ADS1292RIPBSRCT-ND${GS}1PADS1292RIPBSR${GS}KPO-E2E-1${GS}4K1` +
		`${GS}Q1000${GS}1T${lot}${GS}9D${dc}${GS}4LPH${GS}11ZPICK${RS}${EOT}`;
}

// Type a scan as a keyboard-wedge scanner does: characters, with the
// separators as Ctrl+] / Ctrl+^ / Ctrl+D, then Enter.
async function typeScan(page, text) {
	for (const ch of text) {
		if (ch === GS) await page.keyboard.press("Control+]");
		else if (ch === RS) await page.keyboard.press("Control+^");
		else if (ch === EOT) await page.keyboard.press("Control+d");
		else await page.keyboard.type(ch);
	}
	await page.keyboard.press("Enter");
}

async function main() {
	mkdirSync(ART, { recursive: true });
	const ctx = await chromium.launchPersistentContext(process.env.PROFILE_DIR, {
		executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
		headless: true,
		args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
			"--disable-background-networking", "--disable-component-update", "--disable-sync"],
		viewport: { width: 1280, height: 860 },
	});
	const page = ctx.pages()[0] || (await ctx.newPage());
	page.setDefaultTimeout(15000);
	const errors = [];
	page.on("pageerror", (e) => errors.push(String(e)));
	page.on("console", (m) => { if (m.type() === "error" && !/Failed to load resource: the server responded with a status of 4\d\d/.test(m.text())) errors.push(m.text()); });

	// --- log in ---------------------------------------------------------
	await page.goto(URL + "/");
	await page.locator("#login-user").waitFor();
	await shot(page, "01-login");
	await page.locator("#login-user").fill("wes");
	await page.locator("#login-password").fill("wrong password");
	await page.locator("#login-submit").click();
	const bad = await page.locator(".error").textContent();
	ok(/authentication failed/i.test(bad), "a wrong password is refused on the login screen", bad);
	await page.locator("#login-password").fill("receive-pass");
	await page.locator("#login-submit").click();
	await page.locator("#who").filter({ hasText: "wes" }).waitFor();
	ok((await page.locator("#nav a").allTextContents()).includes("Receiving"), "wes (warehouse) logs in and sees Receiving");

	// --- receive: accepted (typed like a scanner), then quarantined -----
	await page.locator('#nav [data-screen="receive"]').click();
	await page.locator("#recv-scan").waitFor();
	ok(await page.locator("#recv-scan").evaluate((e) => e === document.activeElement), "the scan input has the focus");
	await page.locator("#recv-po").selectOption("PO-E2E-1");
	await page.locator("#recv-station").fill("DOCK-1");
	await page.locator("#recv-scan").focus();
	await typeScan(page, label("L7781", "2541"));
	await page.locator("#recv-result .verdict").waitFor();
	const v1 = await page.locator("#recv-result .verdict").getAttribute("data-verdict");
	const t1 = await page.locator("#recv-result .verdict").textContent();
	ok(v1 === "ok" && /ACCEPTED/.test(t1), "a reel with its CoC on file is ACCEPTED in green", t1);
	const accepted = await page.locator("#recv-result [data-uid]").textContent();
	ok(/^XU[0-9A-Z]+$/.test(accepted), `it gets a UID (${accepted})`);
	await page.locator("#recv-result img.label-img").evaluate((img) => img.complete || new Promise((r) => img.onload = r));
	ok(await page.locator("#recv-result img.label-img").evaluate((img) => img.naturalWidth) === 812, "its UID label (PNG, 812 x 406) is shown for printing");
	const zpl = await page.request.get(`${URL}/api/v1/packages/${accepted}/label?format=zpl`);
	ok(zpl.status() === 200 && (await zpl.text()).startsWith("^XA"), "the ZPL label downloads for the printer");
	await shot(page, "02-receive-accepted");
	ok(await page.locator("#recv-scan").evaluate((e) => e === document.activeElement && e.value === ""), "the scan input is cleared and focused for the next reel");

	await page.locator("#recv-scan").fill(label("L7790", "2543"));
	await page.locator("#recv-scan").press("Enter");
	await page.locator("#recv-result .verdict").filter({ hasText: "QUARANTINED" }).waitFor();
	const t2 = await page.locator("#recv-result .verdict").textContent();
	ok(await page.locator("#recv-result .verdict").getAttribute("data-verdict") === "bad", "a reel of a lot the PO does not name, without CoC, is QUARANTINED in red");
	ok(/lot/i.test(t2) && /CoC|certificate/i.test(t2), "with its reasons in words (lot, CoC)", t2);
	const quarantined = await page.locator("#recv-result [data-uid]").textContent();
	await shot(page, "03-receive-quarantined");

	await page.locator("#recv-scan").fill("this is not a label");
	await page.locator("#recv-scan").press("Enter");
	await page.locator("#recv-result .verdict").filter({ hasText: "NOT RECEIVED" }).waitFor();
	ok(true, "an unreadable scan is NOT RECEIVED, with the reader's reason");

	// handheld size
	await page.setViewportSize({ width: 360, height: 740 });
	await shot(page, "04-receive-handheld");
	await page.setViewportSize({ width: 1280, height: 860 });

	// --- move: the quarantined reel may not go to the line -------------
	await page.locator('#nav [data-screen="move"]').click();
	await page.locator("#move-package").fill(quarantined);
	await page.locator("#move-package").press("Enter");
	ok(await page.locator("#move-location").evaluate((e) => e === document.activeElement), "Enter on the package scan moves on to the location");
	await page.locator("#move-location").fill("L1");
	await page.locator("#move-location").press("Enter");
	await page.locator("#move-result .verdict").waitFor();
	const mv = await page.locator("#move-result .verdict").textContent();
	ok(/NOT MOVED/.test(mv) && /quarantin/i.test(mv), "a quarantined reel is refused for the line side", mv);
	await shot(page, "05-move-refused");
	await page.locator("#move-package").fill(accepted);
	await page.locator("#move-package").press("Enter");
	await page.locator("#move-location").fill("R01-S01");
	await page.locator("#move-location").press("Enter");
	await page.locator("#move-result .verdict").filter({ hasText: "MOVED" }).filter({ hasText: "R01-S01" }).waitFor();
	ok(true, "the accepted reel is put away on R01-S01");
	await shot(page, "06-move-ok");

	// --- kitting --------------------------------------------------------
	await page.locator('#nav [data-screen="kit"]').click();
	await page.locator("#kit-wo").selectOption("WO-HM-50");
	await page.locator('#kit-list table[data-table="kit"]').waitFor();
	ok(await page.locator('#kit-list table[data-table="kit"] tbody tr').count() > 5, "the kit list of WO-HM-50 shows its parts");
	await page.locator("#kit-scan").fill(accepted);
	await page.locator("#kit-scan").press("Enter");
	await page.locator("#kit-result .verdict").waitFor();
	const pk = await page.locator("#kit-result .verdict").textContent();
	ok(/PICKED/.test(pk) && pk.includes(accepted), "the proposed reel is picked by scan, to the line's cart", pk);
	await page.locator("#kit-list tr").filter({ hasText: "U-AFE-ADS1292RIPBS" }).filter({ hasText: "1000" }).first().waitFor();
	await shot(page, "07-kit");

	// --- MSD: the accepted MSL 3 reel's bag is opened at the bench -------
	await page.locator('#nav [data-screen="msd"]').click();
	await page.locator("#msd-scan").fill(accepted.toLowerCase());
	await page.locator("#msd-scan").press("Enter");
	await page.locator("#msd-status .verdict").waitFor();
	ok(/never opened/.test(await page.locator("#msd-status").textContent()), "a scanned UID (typed in lower case) shows its floor life: never opened");
	await page.locator("#msd-hic").selectOption("5");
	await page.locator('#msd-actions [data-event="open"]').click();
	await page.locator("#msd-status .verdict").filter({ hasText: "exposed" }).waitFor();
	const ms = await page.locator("#msd-status").textContent();
	ok(/USABLE/.test(ms) && /168 h/.test(ms), "opening the bag starts its 168 h floor-life clock", ms);
	await page.locator('#msd-actions [data-event="bake"]').click();
	await page.locator("#msd-message .verdict").filter({ hasText: "NOT RECORDED" }).waitFor();
	ok(/needs "hours"/.test(await page.locator("#msd-message").textContent()), "a bake without its hours is not recorded, and says why");
	ok(/exposed/.test(await page.locator("#msd-status").textContent()), "while the package's status stays in view");
	await shot(page, "08-msd");

	// --- feeder setup: a wrong reel is NO-GO, the right one GO -----------
	await page.locator('#nav [data-screen="setup"]').click();
	await page.locator("#setup-machine").fill(FX.machine);
	await page.locator("#setup-machine").press("Enter");
	await page.locator('table[data-table="setup-check"]').waitFor();
	ok(await page.locator("#setup-slot").evaluate((e) => e === document.activeElement), "Enter on the machine moves on to the slot scan");
	ok(/program HM100-B-TOP/.test(await page.locator("#setup-program").textContent()), "the setup screen shows the machine's active program");
	await page.locator("#setup-slot").fill(FX.slot);
	await page.locator("#setup-slot").press("Enter");
	ok(await page.locator("#setup-reel").evaluate((e) => e === document.activeElement), "Enter on the slot moves on to the reel scan");
	await page.locator("#setup-reel").fill(accepted);
	let t0 = Date.now();
	await page.locator("#setup-reel").press("Enter");
	await page.locator("#setup-result .verdict").waitFor();
	let dt = Date.now() - t0;
	const ng = await page.locator("#setup-result .verdict").textContent();
	ok(await page.locator("#setup-result .verdict").getAttribute("data-verdict") === "bad" && /NO-GO/.test(ng),
		`the wrong reel (${accepted}, an AFE) on ${FX.slot} is NO-GO in red, in ${dt} ms`, ng);
	ok(/C-0805-106-10V-X5R/.test(ng) && /U-AFE-ADS1292RIPBS/.test(ng), "the reason names the part the slot wants and the one scanned", ng);
	ok(dt < 1000, `the verdict comes within a blink (${dt} ms < 1 s)`);
	await shot(page, "08a-setup-nogo");
	ok(await page.locator("#setup-slot").evaluate((e) => e === document.activeElement && e.value === ""), "after a verdict the slot scan is cleared and focused");
	await page.locator("#setup-slot").fill(FX.slot);
	await page.locator("#setup-slot").press("Enter");
	await page.locator("#setup-reel").fill(FX.reel);
	t0 = Date.now();
	await page.locator("#setup-reel").press("Enter");
	await page.locator("#setup-result .verdict").filter({ hasText: "GO" }).and(page.locator('[data-verdict="ok"]')).waitFor();
	dt = Date.now() - t0;
	ok(true, `the right reel (${FX.reel}) on ${FX.slot} is GO in green, in ${dt} ms`);
	await page.locator('table[data-table="setup-check"] tr').filter({ hasText: FX.slot }).filter({ hasText: "OK" }).filter({ hasText: FX.reel }).waitFor();
	ok(true, "and the setup check shows the slot OK with the reel");
	await shot(page, "08b-setup-go");
	const refused = await (await page.request.get(`${URL}/api/v1/setup/refusals?machine=${FX.machine}`)).json();
	ok(refused.length === 1 && refused[0].uid === accepted && refused[0].actor === "wes", "the NO-GO is on record, by wes", JSON.stringify(refused[0] || {}));
	await page.setViewportSize({ width: 360, height: 740 });
	await shot(page, "08c-setup-handheld");
	await page.setViewportSize({ width: 1280, height: 860 });
	await logout(page);

	// --- QA releases the quarantined reel with re-authentication --------
	await login(page, "quinn", "quality-first");
	await page.locator('#nav [data-screen="quarantine"]').click();
	const card = page.locator(`.card[data-uid="${quarantined}"]`);
	await card.waitFor();
	ok(true, `the quarantined reel ${quarantined} is in the queue`);
	await shot(page, "09-quarantine-queue");
	await card.locator('[data-action="release"]').click();
	await page.locator("#dec-reason").fill("Lot L7790: supplier lot split, CoC requested (CAPA-311)");
	await page.locator("#dec-location").fill("R01-S02");
	await page.locator("#dec-password").fill("not my password");
	await page.locator("#dec-submit").click();
	await page.locator("#decide .error").waitFor();
	const sigErr = await page.locator("#decide .error").textContent();
	ok(/authentication failed|password/i.test(sigErr), "a wrong password does not sign the release", sigErr);
	await shot(page, "10-release-wrong-password");
	ok(await page.locator("#who").filter({ hasText: "quinn" }).count() === 1, "and does not end the session");
	await page.locator("#dec-password").fill("quality-first");
	await page.locator("#dec-submit").click();
	await page.locator("#q-notice .notice").waitFor();
	const done = await page.locator("#q-notice .notice").textContent();
	ok(done.includes(quarantined) && /released from quarantine by Quinn Quality/.test(done), "the release is signed by Quinn Quality", done);
	ok(await card.count() === 0, "and the reel leaves the queue");
	await shot(page, "11-released");
	const pkg = await (await page.request.get(`${URL}/api/v1/packages/${quarantined}`)).json();
	ok(pkg.status === "available" && pkg.location === "R01-S02", "it is available on R01-S02", JSON.stringify({ s: pkg.status, l: pkg.location }));
	const decision = (pkg.decisions || [])[0] || {};
	ok(decision.signer === "quinn", "the decision on record is quinn's", JSON.stringify(decision));

	// --- stock and alerts -------------------------------------------------
	await page.locator('#nav [data-screen="stock"]').click();
	await page.locator('table[data-table="stock"]').waitFor();
	ok(await page.locator('table[data-table="stock"] tbody tr').filter({ hasText: "U-AFE-ADS1292RIPBS" }).count() === 1, "the dashboard shows the received part in stock");
	await shot(page, "12-stock-alerts");

	// --- trace: a board backward, the lot forward -------------------------
	await page.locator('#nav [data-screen="trace"]').click();
	await page.locator("#trace-kind").selectOption("board");
	await page.locator("#trace-serial").fill(FX.board);
	await page.locator("#trace-serial").press("Enter");
	await page.locator('table[data-table="components"]').waitFor();
	const comp = page.locator('table[data-table="components"] tbody tr').filter({ hasText: FX.lot });
	ok(await comp.count() === 2, `board ${FX.board}: C25 and C26 came from lot ${FX.lot}`, String(await comp.count()));
	ok(/MOUSER/.test(await comp.first().textContent()) && /CL21A106KP5NNNC/.test(await comp.first().textContent()), "with MPN and supplier");
	ok(await page.locator('table[data-table="components"] tbody tr').count() > 40, "every refdes of the board is listed");
	await shot(page, "13-board-certificate");
	await page.locator('#nav [data-screen="trace"]').click();
	await page.locator("#trace-kind").selectOption("lot");
	await page.locator("#trace-lot").fill(FX.lot);
	await page.locator("#trace-lot").press("Enter");
	await page.locator("#trace-mpn").press("Enter");
	await page.locator('table[data-table="trace-boards"]').waitFor();
	const tb = await page.locator('table[data-table="trace-boards"] tbody tr').allTextContents();
	ok(tb.length === 4 && tb.every((r) => /C25 C26/.test(r)), `lot ${FX.lot} forward: 4 boards, C25 C26 on each`, tb.join(" | "));
	ok(/4 boards \(4 for certain/.test(await page.locator("#trace-summary").textContent()), "all 4 for certain");
	await shot(page, "14-trace-lot");
	await page.locator('table[data-table="trace-boards"] a').first().click();
	await page.locator('table[data-table="components"]').waitFor();
	ok(/#\/board\//.test(page.url()), "a board of the result links to its birth certificate");

	// --- the recall wizard: scope, preview, apply (signed) ---------------
	await page.locator('#nav [data-screen="recall"]').click();
	await page.locator("#recall-lot").fill(FX.lot);
	await page.locator("#recall-preview-go").click();
	await page.locator("#recall-counts").waitFor();
	ok(await page.locator('[data-count="count"] .n').textContent() === "4", "the preview finds the 4 boards");
	ok(/LOADED ON/.test(await page.locator('table[data-table="recall-packages"]').textContent()), "and the reel still on the line (take it off)");
	await shot(page, "15-recall-preview");
	const before = await (await page.request.get(`${URL}/api/v1/boards/${FX.board}`)).json();
	ok(!before.hold, "the preview changed nothing (the board is not on hold)");
	await page.locator("#recall-reason").fill("Supplier notice: capacitor lot may crack (SN-2026-14)");
	await page.locator("#recall-password").fill("not my password");
	await page.locator("#recall-apply").click();
	await page.locator("#recall-apply-form .error").waitFor();
	ok(/authentication failed|password/i.test(await page.locator("#recall-apply-form .error").textContent()), "a wrong password does not apply the recall");
	await page.locator("#recall-password").fill("quality-first");
	await page.locator("#recall-apply").click();
	await page.locator("#recall-preview .verdict").filter({ hasText: "APPLIED" }).waitFor();
	const rtext = await page.locator("#recall-preview .verdict").textContent();
	ok(/RECALL RC-\d+ APPLIED/.test(rtext) && /4 boards and 4 packages put on hold/.test(rtext), "the signed recall holds 4 boards and 4 packages", rtext);
	await page.locator('table[data-table="recalls"] tbody tr').first().waitFor();
	await shot(page, "16-recall-applied");
	const after = await (await page.request.get(`${URL}/api/v1/boards/${FX.board}`)).json();
	ok(/^RC-/.test(after.hold || ""), `board ${FX.board} is on hold for the recall`, after.hold);
	const reel = await (await page.request.get(`${URL}/api/v1/packages/${FX.reel}`)).json();
	ok(reel.status === "on_hold" || reel.status === "hold" || /hold/.test(reel.status), `the reel ${FX.reel} is on hold`, reel.status);
	const notice = await page.request.get(`${URL}/api/v1/recalls/${/RC-\d+/.exec(rtext)[0]}/notice`);
	ok(notice.status() === 200 && (await notice.text()).includes(FX.board), "the customer notice (CSV) names the board");
	await logout(page);

	// --- the customer portal: its own work orders only -------------------
	await login(page, "cora", "medico-pass");
	await page.locator('table[data-table="work-orders"]').waitFor();
	const rows = await page.locator('table[data-table="work-orders"] tbody tr').allTextContents();
	ok(rows.length === 1 && rows[0].includes("WO-HM-50"), "cora (MEDICO) sees her work order", rows.join(" | "));
	ok(!rows.join(" ").includes("WO-ACME-7"), "and not ACME's");
	ok((await page.locator("#nav a").allTextContents()).join(",") === "Work orders", "her menu has the portal only");
	await shot(page, "20-portal-home");
	await page.locator('a[href="#/portal/WO-HM-50"]').click();
	await page.locator("#wo-detail").waitFor();
	await page.locator("main").filter({ hasText: "Boards" }).waitFor();
	await shot(page, "21-portal-work-order");
	await page.goto(URL + "/#/portal/WO-ACME-7");
	await page.locator("main .error").waitFor();
	const nf = await page.locator("main .error").textContent();
	ok(/no work order 'WO-ACME-7'/.test(nf), "ACME's work order by URL: not found, as if it did not exist", nf);
	await shot(page, "22-portal-other-customer");
	await page.goto(URL + "/#/board/WO-ACME-7-00001");
	await page.locator("main .error").waitFor();
	ok(/no board 'WO-ACME-7-00001'/.test(await page.locator("main .error").textContent()), "a board page by URL of another customer's serial: not found");
	const other = await page.request.get(`${URL}/api/v1/work-orders/WO-ACME-7`);
	const none = await page.request.get(`${URL}/api/v1/work-orders/WO-NOPE-7`);
	ok(other.status() === 404 && (await other.text()).replace("WO-ACME-7", "X") === (await none.text()).replace("WO-NOPE-7", "X"),
		"the API answers for ACME's work order exactly as for a made-up one");
	ok((await page.request.get(`${URL}/api/v1/parts`)).status() === 403, "the factory's data is refused to a customer");
	// her recall notice, her board's birth certificate
	await page.goto(URL + "/#/portal");
	await page.locator('table[data-table="recall-notices"]').waitFor();
	const rn = await page.locator('table[data-table="recall-notices"] tbody tr').allTextContents();
	ok(rn.length === 1 && rn[0].includes(FX.lot) && rn[0].includes(FX.board), "her portal lists the recall with her boards it concerns", rn.join(" | "));
	await shot(page, "17-portal-recall");
	await page.locator(`table[data-table="recall-notices"] a[href="#/board/${FX.board}"]`).click();
	await page.locator('table[data-table="components"]').waitFor();
	ok(await page.locator('table[data-table="components"] tbody tr').filter({ hasText: FX.lot }).count() === 2, "her board's birth certificate shows what went into it");
	const certFrame = page.frameLocator("#certificate");
	await certFrame.locator("body").filter({ hasText: FX.board }).waitFor();
	await certFrame.locator("svg").first().scrollIntoViewIfNeeded();
	await page.locator("#certificate").screenshot({ path: `${ART}/18c-certificate-document.png` });
	ok(await certFrame.locator("svg").count() >= 1, "the certificate document is embedded, with its plot(s)", String(await certFrame.locator("svg").count()));
	const certPdf = await page.request.get(`${URL}/api/v1/boards/${FX.board}/certificate?format=pdf`);
	ok(certPdf.status() === 200 && (await certPdf.body()).subarray(0, 4).toString() === "%PDF", "her board's certificate downloads as PDF");
	const pkgZip = await page.request.get(`${URL}/api/v1/work-orders/WO-HM-50/package?format=zip`);
	ok(pkgZip.status() === 200 && (await pkgZip.body()).subarray(0, 2).toString() === "PK", "her work order's traceability package downloads as ZIP");
	await shot(page, "18-portal-board-certificate");
	await page.setViewportSize({ width: 360, height: 740 });
	await shot(page, "18b-portal-board-handheld");
	await page.setViewportSize({ width: 1280, height: 860 });
	await logout(page);

	// --- another customer cannot see cora's board ---------------------------
	await login(page, "alex", "acme-pass-1");
	await page.locator("main").filter({ hasText: "No recall concerns these boards." }).waitFor();
	ok(await page.locator('table[data-table="recall-notices"]').count() === 0, "alex (ACME) sees no recall: none concerns his boards");
	ok(!(await page.locator("main").textContent()).includes("WO-HM-50"), "nor MEDICO's work order");
	await page.goto(URL + `/#/board/${FX.board}`);
	await page.locator("main .error").waitFor();
	ok(new RegExp(`no board '${FX.board}'`).test(await page.locator("main .error").textContent()), `MEDICO's board ${FX.board} by URL: not found for alex`);
	await shot(page, "19-other-customer-board");
	for (const p of ["", "/trace"]) {
		const a = await page.request.get(`${URL}/api/v1/boards/${FX.board}${p}`);
		const n = await page.request.get(`${URL}/api/v1/boards/HM100B-99999${p}`);
		ok(a.status() === 404 && (await a.text()).replace(FX.board, "X") === (await n.text()).replace("HM100B-99999", "X"),
			`GET /boards/{MEDICO's}${p} answers alex exactly as a made-up serial`);
	}
	ok((await page.request.get(`${URL}/api/v1/trace/lot?lot=${FX.lot}`)).status() === 403, "forward traces are refused to a customer");
	const otherCert = await page.request.get(`${URL}/api/v1/boards/${FX.board}/certificate`);
	ok(otherCert.status() === 404, "nor her board's birth certificate", String(otherCert.status()));
	const otherPkg = await page.request.get(`${URL}/api/v1/work-orders/WO-HM-50/package`);
	ok(otherPkg.status() === 404, "nor her order's package", String(otherPkg.status()));
	ok(errors.length === 0, "no script errors in the browser", errors.join(" | "));
	await ctx.close();
}

main().then(() => process.exit(failed ? 1 : 0), (e) => {
	console.log(`not ok - the browser test stopped: ${e && e.stack ? e.stack.split("\n").slice(0, 3).join(" ") : e}`);
	process.exit(1);
});
