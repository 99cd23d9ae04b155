// The SPARQL editor with JavaScript: YASGUI (@zazuko/yasgui, served from /static/, no
// CDN), set up from the page's `editor-setup` data: the project's prefixes in every new
// query, completion of the ontology's classes and properties and of entities by label
// from this server (the default completers ask Linked Open Vocabularies: no request
// leaves this server), the saved questions as examples, queries sent to /sparql.
// Without JavaScript, or should YASGUI not load, the page's form runs queries instead.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const host = document.getElementById("yasgui");
  const data = document.getElementById("editor-setup");
  if (!host || !data || typeof window.Yasgui === "undefined") return;
  const setup = JSON.parse(data.textContent);
  const Yasqe = window.Yasgui.Yasqe;
  const endpoint = new URL(setup.endpoint, window.location.href).href;
  const idBase = (setup.prefixes.find(([p]) => p === "id") || [null, ""])[1];

  // Terms of the ontology whose IRI begins as the typed one (expanded from its prefix).
  const fromList = (list) => (yasqe, token) => {
    const typed = (token && token.autocompletionString) || "";
    return Promise.resolve(list.filter((iri) => iri.startsWith(typed)));
  };
  Yasqe.forkAutocompleter("class", { name: "cg-class", get: fromList(setup.classes) }, false);
  Yasqe.forkAutocompleter("property", { name: "cg-property", get: fromList(setup.properties) }, false);
  // `id:Egy…`: entities whose names hold the typed words (the server's label search).
  Yasqe.forkAutocompleter("class", {
    name: "cg-entity",
    isValidCompletionPosition: (yasqe) => {
      const token = yasqe.getCompleteToken();
      return token.string.startsWith("id:") && token.string.length > 4;
    },
    get: (yasqe, token) => {
      const words = ((token && token.autocompletionString) || "").slice(idBase.length);
      if (words.length < 2) return Promise.resolve([]);
      return fetch(`/api/search?q=${encodeURIComponent(words)}`, { headers: { Accept: "application/json" } })
        .then((r) => (r.ok ? r.json() : { results: [] }))
        .then((a) => a.results.map((r) => r.entity).filter((iri) => iri.startsWith(idBase)));
    },
  }, false);

  const prefixes = setup.prefixes.map(([p, iri]) => `PREFIX ${p}: <${iri}>`).join("\n");
  const starter = `${prefixes}\n\nSELECT ?state ?label WHERE {\n  ?state a cg:State ; rdfs:label ?label .\n}\nLIMIT 10\n`;
  const yasgui = new window.Yasgui(host, {
    requestConfig: { endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    persistenceId: null,
    endpointCatalogueOptions: { getData: () => [{ endpoint }] },
    yasqe: {
      value: setup.query || starter,
      autocompleters: ["prefixes", "variables", "cg-class", "cg-property", "cg-entity"],
      persistenceId: null,
      resizeable: true,
    },
    yasr: { persistenceId: null, prefixes: Object.fromEntries(setup.prefixes) },
  });
  const tab = yasgui.getTab();
  if (setup.query) tab.setQuery(setup.query);

  // The saved questions, as a list that opens one in the editor.
  const examples = document.getElementById("yasgui-examples");
  for (const [question, text] of setup.examples) {
    const option = document.createElement("option");
    option.textContent = question;
    option.value = text;
    examples.append(option);
  }
  examples.addEventListener("change", () => {
    if (examples.value) yasgui.getTab().setQuery(examples.value);
  });

  // Results show this server's IRIs by their labels (the IRI as the link's title), as
  // the form's table does: whenever the result table shows IRIs not yet labelled (a
  // query run, a page turned, a tab opened), one query asks for their rdfs:label.
  const iriText = /^[^<>"{}|^`\\\s]+$/;
  let pending = false;
  const label = async () => {
    pending = false;
    const links = [...host.querySelectorAll(".yasr a.iri:not([data-labelled])")]
      .filter((a) => a.getAttribute("href").startsWith(idBase) && iriText.test(a.getAttribute("href")));
    const iris = [...new Set(links.map((a) => a.getAttribute("href")))].slice(0, 200);
    if (iris.length === 0) return;
    links.forEach((a) => a.setAttribute("data-labelled", ""));
    const query = `SELECT ?s ?l WHERE { VALUES ?s { ${iris.map((i) => `<${i}>`).join(" ")} } ` +
      "?s <http://www.w3.org/2000/01/rdf-schema#label> ?l }";
    const response = await fetch(endpoint, {
      method: "POST",
      headers: { "Content-Type": "application/sparql-query", Accept: "application/sparql-results+json" },
      body: query,
    });
    if (!response.ok) return;
    const labels = new Map((await response.json()).results.bindings.map((b) => [b.s.value, b.l.value]));
    for (const a of links) {
      const text = labels.get(a.getAttribute("href"));
      if (text) {
        a.title = a.getAttribute("href");
        a.textContent = text;
      }
    }
  };
  new MutationObserver(() => {
    if (!pending) {
      pending = true;
      setTimeout(label, 50);
    }
  }).observe(host, { childList: true, subtree: true });

  document.getElementById("plain-editor").hidden = true;
  document.getElementById("yasgui-editor").hidden = false;
  window.crimegraphEditor = yasgui;
});
