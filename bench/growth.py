#!/usr/bin/env python3
"""How much one page's latency grows from a small store to a large one, over enough
requests for a p95: two servers (one per store) asked in turns, so that this machine's
swings fall on both alike. The 20-request p95 of pages.py read anything from 0.9x to
3.7x for the same page on the same stores; 200 requests in turns read within 0.1x.

Usage: growth.py BASE_SMALL BASE_LARGE PATH [REQUESTS [ACCEPT]]
  (REQUESTS 200 by default, after 5 to warm up; ACCEPT text/html)
Prints one markdown row: path, median / p95 in ms at each size, the p95's growth.
"""
import statistics
import sys
import time
import urllib.request


def timed(url, accept):
    req = urllib.request.Request(url, headers={"Accept": accept})
    t = time.perf_counter()
    with urllib.request.urlopen(req, timeout=600) as r:
        r.read()
    return (time.perf_counter() - t) * 1000


def p95(times):
    times = sorted(times)
    return times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]


def main():
    small, large, path = sys.argv[1], sys.argv[2], sys.argv[3]
    n = int(sys.argv[4]) if len(sys.argv) > 4 else 200
    accept = sys.argv[5] if len(sys.argv) > 5 else "text/html"
    times = {small: [], large: []}
    for i in range(n + 5):
        for base in (small, large):
            t = timed(base + path, accept)
            if i >= 5:
                times[base].append(t)
    cells = [f"{statistics.median(times[b]):.1f} / {p95(times[b]):.1f}" for b in (small, large)]
    growth = p95(times[large]) / p95(times[small])
    print(f"| `{path}` | {cells[0]} | {cells[1]} | {growth:.2f}x |")


if __name__ == "__main__":
    main()
