#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#
# measure-throughput.sh BUILD_DIR [SECONDS] [HARNESS...] - libFuzzer
# throughput of the harnesses of a -Dfuzzing=true build (docs/fuzzing.md,
# "Throughput").  Each harness runs SECONDS (default 20) with -seed=1 on a
# scratch copy of its checked-in corpus; prints libFuzzer's exec/s (wall
# clock) and executions per CPU second (user + system time of the process),
# which is steadier on a shared machine.
set -euo pipefail

. "$(dirname "$0")/measure-args.sh"
measure_args 20 "$@"
secs=$count
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

printf '%-8s %10s %12s %8s\n' harness 'exec/s' 'exec/cpu-s' execs
for h in "${harnesses[@]}"; do
	mkdir -p "$scratch/$h"
	cp "$src/corpus/$h"/* "$scratch/$h/"
	log="$scratch/$h.log"
	/usr/bin/time -f 'cpu %U %S' -o "$scratch/$h.time" \
		"$build/tests/fuzz/fuzz_$h" -seed=1 -max_total_time="$secs" -print_final_stats=1 \
		"$scratch/$h" >"$log" 2>&1 || { echo "$h: the run failed, see:"; tail -20 "$log"; exit 1; }
	execs=$(awk '/stat::number_of_executed_units/ {print $2}' "$log")
	rate=$(awk '/stat::average_exec_per_sec/ {print $2}' "$log")
	cpu=$(awk '/^cpu/ {print $2 + $3}' "$scratch/$h.time")
	printf '%-8s %10s %12.0f %8s\n' "$h" "$rate" "$(echo "$execs / $cpu" | bc -l)" "$execs"
done
