#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#
# compare-campaigns.sh BUILD_A BUILD_B HARNESS [SECONDS] - run the same
# libFuzzer campaign on two -Dfuzzing=true builds at once, one process per
# core, both from the harness's checked-in seed-* inputs with -seed=7, and
# print each one's final coverage (cov, ft) and exec/s.  For changes to how
# the build is instrumented, where the question is whether the fuzzer still
# finds as much per second (docs/fuzzing.md, "Eighth round").  When the
# two builds instrument different edges (an ignore list), their own cov and
# ft do not compare: each final corpus is also replayed once on BUILD_A
# (-runs=0), which counts both on the same instrumentation ("on A").
set -euo pipefail

[ $# -ge 3 ] || { sed -n 4,10p "$0"; exit 2; }
a=$(cd "$1" && pwd)
b=$(cd "$2" && pwd)
h=$3
secs=${4:-120}
src=$(cd "$(dirname "$0")" && pwd)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

for v in a b; do
	mkdir -p "$scratch/$v/corpus" "$scratch/$v/art"
	cp "$src/corpus/$h"/seed-* "$scratch/$v/corpus/"
done
for v in a b; do
	build=$a
	[ $v = b ] && build=$b
	(cd "$scratch/$v" && "$build/tests/fuzz/fuzz_$h" -seed=7 -max_total_time="$secs" \
		-print_final_stats=1 -artifact_prefix=art/ corpus >log 2>&1) &
done
wait
for v in a b; do
	build=$a
	[ $v = b ] && build=$b
	last=$(grep -E '^#[0-9]+' "$scratch/$v/log" | tail -1)
	rate=$(awk '/stat::average_exec_per_sec/ {print $2}' "$scratch/$v/log")
	printf '%s: %s\n  exec/s %s\n' "$build" "$last" "$rate"
	(cd "$scratch/$v" && "$a/tests/fuzz/fuzz_$h" -runs=0 -print_coverage=1 corpus \
		>replay-on-a.log 2>&1) || true
	onA=$(grep -E '^#[0-9]+.*INITED' "$scratch/$v/replay-on-a.log" |
		grep -oE 'cov: [0-9]+ ft: [0-9]+' || true)
	# Edges of lib/ (the code under test) the final corpus covers on A.
	libA=$(awk '/^COVERED_FUNC/ && $7 ~ /\/\.\.\/lib\// { split($5, e, "/"); n += e[1] }
		    END { print n + 0 }' "$scratch/$v/replay-on-a.log")
	printf '  final corpus on A: %s, lib/ edges %s\n' "$onA" "$libA"
	if ls "$scratch/$v/art"/crash-* >/dev/null 2>&1; then
		# Kept: the scratch folder goes when the script ends.
		keep=$(mktemp -d "${TMPDIR:-/tmp}/compare-findings-$h-XXXXXX")
		cp "$scratch/$v/art"/* "$keep/"
		echo "  FINDINGS (kept in $keep):"; ls "$keep"
		tail -30 "$scratch/$v/log" >"$keep/log-tail.txt"
	fi
done
