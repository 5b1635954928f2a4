#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#
# iova-instructions.sh IOVA_BENCH [LIVE] [WINDOW] - instructions per
# allocation + free of `iova_bench tree --live LIVE --window WINDOW` (default
# 1000 and 1), ours and the REFERENCE walk's, from callgrind's inclusive
# counts of alloc_iova + __free_iova and ref_alloc + ref_free over the 2M
# operations that `--live` runs.  Exact and independent of the machine's
# load, so two builds compare directly (docs/performance.md).  Needs
# valgrind.
set -euo pipefail

bench=$1
live=${2:-1000}
window=${3:-1}
out=$(mktemp)
trap 'rm -f "$out"' EXIT

valgrind --tool=callgrind --callgrind-out-file="$out" "$bench" tree --live "$live" \
	--window "$window" >/dev/null 2>&1
callgrind_annotate --inclusive=yes "$out" 2>/dev/null | awk -v live="$live" -v w="$window" '
	{ n = $1; gsub(",", "", n) }
	/:alloc_iova \[/ { a = n }
	/:__free_iova \[/ { f = n }
	/:ref_alloc/ { ra = n }
	/:ref_free \[/ { rf = n }
	END {
		ops = 2e6
		printf "%s live, %s in flight: ours %.0f instructions per allocation + free" \
		       " (alloc %.0f, free %.0f), REFERENCE %.0f (alloc %.0f, free %.0f)\n",
		       live, w, (a + f) / ops, a / ops, f / ops, (ra + rf) / ops, ra / ops, rf / ops
	}'
