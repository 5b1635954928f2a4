#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
"""Check that the compiled seed defines every function its header declares.

usage: check-symbols.py LIBRARY.a DMA_IOMMU_H

The header's prototypes are read from the #ifdef CONFIG_IOMMU_DMA block (the
stubs after #else are ignored); each must be a defined text symbol (T) of
the library.
"""
import re
import subprocess
import sys


def declared_functions(header):
    text = open(header, encoding='utf-8').read()
    block = text.split('#ifdef CONFIG_IOMMU_DMA', 1)[1].split('#else', 1)[0]
    block = re.sub(r'/\*.*?\*/', '', block, flags=re.S)
    return sorted(set(re.findall(r'\b(\w+)\s*\([^;{]*\)\s*;', block)))


def defined_symbols(lib):
    out = subprocess.run(['nm', '--defined-only', lib], check=True,
                         capture_output=True, text=True).stdout
    return {parts[2] for parts in (l.split() for l in out.splitlines())
            if len(parts) == 3 and parts[1] == 'T'}


def main():
    lib, header = sys.argv[1], sys.argv[2]
    wanted = declared_functions(header)
    have = defined_symbols(lib)
    if len(wanted) < 10:
        print('FAIL: parsed only %d prototypes from %s: %s' % (len(wanted), header, wanted))
        return 1
    missing = [f for f in wanted if f not in have]
    for f in wanted:
        print('%-28s %s' % (f, 'missing' if f in missing else 'defined'))
    if missing:
        print('FAIL: the seed object lacks %s' % ', '.join(missing))
        return 1
    print('OK: the seed compiled against our headers and defines all %d functions' % len(wanted))
    return 0


if __name__ == '__main__':
    sys.exit(main())
