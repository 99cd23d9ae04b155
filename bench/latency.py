#!/usr/bin/env python3
"""Median and p95 latency of saved questions over HTTP, for two endpoints in one run.
Usage: latency.py REPEATS NAME=URL [NAME=URL ...] -- QUERY_FILE ...   (prints TSV)"""
import statistics
import sys
import time
import urllib.parse
import urllib.request

args = sys.argv[1:]
repeats = int(args.pop(0))
sep = args.index("--")
endpoints = [a.split("=", 1) for a in args[:sep]]
for path in args[sep + 1:]:
    query = open(path, encoding="utf-8").read()
    data = urllib.parse.urlencode({"query": query}).encode()
    for name, url in endpoints:
        times = []
        for _ in range(repeats):
            req = urllib.request.Request(url, data=data, headers={"Accept": "application/sparql-results+json", "Content-Type": "application/x-www-form-urlencoded"})
            t = time.perf_counter()
            urllib.request.urlopen(req, timeout=600).read()
            times.append(time.perf_counter() - t)
        times.sort()
        p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
        print(f"{path.rsplit('/', 1)[-1]}\t{name}\t{statistics.median(times) * 1000:.1f}\t{p95 * 1000:.1f}")
