#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
"""Check that the seed's arm64 code (patches 2/3 and 3/3) compiled and defines
what <asm/dma-mapping.h> declares for it.

usage: check-arm64-symbols.py SEED_LIBRARY.a

arch_setup_dma_ops() and arch_teardown_dma_ops() must be defined text symbols
(T) of the library, which tests/seed builds from the extracted code
unmodified against our headers (a compile error fails the build, and so this
test, which depends on it).
"""
import subprocess
import sys

WANTED = ['arch_setup_dma_ops', 'arch_teardown_dma_ops']


def main():
    out = subprocess.run(['nm', '--defined-only', sys.argv[1]], check=True,
                         capture_output=True, text=True).stdout
    have = {p[2] for p in (l.split() for l in out.splitlines()) if len(p) == 3 and p[1] == 'T'}
    missing = [f for f in WANTED if f not in have]
    for f in WANTED:
        print('%-24s %s' % (f, 'missing' if f in missing else 'defined'))
    if missing:
        print('FAIL: the seed\'s arm64 object lacks %s' % ', '.join(missing))
        return 1
    print('OK: the seed\'s patches 2/3 and 3/3 compiled unmodified against our headers')
    return 0


if __name__ == '__main__':
    sys.exit(main())
