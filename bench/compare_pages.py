#!/usr/bin/env python3
"""Times the same pages on two servers, one request at a time, taking turns.

Usage: compare_pages.py BASE_BASELINE BASE_OTHER REPEATS   (prints markdown rows:
route, median on each, the ratio other/baseline, statuses). The two servers are asked
in turns (one request to each, REPEATS times) so that whatever else the machine does
weighs on both alike. The routes are those of pages.py.
"""
import statistics
import sys

from pages import ROUTES, fetch


def main():
    base, other, repeats = sys.argv[1], sys.argv[2], int(sys.argv[3])
    for path, accept in ROUTES:
        a, b = [], []
        for _ in range(repeats):
            a.append(fetch(base, path, accept))
            b.append(fetch(other, path, accept))
        ma = statistics.median(s[0] for s in a)
        mb = statistics.median(s[0] for s in b)
        statuses = sorted({s[2] for s in a} | {s[2] for s in b})
        print(
            f"| `{path}` | {ma * 1000:.0f} | {mb * 1000:.0f} | {mb / ma:.2f}x | "
            f"{','.join(map(str, statuses))} |"
        )


if __name__ == "__main__":
    main()
