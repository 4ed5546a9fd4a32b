// Opens the service's status page in Debian's chromium (headless) and checks what a person would see:
// the model set, and an anomaly produced through Kafka arriving in the live feed with its features.
// Usage: node status-page.mjs <page url> <asset id expected in the feed> <screenshot path>
import { chromium } from "playwright-core";

const [url, asset, screenshot] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"],
});
try {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  const errors = [];
  page.on("pageerror", e => errors.push(String(e)));
  await page.goto(url);
  await page.getByRole("heading", { name: "Anomaly detection" }).waitFor();
  await page.locator("#models tr", { hasText: "lstm_autoencoder" }).waitFor({ timeout: 30000 });
  const models = await page.locator("#models tr").count();
  const anomaly = page.locator(`#anomalies li[data-asset="${asset}"]`).first();
  await anomaly.waitFor({ timeout: 90000 });
  await page.locator("#legend span", { hasText: asset }).first().waitFor({ timeout: 10000 });
  const state = await page.locator("#state").textContent();
  const text = await anomaly.textContent();
  await page.screenshot({ path: screenshot, fullPage: true });
  if (errors.length) throw new Error("page errors: " + errors.join("; "));
  console.log(JSON.stringify({ models, state, anomaly: text }));
} finally {
  await browser.close();
}
