// The Tally console: a few views over the console API (api/...), drawn with uPlot. The credential a person
// pastes is kept in this tab's session storage only (no cookie, never in a URL) and sent as a bearer header.
"use strict";

const CREDENTIAL = "tally.console.credential";
const REFRESH_MS = 5000;
const main = document.getElementById("main");
let refreshTimer = null;
let charts = [];

// ---- the API ----------------------------------------------------------------------------------------------

class ApiError extends Error {
  constructor(status, body) {
    super(body && body.message ? body.message : "HTTP " + status);
    this.status = status;
    this.name = body && body.error ? body.error : "Error";
  }
}

async function api(path) {
  const response = await fetch("api/" + path, { headers: { Authorization: "Bearer " + sessionStorage.getItem(CREDENTIAL) } });
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    throw new ApiError(response.status, body);
  }
  return body;
}

// ---- small DOM helpers (text only: nothing the server sends is parsed as HTML) ----------------------------

function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value !== null && value !== undefined) {
      node.setAttribute(name, value);
    }
  }
  for (const child of children.flat()) {
    node.append(child instanceof Node ? child : document.createTextNode(child === null || child === undefined ? "" : String(child)));
  }
  return node;
}

function table(headers, rows, numeric = []) {
  return el("table", {},
    el("thead", {}, el("tr", {}, headers.map((h, i) => el("th", { class: numeric.includes(i) ? "num" : null }, h)))),
    el("tbody", {}, rows.map(row => el("tr", {}, row.map((cell, i) => el("td", { class: numeric.includes(i) ? "num" : null }, cell))))));
}

function bytes(n) {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return (i === 0 ? n : n.toFixed(1)) + " " + units[i];
}

const number = n => (n === null || n === undefined ? "-" : Number(n).toLocaleString("en-US"));
const when = iso => (iso ? iso.replace("T", " ").replace(/\.\d+Z$/, "Z") : "-");
const link = (href, text) => el("a", { href }, text);

// ---- signing in and out -----------------------------------------------------------------------------------

function signedIn() {
  return !!sessionStorage.getItem(CREDENTIAL);
}

function signOut(message) {
  sessionStorage.removeItem(CREDENTIAL);
  location.hash = "#/sign-in";
  showSignIn(message);
}

function showSignIn(message) {
  document.getElementById("nav").hidden = true;
  document.getElementById("sign-out").hidden = true;
  const input = el("input", { id: "credential", type: "password", autocomplete: "off", spellcheck: "false",
    placeholder: "tally_dev_... or AKIA...:secret" });
  const error = el("p", { id: "sign-in-error", class: "error", role: "alert" }, message || "");
  const form = el("form", { class: "sign-in card", id: "sign-in" },
    el("h1", {}, "Sign in to Tally"),
    el("p", { class: "muted" }, "Paste a developer token, or an access key as ACCESS_KEY_ID:SECRET. It is kept in this tab only, until you sign out or close it."),
    el("label", { for: "credential" }, "Credential"), input, error,
    el("button", { class: "primary", type: "submit" }, "Sign in"));
  form.addEventListener("submit", async event => {
    event.preventDefault();
    sessionStorage.setItem(CREDENTIAL, input.value.trim());
    try {
      await api("session");
      location.hash = "#/plans";
    } catch (e) {
      sessionStorage.removeItem(CREDENTIAL);
      error.textContent = e.status === 401 || e.status === 403 ? "Not signed in: " + e.message : e.message;
    }
  });
  main.replaceChildren(form);
  input.focus();
}

// ---- views ------------------------------------------------------------------------------------------------

async function plansView() {
  const data = await api("plans");
  return [el("h1", {}, "Usage plans"),
    el("p", { class: "muted" }, "Each plan's quota applies to each of its API keys, counted in the plan's time zone."),
    table(["Plan", "Quota", "Period", "Time zone", "Keys"], data.plans.map(p => [
      link("#/plans/" + encodeURIComponent(p.id), p.name + " (" + p.id + ")"), number(p.quota_limit), p.period, p.time_zone, number(p.key_count)]),
    [1, 4])];
}

async function planView(id, params) {
  const query = new URLSearchParams();
  ["from", "to"].forEach(name => params.get(name) && query.set(name, params.get(name)));
  const data = await api("plans/" + encodeURIComponent(id) + "/usage?" + query);
  const plan = data.plan;
  const keys = data.keys.slice().sort((a, b) => b.total_used - a.total_used);
  const drawn = keys.slice(0, 10);
  const from = el("input", { type: "date", name: "from", value: data.from });
  const to = el("input", { type: "date", name: "to", value: data.to });
  const apply = el("button", { type: "button" }, "Show");
  apply.addEventListener("click", () => {
    location.hash = "#/plans/" + encodeURIComponent(id) + "?from=" + from.value + "&to=" + to.value;
  });
  const chart = el("div", { class: "chart", id: "usage-chart" });
  // What the chart draws, for people who read numbers and for the browser tests.
  chart.dataset.series = JSON.stringify({ days: data.days, keys: drawn.map(k => ({ key_id: k.key_id, used: k.used })) });
  const view = [el("h1", {}, plan.name + " (" + plan.id + ")"),
    el("p", { class: "muted" }, "Quota " + number(plan.quota_limit) + " per " + plan.period.toLowerCase() + " and key, counted in "
      + plan.time_zone + ". Days are " + plan.time_zone + " days."),
    el("div", { class: "card" }, el("div", { class: "range" }, el("label", {}, "From", from), el("label", {}, "To", to), apply),
      el("h2", {}, "Daily use of the " + drawn.length + " busiest keys" + (data.next_page_token ? " (of the first 500)" : "")
        + ", and what remains of the busiest key's quota"), chart),
    el("h2", {}, "Closest to their quota, of all " + plan.name + "'s keys (" + data.today + ")"),
    table(["API key", "Used today", "Remaining"], data.closest.map(k => [link("#/plans/" + encodeURIComponent(id) + "/keys/"
      + encodeURIComponent(k.key_id) + "?from=" + data.from + "&to=" + data.to, k.key_id), number(k.used_today), number(k.remaining)]),
      [1, 2])];
  const busiest = drawn[0] || { key_id: "-", remaining: data.days.map(() => null) };
  afterRender(() => draw(chart, data.days, drawn.map(k => ({ label: k.key_id, values: k.used })), plan.quota_limit,
    { label: "remaining (" + busiest.key_id + ")", values: busiest.remaining }));
  return view;
}

async function keyView(planId, keyId, params) {
  const query = new URLSearchParams();
  ["from", "to"].forEach(name => params.get(name) && query.set(name, params.get(name)));
  const data = await api("plans/" + encodeURIComponent(planId) + "/usage?" + query);
  const key = data.keys.find(k => k.key_id === keyId) || { key_id: keyId, used: data.days.map(() => 0), remaining: data.days.map(() => null) };
  const chart = el("div", { class: "chart", id: "key-chart" });
  chart.dataset.series = JSON.stringify({ days: data.days, keys: [{ key_id: key.key_id, used: key.used, remaining: key.remaining }] });
  afterRender(() => draw(chart, data.days, [{ label: "used", values: key.used }], data.plan.quota_limit,
    { label: "remaining", values: key.remaining }));
  return [el("h1", {}, "API key " + keyId), el("p", {}, link("#/plans/" + encodeURIComponent(planId), "← " + data.plan.name)),
    el("div", { class: "card" }, chart),
    table(["Day", "Used", "Remaining"], data.days.map((day, i) => [day, number(key.used[i]), number(key.remaining[i])]), [1, 2])];
}

async function licensesView() {
  const data = await api("licenses");
  return [el("h1", {}, "Licenses"),
    table(["License", "Product", "SKU", "Status", "Valid until"], data.licenses.map(l => [
      link("#/licenses/" + encodeURIComponent(l.arn), l.name), l.product_name, l.product_sku,
      el("span", { class: "status " + l.status }, l.status), when(l.valid_until)]))];
}

async function licenseView(arn) {
  const data = await api("licenses/" + encodeURIComponent(arn));
  const gauges = data.entitlements.map(e => {
    if (e.max_count === null) {
      return el("div", { class: "gauge" }, el("div", { class: "label" }, el("strong", {}, e.name), el("span", {}, "tier: " + e.value)));
    }
    const share = e.max_count === 0 ? (e.consumed > 0 ? 1 : 0) : e.consumed / e.max_count;
    const fill = el("div", { class: "fill" });
    fill.style.width = Math.min(100, share * 100).toFixed(1) + "%";
    return el("div", { class: "gauge" + (e.consumed > e.max_count ? " over" : ""), "data-entitlement": e.name,
        "data-consumed": e.consumed, "data-max": e.max_count },
      el("div", { class: "label" }, el("strong", {}, e.name), el("span", {}, number(e.consumed) + " of " + number(e.max_count) + " "
        + e.unit.toLowerCase() + (e.consumed > e.max_count ? " — over by " + number(e.consumed - e.max_count) : ""))),
      el("div", { class: "bar" }, fill));
  });
  const l = data.license;
  return [el("h1", {}, l.name), el("p", { class: "muted" }, l.product_name + " · " + l.product_sku + " · issued by " + l.issuer + " to "
      + (l.beneficiary || "-") + " · ", el("span", { class: "status " + l.status }, l.status)),
    el("div", { class: "card", id: "gauges" }, gauges),
    el("h2", {}, "Live checkouts (" + data.checkouts.length + ")"),
    table(["Checkout", "Type", "Holds", "Node", "Issued", "Expires"], data.checkouts.map(c => [c.token_prefix + "…", c.type,
      c.items.map(i => i.name + " " + i.value).join(", "), c.node_id || "-", when(c.issued_at), c.expires_at ? when(c.expires_at) : "never"]))];
}

async function poolsView() {
  const data = await api("pools");
  return [el("h1", {}, "Identity pools"),
    table(["Pool", "Stored", "Sync sessions", "Last change"], data.pools.map(p => [
      link("#/pools/" + encodeURIComponent(p.id), p.name + " (" + p.id + ")"), bytes(p.data_storage), number(p.sync_sessions),
      when(p.last_modified)]), [1, 2])];
}

async function poolView(id) {
  const data = await api("pools/" + encodeURIComponent(id));
  const p = data.pool;
  return [el("h1", {}, p.name), el("p", { class: "muted" }, p.id + " · " + bytes(p.data_storage) + " stored · "
      + number(p.sync_sessions) + " sync sessions · last change " + when(p.last_modified)),
    el("h2", {}, "Identities by bytes stored"),
    table(["Identity", "Datasets", "Stored", "Last change"], data.identities.map(i => [
      link("#/pools/" + encodeURIComponent(id) + "/identities/" + encodeURIComponent(i.id), i.id), number(i.dataset_count),
      bytes(i.data_storage), when(i.last_modified)]), [1, 2])];
}

async function identityView(poolId, id) {
  const data = await api("pools/" + encodeURIComponent(poolId) + "/identities/" + encodeURIComponent(id));
  return [el("h1", {}, "Identity " + id), el("p", {}, link("#/pools/" + encodeURIComponent(poolId), "← pool")),
    el("p", { class: "muted" }, bytes(data.identity.data_storage) + " in " + data.identity.dataset_count + " datasets"),
    table(["Dataset", "Records", "Stored", "Last change", "By"], data.datasets.map(d => [d.name, number(d.num_records),
      bytes(d.data_storage), when(d.last_modified), d.last_modified_by]), [1, 2])];
}

// ---- charts -----------------------------------------------------------------------------------------------

const PALETTE = ["#2f6fdb", "#12b76a", "#f79009", "#7a5af8", "#ee46bc", "#06aed4", "#d92d20", "#667085", "#84cc16", "#0e9384"];

/**
 * Draws each key's daily use (left axis) and, against the plan's quota line, what remains of the quota
 * (right axis: the quota is per period, so it is read beside the daily use, not on its scale). The x axis is
 * the plan's days as the server counted them, in the plan's time zone, whatever the browser's zone.
 */
function draw(container, days, used, quota, remaining) {
  const data = [days.map((_, i) => i), ...used.map(s => s.values)];
  const series = [{ label: "day", value: (u, i) => (i === null ? "-" : days[i]) },
    ...used.map((s, i) => ({ label: s.label, scale: "calls", stroke: PALETTE[i % PALETTE.length], width: 2,
      points: { show: days.length <= 31 } }))];
  if (quota !== null && quota !== undefined) {
    data.push(days.map(() => quota));
    series.push({ label: "quota", scale: "quota", stroke: "#d92d20", dash: [4, 4], width: 1, points: { show: false } });
    data.push(remaining.values);
    series.push({ label: remaining.label, scale: "quota", stroke: "#667085", dash: [2, 3], width: 2, points: { show: false } });
  }
  const chart = new uPlot({
    width: Math.max(320, container.clientWidth || 900), height: 300,
    scales: { x: { time: false }, calls: { range: (u, min, max) => [0, Math.max(10, max * 1.1)] }, quota: { range: (u, min, max) => [0, Math.max(10, max * 1.05)] } },
    axes: [
      { incrs: [1, 2, 5, 7, 14, 30], space: 48, values: (u, splits) => splits.map(i => (days[i] || "").slice(5)) },
      { scale: "calls", label: "calls per day", size: 70 },
      { scale: "quota", side: 1, label: "quota and remaining", size: 80, grid: { show: false } },
    ],
    series,
  }, data, container);
  charts.push(chart);
}

let pending = [];
function afterRender(task) {
  pending.push(task);
}

// ---- routing and refresh ----------------------------------------------------------------------------------

function route() {
  const [path, search] = location.hash.replace(/^#/, "").split("?");
  const params = new URLSearchParams(search || "");
  const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
  switch (parts[0]) {
    case "plans":
      return parts.length === 1 ? ["plans", () => plansView()] : parts[2] === "keys"
        ? ["plans", () => keyView(parts[1], parts[3], params)] : ["plans", () => planView(parts[1], params)];
    case "licenses":
      return ["licenses", parts.length === 1 ? () => licensesView() : () => licenseView(parts[1])];
    case "pools":
      return ["pools", parts.length === 1 ? () => poolsView() : parts[2] === "identities"
        ? () => identityView(parts[1], parts[3]) : () => poolView(parts[1])];
    default:
      return ["plans", () => plansView()];
  }
}

async function render() {
  if (!signedIn()) {
    showSignIn();
    return;
  }
  document.getElementById("nav").hidden = false;
  document.getElementById("sign-out").hidden = false;
  const [section, view] = route();
  document.querySelectorAll("nav a").forEach(a => a.classList.toggle("active", a.dataset.section === section));
  try {
    pending = [];
    const content = await view();
    charts.forEach(c => c.destroy());
    charts = [];
    main.replaceChildren(...content);
    pending.forEach(task => task());
    document.getElementById("refreshed").textContent = "updated " + new Date().toLocaleTimeString();
    main.dataset.loaded = location.hash;
  } catch (e) {
    if (e.status === 401) {
      signOut("Signed out: " + e.message);
    } else {
      main.replaceChildren(el("p", { class: "error", role: "alert" }, e.message));
    }
  }
}

document.getElementById("sign-out").addEventListener("click", () => signOut("Signed out."));
window.addEventListener("hashchange", render);
refreshTimer = setInterval(() => {
  // Live while someone looks: a hidden tab asks nothing.
  if (document.visibilityState === "visible" && signedIn() && !document.activeElement.matches("input")) {
    render();
  }
}, REFRESH_MS);
render();
