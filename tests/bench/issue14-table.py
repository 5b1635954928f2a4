#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
"""issue14-table.py - every row of issue 14 (performance) in one run.

usage: tests/bench/issue14-table.py BENCH_BUILD_DIR [--fuzz FUZZ_BUILD_DIR] [--fuzz-seconds S]

Runs the benchmarks of a -Dbenchmarks=true build (iova_bench tree, frag, fast
and threads; pgtable_bench) and, with --fuzz, the libFuzzer throughput script
(tests/fuzz/measure-throughput.sh) on a -Dfuzzing=true build, then prints one
Markdown table: each row's figure, its target and whether this run meets it.
These are single wall-clock runs on whatever the machine is doing: compare
them with docs/performance.md's noise warning in mind, never in `meson test`.
"""
import argparse
import os
import re
import subprocess
import sys

SRC = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def run(cmd):
    """Run @cmd, return its standard output; exit with its error on failure."""
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if proc.returncode:
        sys.exit(f"issue14-table: {' '.join(cmd)} failed ({proc.returncode}):\n{proc.stderr}")
    return proc.stdout


def need(match, what, text):
    if not match:
        sys.exit(f"issue14-table: no {what} in the output:\n{text}")
    return match


def tree_rows(bench):
    """{(live, in flight): (ours ns, reference ns)} from `iova_bench tree`."""
    out = run([bench, 'tree'])
    rows = {}
    for m in re.finditer(r'tree alloc\+free, +(\d+) live, +(\d+) in flight: +([\d.]+) ns/pair'
                         r' +REFERENCE +([\d.]+) ns/pair', out):
        rows[(int(m[1]), int(m[2]))] = (float(m[3]), float(m[4]))
    need(rows, 'tree rows', out)
    return rows


def frag_rows(bench):
    out = run([bench, 'frag'])
    rows = [(int(m[1]), float(m[2])) for m in
            re.finditer(r'fragmented .*?, +(\d+) live ranges: +([\d.]+) ns/pair', out)]
    need(rows, 'fragmented rows', out)
    return rows


def fast_rows(bench):
    out = run([bench, 'fast'])
    trusting = need(re.search(r' 1 granule\(s\), trusting: +([\d.]+) ns', out), 'trusting row', out)
    checked = need(re.search(r' 1 granule\(s\), checked: +([\d.]+) ns', out), 'checked row', out)
    return float(trusting[1]), float(checked[1])


def thread_row(bench, seconds):
    out = run([bench, 'threads', '--rows', '16', '--max-threads', '4', '--seconds', str(seconds)])
    m = need(re.search(r'tree alloc_iova[^\n]*?((?: +[\d.]+)+)\n', out), 'tree thread row', out)
    return [float(x) for x in m[1].split()]


def pgtable_rows(bench):
    out = run([bench])
    section = need(re.search(r'granule 4K:\n(.*?)(?:\ngranule |\Z)', out, re.S), 'granule 4K', out)[1]
    warm = need(re.search(r'page map\+unmap, warm +([\d.]+) ns', section), 'warm pair', section)
    gib = need(re.search(r'1 GiB in +4K pages: map +([\d.]+) us, unmap +([\d.]+) us', section),
               '1 GiB row', section)
    return float(warm[1]), float(gib[1]) / 1000, float(gib[2]) / 1000


def fuzz_rows(build, seconds):
    out = run([os.path.join(SRC, 'tests/fuzz/measure-throughput.sh'), build, str(seconds),
               'map_sg', 'dma_api', 'iova', 'pgtable'])
    rows = {m[1]: int(m[2]) for m in re.finditer(r'^(\w+) +(\d+) ', out, re.M)}
    need(len(rows) == 4, 'four harnesses', out)
    return rows


def verdict(ok):
    return 'met' if ok else 'missed'


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('bench_build')
    ap.add_argument('--fuzz', metavar='FUZZ_BUILD_DIR')
    ap.add_argument('--fuzz-seconds', type=int, default=10)
    ap.add_argument('--thread-seconds', type=int, default=3)
    args = ap.parse_args()
    iova = os.path.join(args.bench_build, 'tests/bench/iova_bench')
    pgtable = os.path.join(args.bench_build, 'tests/bench/pgtable_bench')
    for exe in (iova, pgtable):
        if not os.access(exe, os.X_OK):
            sys.exit(f'issue14-table: {exe} is missing: meson setup {args.bench_build} '
                     '-Dbenchmarks=true --buildtype=release && meson compile -C '
                     f'{args.bench_build} iova_bench pgtable_bench')

    table = []
    tree = tree_rows(iova)
    one = [tree[(n, 1)] for n in (1000, 100000, 1000000)]
    table.append(('IOVA tree pair, 1K / 100K / 1M live', 'iova_bench tree',
                  ' / '.join(f'{o:.1f}' for o, _ in one) + ' ns (REF ' +
                  ' / '.join(f'{r:.1f}' for _, r in one) + ')', '≤ 0.67 of REF',
                  verdict(all(o <= 0.67 * r for o, r in one))))
    flight = [tree[(1000, w)] for w in (8, 64)]
    table.append(('in flight, 8 / 64, 1K live (our rows)', 'iova_bench tree',
                  ' / '.join(f'{o:.1f}' for o, _ in flight) + ' ns (REF ' +
                  ' / '.join(f'{r:.1f}' for _, r in flight) + ')', '≤ 0.67 of REF',
                  verdict(all(o <= 0.67 * r for o, r in flight))))
    frag = frag_rows(iova)
    table.append(('fragmented worst case, ' + ' / '.join(f'{round(n / 1024)}K' for n, _ in frag) +
                  ' live', 'iova_bench frag', ' / '.join(f'{ns:.1f}' for _, ns in frag) + ' ns',
                  '≤ 2 µs', verdict(all(ns <= 2000 for _, ns in frag))))
    trusting, checked = fast_rows(iova)
    table.append(('fast path pair, trusting / checked', 'iova_bench fast',
                  f'{trusting:.1f} / {checked:.1f} ns', '≤ 20 / ≤ 30 ns',
                  verdict(trusting <= 20 and checked <= 30)))
    threads = thread_row(iova, args.thread_seconds)
    table.append(('tree path, 1 → 2 → 4 threads',
                  'iova_bench threads --rows 16 --max-threads 4',
                  ' → '.join(f'{t:.2f}' for t in threads) + ' Mpairs/s', 'never falls',
                  verdict(all(b >= a for a, b in zip(threads, threads[1:])))))
    warm, map_ms, unmap_ms = pgtable_rows(pgtable)
    table.append(('page tables, 4K warm pair; 1 GiB in 4K pages map / unmap', 'pgtable_bench',
                  f'{warm:.0f} ns; {map_ms:.1f} / {unmap_ms:.1f} ms', '≤ 100 ns; ≤ 10 ms',
                  verdict(warm <= 100 and map_ms <= 10 and unmap_ms <= 10)))
    if args.fuzz:
        fuzz = fuzz_rows(args.fuzz, args.fuzz_seconds)
        names = ('map_sg', 'dma_api', 'iova', 'pgtable')
        table.append(('libFuzzer ' + ' / '.join(f'`{n}`' for n in names),
                      f'measure-throughput.sh {args.fuzz_seconds}',
                      ' / '.join(f'{fuzz[n]:,}' for n in names) + ' exec/s', '≥ 10,000 each',
                      verdict(all(fuzz[n] >= 10000 for n in names))))

    print('| row | command | now | target | this run |')
    print('| --- | --- | --- | --- | --- |')
    for row in table:
        print('| ' + ' | '.join(row) + ' |')
    return 0


if __name__ == '__main__':
    sys.exit(main())
