#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
"""Shim headers that share a name with a system header glibc includes must
#include_next it, and every shim header must say what it is at its top.

usage: check-include-next.py SHIM_INCLUDE_DIR...

A system header "glibc includes" is found by preprocessing a translation unit
that includes the common glibc headers and reading the list of files used.
"""
import os
import re
import subprocess
import sys
import tempfile

GLIBC_HEADERS = ['errno.h', 'limits.h', 'stdio.h', 'stdlib.h', 'string.h', 'strings.h',
                 'pthread.h', 'signal.h', 'sys/mman.h', 'sys/types.h', 'sys/stat.h',
                 'sys/sysinfo.h', 'sys/ioctl.h', 'unistd.h', 'fcntl.h', 'time.h',
                 'stdint.h', 'stdarg.h', 'setjmp.h']
KINDS = ('faithful', 'stub', 'customised', 'customized', 'placeholder')


def system_headers_glibc_uses():
    with tempfile.NamedTemporaryFile('w', suffix='.c', delete=False) as f:
        f.write(''.join('#include <%s>\n' % h for h in GLIBC_HEADERS))
        name = f.name
    try:
        out = subprocess.run(['cc', '-D_GNU_SOURCE', '-H', '-E', name, '-o', os.devnull],
                             capture_output=True, text=True).stderr
    finally:
        os.unlink(name)
    used = set()
    for line in out.splitlines():
        m = re.match(r'^\.+ (/\S+)$', line)
        if m:
            p = m.group(1)
            for sub in ('linux/', 'asm/', 'asm-generic/'):
                i = p.rfind('/' + sub)
                if i >= 0:
                    used.add(p[i + 1:])
    return used


def main():
    used = system_headers_glibc_uses()
    if not any(u.startswith('linux/') for u in used):
        print('FAIL: could not determine which system headers glibc includes')
        return 1
    bad = []
    count = 0
    for d in sys.argv[1:]:
        for root, _, files in os.walk(d):
            for f in files:
                if not f.endswith('.h'):
                    continue
                path = os.path.join(root, f)
                rel = os.path.relpath(path, d)
                text = open(path, encoding='utf-8').read()
                head = text[:1200].lower()
                count += 1
                if not any(k in head for k in KINDS):
                    bad.append('%s: does not say whether it is faithful, a stub or customised' % rel)
                if rel in used and '#include_next <%s>' % rel not in text:
                    bad.append('%s: glibc includes <%s>, but the shim does not #include_next it'
                               % (rel, rel))
    if bad:
        print('FAIL:\n  ' + '\n  '.join(bad))
        return 1
    print('OK: %d shim headers; glibc pulls in %d linux/asm headers, all shadowed ones '
          'chain to the system header' % (count, len(used)))
    return 0


if __name__ == '__main__':
    sys.exit(main())
