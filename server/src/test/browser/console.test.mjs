// The console in Debian's Chromium, driven by playwright-core (no browser download): sign in, every page,
// the chart's data against GetUsage, the license gauges, sign out. ConsoleBrowserIT starts the server, makes
// the data, and passes what to expect in the environment; a screenshot of each page goes to SCREENSHOTS.
import assert from "node:assert/strict";
import { chromium } from "playwright-core";

const env = name => {
  const value = process.env[name];
  assert.ok(value, name + " is not set: run this through ConsoleBrowserIT");
  return value;
};
const url = env("CONSOLE_URL");
const shots = env("SCREENSHOTS");
const expected = JSON.parse(env("EXPECTED"));
const problems = [];

const browser = await chromium.launch({ executablePath: env("CHROMIUM"), args: ["--no-sandbox", "--headless=new"] });
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  // A CSP violation, a failed script or a 4xx/5xx the page did not expect shows here.
  page.on("console", message => message.type() === "error" && problems.push("console: " + message.text()));
  page.on("pageerror", error => problems.push("page error: " + error.message));
  const shot = async name => page.screenshot({ path: shots + "/" + name + ".png", fullPage: true });
  const open = async hash => {
    await page.evaluate(h => { location.hash = h; }, hash);
    await page.waitForFunction(h => document.getElementById("main").dataset.loaded === h, hash);
  };
  const signIn = async credential => {
    await page.fill("#credential", credential);
    await page.click("#sign-in button[type=submit]");
  };

  // Sign in: a bad token, an identity token, then a developer token.
  await page.goto(url + "/console/");
  await signIn("tally_dev_" + "0".repeat(40));
  await page.waitForFunction(() => document.getElementById("sign-in-error").textContent.length > 0);
  assert.match(await page.textContent("#sign-in-error"), /Not signed in/);
  await shot("sign-in-refused");
  await signIn(env("IDENTITY_TOKEN"));
  await page.waitForFunction(() => /for developers/.test(document.getElementById("sign-in-error").textContent));
  problems.length = 0; // the refusals above are the 401 and 403 the page was meant to get
  await signIn(env("TOKEN"));
  await page.waitForFunction(() => document.getElementById("main").dataset.loaded === "#/plans");
  assert.equal(await page.evaluate(() => sessionStorage.length), 1);
  assert.equal(await page.evaluate(() => document.cookie), "");
  assert.ok(!page.url().includes(env("TOKEN")));
  assert.match(await page.textContent("main table"), new RegExp(expected.plan));
  await shot("plans");

  // The plan, over the two weeks the keys were used: its chart draws what GetUsage reports.
  await open("#/plans/" + expected.plan + "?from=" + expected.days[0] + "&to=" + expected.days.at(-1));
  await page.waitForSelector("#usage-chart canvas");
  const series = JSON.parse(await page.getAttribute("#usage-chart", "data-series"));
  assert.deepEqual(series.days, expected.days);
  const drawn = Object.fromEntries(series.keys.map(k => [k.key_id, k.used]));
  assert.deepEqual(drawn, expected.used);
  assert.equal(await page.locator(".u-legend .u-series").count(), 1 + Object.keys(expected.used).length + 2); // day, keys, quota, remaining
  const closest = await page.locator("main table tbody tr td:first-child").allTextContents();
  assert.equal(closest[0], expected.busiestKey);
  await shot("plan");
  await open("#/plans/" + expected.plan + "/keys/" + expected.busiestKey + "?from=" + expected.days[0] + "&to=" + expected.days.at(-1));
  await page.waitForSelector("#key-chart canvas");
  await shot("key");

  // The license: one gauge per counted entitlement, over its maximum shown as such, and the live checkouts.
  await open("#/licenses");
  await shot("licenses");
  await open("#/licenses/" + encodeURIComponent(expected.license));
  const gauge = page.locator(".gauge[data-entitlement=Seats]");
  assert.equal(await gauge.getAttribute("data-consumed"), String(expected.seatsConsumed));
  assert.equal(await gauge.getAttribute("data-max"), String(expected.seatsMax));
  assert.match(await gauge.getAttribute("class"), /over/);
  assert.equal(await page.locator("main table tbody tr").count(), expected.checkouts);
  await shot("license");

  // Pools, a pool's identities by bytes, an identity's datasets.
  await open("#/pools");
  await shot("pools");
  await open("#/pools/" + encodeURIComponent(expected.pool));
  assert.match(await page.textContent("main table"), new RegExp(expected.identity));
  await shot("pool");
  await open("#/pools/" + encodeURIComponent(expected.pool) + "/identities/" + encodeURIComponent(expected.identity));
  assert.match(await page.textContent("main table"), /prefs/);
  await shot("identity");

  // Live refresh: what changes on the server shows without a reload.
  const before = await page.textContent("#refreshed");
  await page.waitForFunction(b => document.getElementById("refreshed").textContent !== b, before, { timeout: 15000 });

  // Sign out: the credential is gone, and every page asks for it again.
  await page.click("#sign-out");
  await page.waitForSelector("#sign-in");
  assert.equal(await page.evaluate(() => sessionStorage.length), 0);
  await page.evaluate(() => { location.hash = "#/plans"; });
  await page.waitForSelector("#sign-in");
  await shot("signed-out");
  assert.deepEqual(problems, []);
  console.log("console browser test: every step passed");
} finally {
  await browser.close();
}
