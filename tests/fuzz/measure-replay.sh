#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#
# measure-replay.sh BUILD_DIR [REPS] [HARNESS...] - executions per CPU second
# of the harnesses of a -Dfuzzing=true build on a fixed workload: the
# checked-in corpus, every input REPS times (default 100), in one process.
# Unlike a libFuzzer campaign (measure-throughput.sh), whose inputs depend on
# the coverage the build reports, this runs the same inputs on any build, so
# two builds compare directly (docs/fuzzing.md, "Throughput").
set -euo pipefail

build=$(cd "$1" && pwd)
reps=${2:-100}
shift $(( $# > 1 ? 2 : 1 ))
harnesses=("$@")
[ ${#harnesses[@]} -gt 0 ] || harnesses=(map_sg dma_api iova pgtable)
src=$(cd "$(dirname "$0")" && pwd)
timing=$(mktemp)
trap 'rm -f "$timing"' EXIT

printf '%-8s %8s %8s %12s\n' harness inputs cpu-s 'exec/cpu-s'
for h in "${harnesses[@]}"; do
	files=("$src/corpus/$h"/*)
	args=()
	for _ in $(seq "$reps"); do
		args+=("${files[@]}")
	done
	/usr/bin/time -f '%U %S' -o "$timing" "$build/tests/fuzz/fuzz_$h" "${args[@]}" \
		>/dev/null 2>&1 || { echo "$h: the replay failed"; exit 1; }
	cpu=$(awk '{print $1 + $2}' "$timing")
	printf '%-8s %8d %8.2f %12.0f\n' "$h" "${#args[@]}" "$cpu" \
		"$(echo "${#args[@]} / $cpu" | bc -l)"
done
