#!/usr/bin/env python3
"""Times the pages and JSON answers people use, over HTTP, one server.

Usage: pages.py BASE REPEATS CLIENTS PID   (prints markdown rows, one per route;
CLIENTS 0: sequential only, the concurrent columns then repeat the sequential run)

For each route: REPEATS requests one at a time (median and p95 latency, the answer's
size, its status), then CLIENTS concurrent clients making REPEATS requests each
(median and p95, and every status that is not 200; 503 is the only one allowed, at the
deadline). The server's RSS (from /proc/PID/status) is read idle before and at its
highest after the concurrent rounds.
"""
import concurrent.futures
import statistics
import sys
import time
import urllib.error
import urllib.request

ROUTES = [
    ("/", "text/html"),
    ("/id/state/EGY", "text/html"),
    ("/id/crime/terrorism", "text/html"),
    ("/id/instrument/untoc", "text/html"),
    ("/id/org/unodc", "text/html"),
    ("/id/report/gen_1_0000000", "text/html"),
    ("/id/meeting/congress-16", "text/html"),
    ("/matrix", "text/html"),
    ("/api/states/EGY", "application/json"),
    ("/api/crime-types/terrorism/states", "application/json"),
    ("/reports", "application/json"),
    ("/reports.html", "text/html"),
    ("/.well-known/void", "text/turtle"),
    ("/id/crime/terrorism.ttl", "text/turtle"),
]


def fetch(base, path, accept):
    req = urllib.request.Request(base + path, headers={"Accept": accept})
    t = time.perf_counter()
    try:
        with urllib.request.urlopen(req, timeout=600) as r:
            size, status = len(r.read()), r.status
    except urllib.error.HTTPError as e:
        size, status = len(e.read()), e.code
    except Exception:  # a dropped connection counts as an error, not a crash of the bench
        size, status = 0, 0
    return time.perf_counter() - t, size, status


def p95(times):
    times = sorted(times)
    return times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]


def rss_kb(pid, field):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def main():
    base, repeats, clients, pid = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    idle = rss_kb(pid, "VmRSS")
    rows = []
    for path, accept in ROUTES:
        seq = [fetch(base, path, accept) for _ in range(repeats)]
        times = [s[0] for s in seq]
        statuses = sorted({s[2] for s in seq})
        conc = seq
        if clients > 0:
            with concurrent.futures.ThreadPoolExecutor(clients) as pool:
                jobs = [pool.submit(fetch, base, path, accept) for _ in range(clients * repeats)]
                conc = [j.result() for j in jobs]
        bad = [s[2] for s in conc if s[2] != 200]
        errors = sum(1 for s in bad if s != 503)
        rows.append(
            f"| `{path}` | {statistics.median(times) * 1000:.0f} | {p95(times) * 1000:.0f} | "
            f"{max(s[1] for s in seq) // 1024} | {','.join(map(str, statuses))} | "
            f"{statistics.median([c[0] for c in conc]) * 1000:.0f} | {p95([c[0] for c in conc]) * 1000:.0f} | "
            f"{len(bad) - errors} | {errors} |"
        )
    peak = rss_kb(pid, "VmHWM")
    for r in rows:
        print(r)
    print(f"| server RSS, MB: idle {idle // 1024}, peak {peak // 1024} | | | | | | | | |")
    if any(not r.endswith("| 0 |") for r in rows):
        print("errors other than 503 under concurrent load", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
