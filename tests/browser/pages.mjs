// The pages as a person uses them, in Debian's headless Chromium: home, search "Egypt",
// the State's page, a matrix cell to its evidence paragraph, a saved query's table;
// `javascript:` IRIs shown as text, and no console error (a Content-Security-Policy
// violation is one) on any page.
// Usage: node pages.mjs BASE_URL SCREENSHOT_DIR
import { chromium } from "playwright-core";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";

const [base, shots] = process.argv.slice(2);
mkdirSync(shots, { recursive: true });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
// Console errors (CSP violations among them), uncaught exceptions and dialogs (an
// injected alert()), on every page visited; checked by the last step.
const problems = [];
page.on("console", (m) => {
  if (m.type() === "error" && !m.location().url.endsWith("/favicon.ico")) {
    problems.push(`console error on ${page.url()}: ${m.text()}`);
  }
});
page.on("pageerror", (e) => problems.push(`exception on ${page.url()}: ${e.message}`));
page.on("dialog", async (d) => {
  problems.push(`dialog on ${page.url()}: ${d.message()}`);
  await d.dismiss();
});
let passed = 0;
let failed = 0;
async function step(name, fn) {
  try {
    await fn();
    passed++;
    console.log(`ok   ${name}`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${name}: ${e.message}`);
    await page.screenshot({ path: `${shots}/failed-${name.replace(/\W+/g, "-")}.png`, fullPage: true }).catch(() => {});
  }
}

await step("home shows what is in the graph", async () => {
  await page.goto(`${base}/`);
  assert.equal(await page.locator("h1").innerText(), "What States said at the UN Crime Congresses");
  const reports = await page.locator("dl.counts div", { hasText: "Reports" }).locator("dd").innerText();
  assert.ok(Number(reports) >= 5, `reports: ${reports}`);
  await page.screenshot({ path: `${shots}/home.png`, fullPage: true });
});

await step("search Egypt and reach the State page", async () => {
  await page.getByLabel("Search States, bodies, instruments, crime types").fill("Egypt");
  await page.keyboard.press("Enter");
  await page.waitForURL(/\/search\?q=Egypt/);
  await page.getByRole("link", { name: "Egypt", exact: true }).first().click();
  await page.waitForURL(/\/id\/state\/EGY$/);
  assert.equal(await page.locator("h1").innerText(), "Egypt");
  assert.ok(await page.getByRole("heading", { name: "Statements" }).isVisible());
  const rows = await page.locator("section", { has: page.getByRole("heading", { name: "Statements" }) }).locator("tbody tr").count();
  assert.ok(rows >= 2, `statements: ${rows}`);
  await page.screenshot({ path: `${shots}/state.png`, fullPage: true });
});

await step("matrix cell leads to its evidence paragraph", async () => {
  await page.goto(`${base}/matrix`);
  await page.screenshot({ path: `${shots}/matrix.png`, fullPage: false });
  const shade = await page.locator("table.matrix td.hit").first()
    .evaluate((td) => getComputedStyle(td).backgroundColor);
  assert.notEqual(shade, "rgba(0, 0, 0, 0)", "a cell with statements is shaded");
  await page.locator('a[aria-label^="Egypt, terrorism:"]').click();
  await page.waitForURL(/\/matrix\/evidence\?/);
  const first = page.locator("article.paragraph").first();
  assert.ok(await first.isVisible());
  assert.ok((await first.locator("a.m, mark").count()) >= 1, "the crime type is marked");
  await page.screenshot({ path: `${shots}/evidence.png`, fullPage: true });
  await first.locator("h2 a").click();
  await page.waitForURL(/\/id\/report\/[^#]+#p-/);
  const target = page.locator("article.paragraph:target");
  assert.equal(await target.count(), 1, "the report opens at the paragraph");
  await page.screenshot({ path: `${shots}/report.png`, fullPage: false });
});

await step("matrix filters by Congress", async () => {
  await page.goto(`${base}/matrix`);
  await page.getByLabel("Congress").selectOption("14");
  await page.getByRole("button", { name: "Filter" }).click();
  await page.waitForURL(/congress=14/);
  const caption = await page.locator("table.matrix caption").innerText();
  assert.match(caption, /States ×/);
});

// The editor's form, as it runs without JavaScript (with it, YASGUI takes its place).
const plainContext = await browser.newContext({ javaScriptEnabled: false });
const plain = await plainContext.newPage();

await step("without JavaScript, a saved query runs in the form and shows its table", async () => {
  await plain.goto(`${base}/sparql-editor`);
  await plain.getByLabel("Saved questions").selectOption({ index: 1 });
  await plain.getByRole("button", { name: "Load" }).click();
  await plain.waitForURL(/name=/);
  await plain.getByRole("button", { name: "Run query" }).click();
  await plain.waitForLoadState();
  const rows = await plain.locator("table.results tbody tr").count();
  assert.ok(rows > 0, `rows: ${rows}`);
  await plain.screenshot({ path: `${shots}/sparql.png`, fullPage: false });
});

await step("without JavaScript, a broken query shows its error next to it", async () => {
  await plain.goto(`${base}/sparql-editor`);
  await plain.getByLabel("Query").fill("SELECT ?x WHERE { ?x ");
  await plain.getByRole("button", { name: "Run query" }).click();
  assert.ok(await plain.getByRole("alert").isVisible());
  assert.match(await plain.getByRole("alert").innerText(), /syntax/i);
});

await step("the SPARQL editor: prefixes filled in, completion, a query run, CSV download", async () => {
  await page.goto(`${base}/sparql-editor`);
  await page.locator("#yasgui .CodeMirror").waitFor();
  assert.ok(await page.locator("#plain-editor").isHidden(), "the form gives way to YASGUI");
  const query = () => page.evaluate(() => window.crimegraphEditor.getTab().getYasqe().getValue());
  assert.match(await query(), /PREFIX cg: <https:\/\/w3id.org\/crimegraph\/ontology#>/);
  // A prefix from the bundled list: typed, completed with Ctrl-Space.
  await page.evaluate(() => {
    const y = window.crimegraphEditor.getTab().getYasqe();
    y.setValue("PREFIX foa");
    y.getDoc().setCursor({ line: 0, ch: 10 });
    y.focus();
  });
  await page.keyboard.press("Control+Space");
  await page.locator(".CodeMirror-hints li", { hasText: "foaf:" }).first().waitFor();
  await page.keyboard.press("Enter");
  assert.match(await query(), /^PREFIX foaf: <http:\/\/xmlns.com\/foaf\/0.1\/>/);
  // A class of the ontology, completed from this server's list.
  await page.evaluate(() => {
    const y = window.crimegraphEditor.getTab().getYasqe();
    const text = "PREFIX cg: <https://w3id.org/crimegraph/ontology#>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\nSELECT ?s ?label WHERE { ?s a cg:Sta";
    y.setValue(text);
    y.getDoc().setCursor(y.getDoc().posFromIndex(text.length));
    y.focus();
  });
  await page.keyboard.press("Control+Space");
  await page.locator(".CodeMirror-hints li", { hasText: "cg:State" }).first().waitFor();
  await page.keyboard.press("Enter");
  await page.keyboard.type(" ; rdfs:label ?label } ORDER BY ?label LIMIT 5");
  assert.match(await query(), /\?s a cg:State ; rdfs:label \?label/);
  await page.locator(".yasqe_queryButton").click();
  await page.locator(".yasr table tbody tr").first().waitFor();
  const rows = await page.locator(".yasr table tbody tr").count();
  assert.equal(rows, 5, `rows: ${rows}`);
  // The IRIs of the first column shown by their labels, as the label column has them.
  const first = page.locator(".yasr table tbody tr").first();
  const link = first.locator("a.iri").first();
  await page.waitForFunction(() => document.querySelector(".yasr table tbody tr a.iri")?.title);
  const shown = (await link.innerText()).trim();
  assert.ok(shown && !shown.startsWith("id:"), `shown: ${shown}`);
  assert.ok((await first.locator("td").nth(2).innerText()).includes(shown), `shown: ${shown}`);
  assert.match(await link.getAttribute("title"), /\/id\/state\//);
  await page.screenshot({ path: `${shots}/sparql-editor.png`, fullPage: false });
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.locator(".yasr_downloadIcon").click(),
  ]);
  assert.match(download.suggestedFilename(), /\.csv$/);
  const csv = await download.createReadStream().then(async (stream) => {
    let text = "";
    for await (const chunk of stream) text += chunk;
    return text;
  });
  assert.match(csv.split("\n")[0], /^"?s"?,"?label"?\s*$/);
});

// Every link on the page leads to http(s) (relative links resolve to the server's own).
async function onlyWebLinks(p) {
  const protocols = await p.locator("a[href]").evaluateAll((as) => as.map((a) => a.protocol));
  const other = protocols.filter((x) => x !== "http:" && x !== "https:");
  assert.deepEqual(other, [], "links that are not http(s)");
}

await step("a javascript: IRI in a query result is text, not a link", async () => {
  const query = 'SELECT (IRI("javascript:alert(document.domain)") AS ?x) (IRI("https://example.org/ok") AS ?y) {}';
  await plain.goto(`${base}/sparql-editor?query=${encodeURIComponent(query)}`);
  const cells = plain.locator("table.results tbody td");
  assert.equal(await cells.first().innerText(), "javascript:alert(document.domain)");
  assert.equal(await cells.first().locator("a").count(), 0);
  assert.equal(await cells.nth(1).locator('a[href="https://example.org/ok"]').count(), 1);
  await onlyWebLinks(plain);
});

await step("a javascript: IRI in the evidence page's parameters is text", async () => {
  const hostile = encodeURIComponent("javascript:alert(document.domain)");
  await page.goto(`${base}/matrix/evidence?state=${hostile}&crime=${hostile}`);
  assert.match(await page.locator("h1").innerText(), /javascript:alert\(document\.domain\)/);
  assert.equal(await page.locator("h1 a").count(), 0);
  await onlyWebLinks(page);
});

await step("no console errors, CSP violations or dialogs on any page", async () => {
  assert.deepEqual(problems, []);
});

await step("pages work without JavaScript", async () => {
  const ctx = await browser.newContext({ javaScriptEnabled: false });
  const p = await ctx.newPage();
  await p.goto(`${base}/id/crime/terrorism`);
  assert.equal(await p.locator("h1").innerText(), "terrorism");
  assert.ok(await p.locator("figure.trend svg").isVisible());
  await p.screenshot({ path: `${shots}/crime-type.png`, fullPage: false });
  await ctx.close();
});

await browser.close();
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
