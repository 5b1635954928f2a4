#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#
# measure-replay.sh [--empty] BUILD_DIR [REPS] [HARNESS...] - executions per
# CPU second of the harnesses of a -Dfuzzing=true build on a fixed workload:
# the checked-in corpus, every input REPS times (default 100), in one process.
# Unlike a libFuzzer campaign (measure-throughput.sh), whose inputs depend on
# the coverage the build reports, this runs the same inputs on any build, so
# two builds compare directly (docs/fuzzing.md, "Throughput").
#
# Also prints the harness's own CPU time per input (FUZZ_TIMING, from
# fuzz_begin() to fuzz_end()) and what that alone would allow: the
# exec/cpu-s column counts reading every input's file, libFuzzer's start-up
# and LeakSanitizer's scan at exit too, about half of a corpus replay.
#
# --empty: the floor instead.  An empty input decodes into the harness's
# default machine and no operation, so replaying it 40 * REPS times measures
# what every input pays whatever it does (creating and tearing down the
# simulated machine, the end-of-input checks, the RAM reset, libFuzzer's and
# the sanitizers' own work).  Prints microseconds per input with the
# process's start-up (one replay of one input) subtracted.
set -euo pipefail

empty=false
if [ "${1:-}" = --empty ]; then
	empty=true
	shift
fi
. "$(dirname "$0")/measure-args.sh"
measure_args 100 "$@"
reps=$count
timing=$(mktemp)
nothing=$(mktemp)
stderr_log=$(mktemp)
trap 'rm -f "$timing" "$nothing" "$stderr_log"' EXIT

# One replay of the files given: its CPU seconds (user + system) in $cpu,
# the harness's own microseconds per input in $harness_us.
replay() {
	local h=$1
	shift
	FUZZ_TIMING=1 /usr/bin/time -f '%U %S' -o "$timing" "$build/tests/fuzz/fuzz_$h" "$@" \
		>/dev/null 2>"$stderr_log" || { echo "$h: the replay failed" >&2; exit 1; }
	harness_us=$(sed -n 's/^fuzz-timing: .*, \([0-9.]*\) us of harness CPU time per input$/\1/p' \
		"$stderr_log")
	# A build from before FUZZ_TIMING prints nothing: its columns read 0.
	[ -n "$harness_us" ] && [ "$harness_us" != 0.0 ] || harness_us=0
	cpu=$(awk '{print $1 + $2}' "$timing")
}

if $empty; then
	printf '%-8s %8s %10s %12s %12s %12s\n' harness inputs start-up 'us/input' 'exec/cpu-s' \
		'harness-us'
else
	printf '%-8s %8s %8s %12s %12s %14s\n' harness inputs cpu-s 'exec/cpu-s' 'harness-us' \
		'harness-exec/s'
fi
for h in "${harnesses[@]}"; do
	args=()
	if $empty; then
		for _ in $(seq $((40 * reps))); do
			args+=("$nothing")
		done
	else
		files=("$src/corpus/$h"/*)
		for _ in $(seq "$reps"); do
			args+=("${files[@]}")
		done
	fi
	n=${#args[@]}
	if $empty; then
		replay "$h" "$nothing"
		start=$cpu
		replay "$h" "${args[@]}"
		printf '%-8s %8d %10.2f %12.0f %12.0f %12.1f\n' "$h" "$n" "$start" \
			"$(echo "($cpu - $start) * 1000000 / $n" | bc -l)" \
			"$(echo "$n / ($cpu - $start)" | bc -l)" "$harness_us"
	else
		replay "$h" "${args[@]}"
		printf '%-8s %8d %8.2f %12.0f %12.1f %14.0f\n' "$h" "$n" "$cpu" \
			"$(echo "$n / $cpu" | bc -l)" "$harness_us" \
			"$(echo "if ($harness_us > 0) 1000000 / $harness_us else 0" | bc -l)"
	fi
done
