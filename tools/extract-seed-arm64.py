#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
"""Build the seed's arm64 IOMMU DMA code (patches 2/3 and 3/3), at build time.

usage: extract-seed-arm64.py PATCH2 PATCH3 OUTPUT

The seed's patches 2/3 and 3/3 do not create a file: they append to
arch/arm64/mm/dma-mapping.c, whose earlier part (the default ops, the atomic
pool, __get_dma_pgprot) the tree implements itself in lib/dma-mapping.  This
script takes the lines patch 2/3 adds to that file, applies patch 3/3's hunks
for the same file on top (matching their context), and writes the result
after an #include of lib/dma-mapping's arm64-dma-mapping.h, which stands for
the top of the kernel's file.  The tree never holds a copy of the seed's code.
"""
import sys

TARGET = 'arch/arm64/mm/dma-mapping.c'


def hunks(patch_text, wanted):
    """The hunks (lists of diff lines) of @wanted in a patch."""
    out, cur, state = [], None, 'search'
    for line in patch_text.splitlines():
        if line.startswith('diff --git'):
            state = 'search'
            continue
        if state == 'search':
            if line.startswith('+++ ') and line[4:].strip() in ('b/' + wanted, wanted):
                state = 'hunks'
            continue
        if line.startswith('@@'):
            cur = []
            out.append(cur)
            continue
        if cur is not None and line[:1] in (' ', '+', '-'):
            cur.append(line)
        elif cur is not None and line == '':
            cur.append(' ')
    if not out:
        raise SystemExit('%s: no hunks in the patch' % wanted)
    return out


def apply_hunk(lines, hunk):
    old = [l[1:] for l in hunk if l[0] in ' -']
    new = [l[1:] for l in hunk if l[0] in ' +']
    for i in range(len(lines) - len(old) + 1):
        if lines[i:i + len(old)] == old:
            return lines[:i] + new + lines[i + len(old):]
    raise SystemExit('patch 3/3 hunk does not apply: context %r not found' % old[:3])


def main():
    if len(sys.argv) != 4:
        raise SystemExit(__doc__)
    p2, p3, output = sys.argv[1:]
    with open(p2, encoding='utf-8', errors='replace') as f:
        added = [l[1:] for h in hunks(f.read(), TARGET) for l in h if l.startswith('+')]
    with open(p3, encoding='utf-8', errors='replace') as f:
        for h in hunks(f.read(), TARGET):
            added = apply_hunk(added, h)
    with open(output, 'w', encoding='utf-8') as f:
        f.write('/* Generated at build time from the seed\'s patches 2/3 and 3/3. */\n')
        f.write('#include "arm64-dma-mapping.h"\n')
        f.write('\n'.join(added) + '\n')


if __name__ == '__main__':
    main()
