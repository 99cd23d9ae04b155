#!/usr/bin/env python3
"""Real clients against a running crimegraph: SPARQLWrapper queries the endpoint and
rdflib parses every RDF format the server emits.

Usage: clients.py BASE_URL   (e.g. http://127.0.0.1:7878)
"""
import sys
import urllib.request

import rdflib
from SPARQLWrapper import CSV, JSON, XML, SPARQLWrapper, TURTLE, N3

base = sys.argv[1].rstrip("/")
CG = "https://w3id.org/crimegraph/ontology#"
failures = 0
checks = 0


def check(name, ok, detail=""):
    global failures, checks
    checks += 1
    if not ok:
        failures += 1
        print(f"FAIL {name} {detail}")
    else:
        print(f"ok   {name}")


# SPARQLWrapper: SELECT as JSON and XML, ASK, CONSTRUCT.
sw = SPARQLWrapper(f"{base}/sparql")
sw.setQuery(f"SELECT ?s WHERE {{ ?s a <{CG}Statement> }}")
sw.setReturnFormat(JSON)
rows = sw.query().convert()["results"]["bindings"]
check("SPARQLWrapper SELECT json", len(rows) > 0, len(rows))
sw.setReturnFormat(XML)
doc = sw.query().convert()
check("SPARQLWrapper SELECT xml", len(doc.getElementsByTagName("result")) == len(rows))
sw.setReturnFormat(CSV)
csv = sw.query().convert()
check("SPARQLWrapper SELECT csv", csv.decode().count("\n") == len(rows) + 1)
sw.setQuery(f"ASK {{ ?s a <{CG}Report> }}")
sw.setReturnFormat(JSON)
check("SPARQLWrapper ASK", sw.query().convert()["boolean"] is True)
sw.setMethod("POST")
sw.setQuery(f"CONSTRUCT {{ ?s a <{CG}Report> }} WHERE {{ ?s a <{CG}Report> }}")
sw.setReturnFormat(TURTLE)
g = rdflib.Graph().parse(data=sw.query().convert(), format="turtle")
check("SPARQLWrapper CONSTRUCT turtle (POST)", len(g) > 0, len(g))

# rdflib: every RDF format, by Accept and by extension.
formats = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/rdf+xml": "xml",
    "application/ld+json": "json-ld",
}
for media, fmt in formats.items():
    req = urllib.request.Request(f"{base}/id/state/EGY", headers={"Accept": media})
    data = urllib.request.urlopen(req).read()
    g = rdflib.Graph().parse(data=data, format=fmt)
    label = g.value(rdflib.URIRef("https://w3id.org/crimegraph/id/state/EGY"), rdflib.RDFS.label)
    check(f"rdflib /id/state/EGY as {fmt}", str(label) == "Egypt", label)
for ext, fmt in {"ttl": "turtle", "nt": "nt", "rdf": "xml", "jsonld": "json-ld"}.items():
    g = rdflib.Graph().parse(f"{base}/id/crime/terrorism.{ext}", format=fmt)
    check(f"rdflib /id/crime/terrorism.{ext}", len(g) > 0, len(g))
for path, fmt in {"/dump.nq": "nquads", "/dump.trig": "trig"}.items():
    ds = rdflib.Dataset()
    ds.parse(f"{base}{path}", format=fmt)
    n = sum(1 for _ in ds.quads())
    check(f"rdflib {path}", n > 1000, n)
for media, fmt in {"application/n-quads": "nquads", "application/trig": "trig"}.items():
    req = urllib.request.Request(
        f"{base}/sparql?query=" + urllib.parse.quote(f"CONSTRUCT {{ ?s a ?t }} WHERE {{ ?s a <{CG}Report> ; a ?t }}"),
        headers={"Accept": media},
    )
    ds = rdflib.Dataset()
    ds.parse(data=urllib.request.urlopen(req).read(), format=fmt)
    check(f"rdflib CONSTRUCT as {fmt}", sum(1 for _ in ds.quads()) > 0)
g = rdflib.Graph().parse(f"{base}/.well-known/void", format="turtle")
check("rdflib VoID", len(g) > 0)

print(f"{checks - failures} passed, {failures} failed")
sys.exit(1 if failures else 0)
