#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
"""Extract one new file from a patch in the seed, at build time.

usage: extract-seed-file.py PATCH PATH_IN_PATCH OUTPUT

The seed's patches are the specification; the tree never holds a copy of
their code.  Tests that compile the seed's own files (the fidelity check, the
seed-linked fuzz harness) extract them into the build directory with this.
Only files the patch creates (--- /dev/null) can be extracted.
"""
import sys


def extract(patch_text, wanted):
    out = []
    state = 'search'
    for line in patch_text.splitlines():
        if state == 'search':
            if line.startswith('+++ ') and line[4:].strip() in ('b/' + wanted, wanted):
                state = 'hunks'
            continue
        if line.startswith('diff --git') or line.startswith('--- '):
            break
        if line.startswith('@@'):
            continue
        if line.startswith('+'):
            out.append(line[1:])
        elif line.startswith(' ') or line.startswith('-'):
            raise SystemExit('%s is not a new file in this patch' % wanted)
    if state != 'hunks' or not out:
        raise SystemExit('%s not found in the patch' % wanted)
    return '\n'.join(out) + '\n'


def main():
    if len(sys.argv) != 4:
        raise SystemExit(__doc__)
    patch, wanted, output = sys.argv[1:]
    with open(patch, encoding='utf-8', errors='replace') as f:
        text = extract(f.read(), wanted)
    with open(output, 'w', encoding='utf-8') as f:
        f.write(text)


if __name__ == '__main__':
    main()
