#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
"""The static library exports only the kernel API and the simulation prefix.

usage: check-symbols.py LIBRARY.a HEADER_DIR...

Every global, default-visibility symbol the archive defines must either
start with iosim_ or be declared in one of the installed headers (a function
prototype or an extern variable).  Helpers private to a layer are given
hidden visibility and are skipped.
"""
import os
import re
import subprocess
import sys

DECL = re.compile(r'\b([A-Za-z_]\w*)\s*\(')
EXTERN_VAR = re.compile(r'\bextern\s+[^;(]*?\b([A-Za-z_]\w*)\s*(?:\[[^\]]*\])?\s*;')


def declared_names(dirs):
    names = set()
    for d in dirs:
        for root, _, files in os.walk(d):
            for f in files:
                if not f.endswith('.h'):
                    continue
                text = open(os.path.join(root, f), encoding='utf-8').read()
                text = re.sub(r'/\*.*?\*/', ' ', text, flags=re.S)
                text = re.sub(r'//[^\n]*', ' ', text)
                names.update(DECL.findall(text))
                names.update(EXTERN_VAR.findall(text))
    return names


# Symbols the compiler's instrumentation adds (sanitizers, coverage).
INSTRUMENTATION = ('__odr_asan', '__asan', '__ubsan', '__tsan', '__sancov', '__gcov',
                   '__llvm', '__profc', '__profd')


def exported_symbols(lib):
    out = subprocess.run(['readelf', '-sW', lib], check=True, capture_output=True,
                         text=True).stdout
    syms = set()
    for line in out.splitlines():
        parts = line.split()
        # Num: Value Size Type Bind Vis Ndx Name
        if len(parts) < 8 or parts[4] != 'GLOBAL' or parts[6] == 'UND':
            continue
        if parts[5] != 'DEFAULT' or parts[3] not in ('FUNC', 'OBJECT'):
            continue
        if not parts[7].startswith(INSTRUMENTATION):
            syms.add(parts[7])
    return syms


def main():
    lib, dirs = sys.argv[1], sys.argv[2:]
    allowed = declared_names(dirs)
    syms = exported_symbols(lib)
    if len(syms) < 50:
        print('FAIL: only %d symbols found in %s' % (len(syms), lib))
        return 1
    stray = sorted(s for s in syms if not s.startswith('iosim_') and s not in allowed)
    if stray:
        print('FAIL: %s exports %d symbols that are neither kernel API (declared in an '
              'installed header) nor iosim_*:' % (lib, len(stray)))
        for s in stray:
            print('  ' + s)
        return 1
    print('OK: %d exported symbols, all kernel API or iosim_*' % len(syms))
    return 0


if __name__ == '__main__':
    sys.exit(main())
