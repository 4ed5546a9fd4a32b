// Opens the service's control-room page in Debian's chromium (headless) and uses it as an on-call engineer would:
// the assets and episodes shown at once from history (the live feed held back until they are), each asset's score
// chart, feedback on an episode given with the keyboard only, a maintenance window started and ended from a tile.
// Ids holding HTML must show as text. Any console error, page error or dialog (alert, confirm) fails the run, but
// for the one 401 of the first POST when a token is given: the service wants it, the page asks for it (in its own
// dialog, typed), keeps it for the tab and retries.
// Usage: node control-room.mjs <page url> <faulty asset> <asset whose ids hold HTML> <healthy asset> <screenshot dir>
//        [<bearer token the service requires for POST and DELETE>]
// Prints one JSON line with what it saw; exits non-zero with the reason otherwise.
import { chromium } from "playwright-core";

const [url, faulty, hostile, healthy, shots, token] = process.argv.slice(2);
const COMMENT = "washing the pump, not a fault";
const REASON = "bearing replacement";
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"],
});
const problems = [];
const check = (ok, what) => { if (!ok) throw new Error(what); };
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  page.setDefaultTimeout(20000);
  let unauthorized = [], expectUnauthorized = false;
  page.on("console", m => {
    if (m.type() !== "error") return;
    const where = m.location().url || "";
    if (expectUnauthorized && !unauthorized.length && m.text().includes("status of 401") && where.endsWith("/api/v1/anomalies/feedback")) {
      unauthorized.push(m.text());
    } else {
      problems.push("console error: " + m.text() + (where ? " (" + where + ")" : ""));
    }
  });
  page.on("pageerror", e => problems.push("page error: " + e));
  page.on("dialog", d => { problems.push(`unexpected ${d.type()} dialog: ${d.message()}`); d.dismiss().catch(() => {}); });

  // the live feed waits until the history has been checked: what shows before comes from the GET endpoints
  let releaseFeed;
  const feedHeld = new Promise(resolve => { releaseFeed = resolve; });
  await page.route("**/api/v1/anomalies/events", async route => { await feedHeld; await route.continue(); });

  const started = Date.now();
  await page.goto(url);
  const tile = asset => page.getByRole("article", { name: asset, exact: true });
  await tile(faulty).and(page.locator('[data-state="anomalous"]')).waitFor();
  await tile(hostile).waitFor();
  const rowsOf = asset => page.evaluate(a => [...document.querySelectorAll("#episode-rows tr[data-episode]")]
      .filter(r => r.dataset.asset === a).map(r => ({ id: r.dataset.episode, text: r.textContent })), asset);
  let faultyRows = [];
  for (let i = 0; i < 100 && !(faultyRows = await rowsOf(faulty)).length; i++) await page.waitForTimeout(100);
  const historyMs = Date.now() - started;
  check(faultyRows.length, "no episode of " + faulty + " listed from history");
  const openRow = faultyRows.find(r => r.text.includes("open"));
  check(openRow, "the open episode of " + faulty + " is not listed: " + JSON.stringify(faultyRows));
  const faultyTile = await tile(faulty).textContent();
  check(/Anomalous/.test(faultyTile) && /(LOW|MEDIUM|HIGH|CRITICAL)/i.test(faultyTile), "faulty tile: " + faultyTile);
  check(faultyTile.includes("Expected") && faultyTile.includes("Observed"), "faulty tile without features: " + faultyTile);
  const feedBeforeRelease = await page.locator("#live").textContent();

  // ids holding HTML are text: the heading reads as the raw id, no element came from it
  const hostileRows = await rowsOf(hostile);
  check(hostileRows.length && hostileRows[0].text.includes(hostile), "episode of the HTML-named asset: " + JSON.stringify(hostileRows));
  const injected = await page.evaluate(() => ({ images: document.images.length, scripts: document.scripts.length,
    handlers: document.querySelectorAll("[onerror], [onclick], [onload], [onmouseover]").length }));
  check(injected.images === 0 && injected.scripts === 1 && injected.handlers === 0, "markup injected: " + JSON.stringify(injected));

  // the score chart: the series, the vote threshold and the high and critical levels
  const chart = await tile(faulty).locator("svg.chart").evaluate(svg => ({
    points: Number(svg.dataset.points),
    polyline: (svg.querySelector("polyline")?.getAttribute("points") || "").split(" ").filter(Boolean).length,
    levels: [...svg.querySelectorAll("line[data-level]")].map(l => l.dataset.level),
    flagged: svg.querySelectorAll("line.flag").length,
    label: svg.getAttribute("aria-label"),
  }));
  check(chart.points >= 2 && chart.polyline === chart.points, "chart not drawn: " + JSON.stringify(chart));
  check(["vote", "high", "critical"].every(l => chart.levels.includes(l)), "chart levels missing: " + JSON.stringify(chart));
  const scoresServed = await (await page.request.get(new URL("api/v1/assets/" + encodeURIComponent(faulty) + "/scores", url).href)).json();
  chart.served_point_keys = Object.keys((scoresServed.points || [])[0] || {});

  // now the live feed: events keep the page current
  releaseFeed();
  await page.locator("#live", { hasText: "last" }).waitFor();
  await page.screenshot({ path: shots + "/control-room.png", fullPage: true });

  // feedback from the keyboard only: skip link, Tab to the episode's "False alarm", Enter, type, Enter
  await page.keyboard.press("Tab");
  await page.keyboard.press("Tab");
  const skip = await page.evaluate(() => document.activeElement.textContent);
  check(skip === "Skip to episodes", "second Tab reached " + skip);
  await page.keyboard.press("Enter");
  let tabs = 0, focused = null;
  for (; tabs < 80; tabs++) {
    await page.keyboard.press("Tab");
    focused = await page.evaluate(() => ({ episode: document.activeElement.dataset.episode,
      label: document.activeElement.dataset.label, name: document.activeElement.getAttribute("aria-label") }));
    if (focused.episode === openRow.id && focused.label === "false_alarm") break;
  }
  check(focused.episode === openRow.id, `Tab never reached the false-alarm button of ${openRow.id} (${tabs} presses)`);
  await page.keyboard.press("Enter");
  const feedbackDialog = page.getByRole("dialog", { name: "Feedback on episode" });
  await feedbackDialog.waitFor();
  const inDialog = await page.evaluate(() => ({ id: document.activeElement.id,
    checked: document.querySelector("#feedback-dialog input[name=label]:checked")?.value }));
  check(inDialog.id === "feedback-comment" && inDialog.checked === "false_alarm", "dialog focus: " + JSON.stringify(inDialog));
  await page.keyboard.type(COMMENT);
  expectUnauthorized = !!token;
  await page.keyboard.press("Enter");
  let tokenAsked = false;
  if (token) {
    // the service answers 401: the page asks for the token (focus in its field), keeps it and sends again
    await page.getByRole("dialog", { name: "Access token needed" }).waitFor();
    const tokenFocus = await page.evaluate(() => document.activeElement.id);
    check(tokenFocus === "token-input", "token dialog focus on " + tokenFocus);
    await page.keyboard.type(token);
    await page.keyboard.press("Enter");
    tokenAsked = true;
  }
  await feedbackDialog.waitFor({ state: "hidden" });
  expectUnauthorized = false;
  check(!token || unauthorized.length === 1, "expected one 401 before the token was given, saw " + unauthorized.length);
  const tokenKept = await page.evaluate(() => sessionStorage.getItem("anomaly-detection.token"));
  check(!token || tokenKept === token, "token not kept for the tab");
  const row = page.locator("#episode-rows tr").filter({ has: page.locator(`button[data-episode="${openRow.id}"]`) });
  await row.filter({ hasText: "False alarm: " + COMMENT }).waitFor();
  await page.locator("#feedback-list li", { hasText: COMMENT }).first().waitFor();
  const focusBack = await page.evaluate(() => document.activeElement.dataset.label || document.activeElement.tagName);
  const announced = await page.locator("#announcer").textContent();

  // a maintenance window from the tile: the dialog takes focus and Escape closes it; then started and ended
  const startButton = tile(faulty).getByRole("button", { name: "Start maintenance" });
  await startButton.click();
  const maintenanceDialog = page.getByRole("dialog", { name: "Start maintenance" });
  await maintenanceDialog.waitFor();
  const maintenanceFocus = await page.evaluate(() => document.activeElement.id);
  check(maintenanceFocus === "maintenance-until", "maintenance dialog focus on " + maintenanceFocus);
  await page.keyboard.press("Escape");
  await maintenanceDialog.waitFor({ state: "hidden" });
  const escapedTo = await page.evaluate(() => document.activeElement.getAttribute("aria-label"));
  await startButton.click();
  await maintenanceDialog.getByLabel("Reason").fill(REASON);
  await maintenanceDialog.getByRole("button", { name: "Start maintenance window" }).click();
  await maintenanceDialog.waitFor({ state: "hidden" });
  await tile(faulty).and(page.locator('[data-state="in_maintenance"]')).waitFor();
  check(!(await page.getByRole("dialog", { name: "Access token needed" }).isVisible()), "token asked twice");
  // the service says so too, and the page still does after its next poll
  const served = await (await page.request.get(new URL("api/v1/assets", url).href)).json();
  const servedState = served.assets.find(a => a.asset_id === faulty)?.state;
  await page.waitForResponse(r => r.url().endsWith("/api/v1/assets") && r.request().method() === "GET");
  await page.waitForTimeout(300);
  const maintenanceTile = await tile(faulty).textContent();
  check(maintenanceTile.includes("In maintenance") && maintenanceTile.includes(REASON), "tile in maintenance: " + maintenanceTile);
  check(await tile(faulty).getAttribute("data-state") === "in_maintenance", "tile left maintenance after a poll");
  await page.screenshot({ path: shots + "/control-room-maintenance.png", fullPage: true });
  await tile(faulty).getByRole("button", { name: "End maintenance" }).click();
  await tile(faulty).and(page.locator(':not([data-state="in_maintenance"])')).waitFor();
  await page.waitForResponse(r => r.url().endsWith("/api/v1/assets") && r.request().method() === "GET");
  await page.waitForTimeout(300);
  const endedState = await tile(faulty).getAttribute("data-state");
  check(endedState !== "in_maintenance", "tile still in maintenance after ending it");

  const tiles = await page.locator("article.tile").evaluateAll(ts => Object.fromEntries(ts.map(t => [t.dataset.asset, t.dataset.state])));
  const hostileHeading = await tile(hostile).getByRole("heading").textContent();
  const episodes = await page.locator("#episode-rows tr[data-episode]").count();
  const models = await page.locator("#models tr").count();
  const header = await page.locator("header.top").textContent();
  if (problems.length) throw new Error(problems.join("; "));
  console.log(JSON.stringify({ history_ms: historyMs, feed_before_release: feedBeforeRelease, tiles, episodes, models,
    open_episode: openRow.id, chart, hostile_heading: hostileHeading, injected, keyboard_tabs: tabs + 3,
    feedback_focus_back: focusBack, token_asked: tokenAsked, announced, escape_returned_to: escapedTo, maintenance_served: servedState,
    after_end: endedState, healthy_tile: tiles[healthy] || null, header: header.replace(/\s+/g, " ").trim() }));
} catch (e) {
  console.log("FAILED: " + (e && e.stack || e) + (problems.length ? "\nalso: " + problems.join("; ") : ""));
  process.exitCode = 1;
} finally {
  await browser.close();
}
