#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
# Report why a fidelity test cannot run and tell Meson it was skipped (77).
echo "SKIP: $*"
exit 77
