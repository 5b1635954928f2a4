#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
"""iova-threads-median.py BENCH [ROUNDS] [ROWS] - the median and the range of
each figure of `iova_bench threads` over ROUNDS runs (default 5; ROWS is the
--rows mask, default all rows).

One run of the threads rows moves by up to a quarter on the shared 2-core
build machine; the median of a few runs, taken alternately with the build it
is compared with, is the figure docs/performance.md records.  Prints, per
row, "median [min-max]" for each thread count, and the median cache-line
round trip.
"""
import re
import statistics
import subprocess
import sys


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    bench = sys.argv[1]
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    rows = sys.argv[3] if len(sys.argv) > 3 else '0xffffffff'
    figures = {}
    order = []
    round_trips = []
    threads = None
    for _ in range(rounds):
        out = subprocess.run([bench, 'threads', '--rows', rows, '--seconds', '1'],
                             capture_output=True, text=True, check=True).stdout
        for line in out.splitlines():
            rt = re.match(r'^cache line round trip between two threads: ([\d.]+) ns', line)
            if rt:
                round_trips.append(float(rt.group(1)))
                continue
            if line.startswith('threads:'):
                threads = line.split()[1:]
                continue
            # a row: a 32-character name, then one figure per thread count
            m = re.match(r'^(.{32})((?:\s+[\d.]+)+)$', line)
            if m:
                name = m.group(1).strip()
                if name not in figures:
                    figures[name] = []
                    order.append(name)
                figures[name].append([float(x) for x in m.group(2).split()])
    if round_trips:
        print(f'cache line round trip: {statistics.median(round_trips):.0f} ns '
              f'[{min(round_trips):.0f}-{max(round_trips):.0f}]')
    print(f"{'threads:':32}" + ''.join(f' {t:>20}' for t in threads or []))
    for name in order:
        cols = list(zip(*figures[name]))
        print(f'{name:32}' + ''.join(
            f' {statistics.median(c):7.2f} [{min(c):5.2f}-{max(c):5.2f}]' for c in cols))


if __name__ == '__main__':
    main()
