#!/usr/bin/env python3
"""Times paragraph searches over HTTP, one server: /api/paragraphs and, as the baseline
a user has without the index, SPARQL CONTAINS over paragraph text on /sparql.

Usage: search.py BASE REPEATS   (prints markdown rows)
"""
import json
import statistics
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

CONTAINS = """PREFIX cg: <https://w3id.org/crimegraph/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
SELECT (COUNT(?p) AS ?n) WHERE {{ ?p a cg:Paragraph ; rdf:value ?t
  FILTER(CONTAINS(LCASE(?t), "{}")) }}"""

SEARCHES = [
    ("word: trafficking", "/api/paragraphs?q=trafficking"),
    ("phrase, two facets: \"organized crime\", instrument=untoc, congress=15",
     "/api/paragraphs?" + urllib.parse.urlencode(
         {"q": '"organized crime"', "instrument": "untoc", "congress": "15"})),
    ("prefix: cyber*", "/api/paragraphs?q=cyber*"),
    ("word, page 5: trafficking", "/api/paragraphs?q=trafficking&page=5"),
    ("baseline, SPARQL CONTAINS: trafficking",
     "/sparql?" + urllib.parse.urlencode({"query": CONTAINS.format("trafficking")})),
    ("baseline, SPARQL CONTAINS: organized crime",
     "/sparql?" + urllib.parse.urlencode({"query": CONTAINS.format("organized crime")})),
]


def fetch(base, path):
    req = urllib.request.Request(base + path, headers={"Accept": "application/json, application/sparql-results+json"})
    t = time.perf_counter()
    try:
        with urllib.request.urlopen(req, timeout=600) as r:
            body, status = r.read(), r.status
    except urllib.error.HTTPError as e:
        body, status = e.read(), e.code
    return time.perf_counter() - t, body, status


def hits(body):
    try:
        v = json.loads(body)
    except ValueError:
        return ""
    if "total" in v:
        return v["total"]
    return v["results"]["bindings"][0]["n"]["value"]


def main():
    base, repeats = sys.argv[1], int(sys.argv[2])
    failed = False
    for name, path in SEARCHES:
        fetch(base, path)  # warm
        times, last, statuses = [], b"", set()
        # The baselines take seconds each at 100k: a quarter of the repeats.
        n = max(3, repeats // 4) if path.startswith("/sparql") else repeats
        for _ in range(n):
            t, body, status = fetch(base, path)
            times.append(t * 1000)
            last = body
            statuses.add(status)
        times.sort()
        p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
        status = ",".join(str(s) for s in sorted(statuses))
        print(f"| {name} | {statistics.median(times):.1f} | {p95:.1f} | {hits(last)} | {status} | {n} |")
        if statuses != {200} and not path.startswith("/sparql"):
            failed = True
    sys.exit(1 if failed else 0)


main()
