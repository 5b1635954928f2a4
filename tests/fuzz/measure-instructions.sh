#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#
# measure-instructions.sh BUILD_DIR [REPS] [HARNESS...] - instructions the
# harnesses execute per input on a fixed workload, counted by callgrind:
# the checked-in corpus, every input REPS times (default 5), replayed by the
# replay driver of a build without sanitizers (any compiler; the default
# build is -O2).  Only instructions inside LLVMFuzzerTestOneInput() are
# counted (--toggle-collect), so reading the files and the process's
# start-up are not; the driver's one warm-up input (empty, which creates
# simulated RAM) is, spread over all inputs.
#
# Unlike the wall-clock figures (measure-throughput.sh, measure-replay.sh),
# which move by 30 % and more with the state of this shared machine, the
# count is the same on every run of the same binary: it compares two builds
# where a change is too small for the clock to show.  It does not count
# what the sanitizers add in a fuzzing build, and it is not time: valgrind
# counts each iteration of a rep-prefixed string instruction, so the
# memset()s and memcpy()s of large blocks weigh far more in the count than in
# a profile (docs/fuzzing.md, "Throughput").
set -euo pipefail

. "$(dirname "$0")/measure-args.sh"
measure_args 5 "$@"
reps=$count
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

command -v valgrind >/dev/null || { echo "measure-instructions.sh: needs valgrind" >&2; exit 1; }
printf '%-8s %7s %14s %16s\n' harness inputs instructions 'per input'
for h in "${harnesses[@]}"; do
	inputs=()
	for _ in $(seq "$reps"); do
		inputs+=("$src/corpus/$h"/*)
	done
	valgrind --tool=callgrind --collect-atstart=no --toggle-collect=LLVMFuzzerTestOneInput \
		--callgrind-out-file="$scratch/$h.out" "$build/tests/fuzz/fuzz_$h" "${inputs[@]}" \
		>"$scratch/$h.log" 2>&1 || { echo "$h: the replay failed, see:"; tail -20 "$scratch/$h.log"; exit 1; }
	ir=$(awk '/^summary:/ {print $2}' "$scratch/$h.out")
	n=$(( ${#inputs[@]} + 1 ))
	printf '%-8s %7d %14d %16.0f\n' "$h" "$n" "$ir" "$(echo "$ir / $n" | bc -l)"
done
