#!/bin/bash -eu
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#
# Build the fuzz harnesses the way OSS-Fuzz and ClusterFuzzLite expect
# (their "build.sh"), from the environment they set:
#
#   CC, CFLAGS          the compiler and the sanitizer/coverage flags for
#                       everything (e.g. -fsanitize=address -fsanitize=fuzzer-no-link)
#   LIB_FUZZING_ENGINE  what links a harness into a fuzzer (-fsanitize=fuzzer,
#                       or an engine library such as AFL++'s driver)
#   OUT                 where the fuzzers, seed corpora and dictionaries go
#   SRC, WORK           optional: the source tree's parent and a scratch
#                       folder (default: this checkout, and $OUT/../work)
#
# The library is built with meson (static libraries only, no tests), then
# each harness is compiled with $CC $CFLAGS and linked with
# $LIB_FUZZING_ENGINE.  The seed's own dma-iommu.c is not part of the tree,
# so only the harnesses over our own code are built here.  The simulator's
# harnesses (trace_parse, sim_config, replay) are built when pkg-config finds
# libinih; they link the simulator's input library (replay its core too),
# built without trace.dat support (-Dtracedat=disabled: fuzz_tracedat needs
# libtracecmd and libtraceevent, which the fuzzers would need as shared
# libraries on the runner; meson builds it).
#
# Local check (see docs/fuzzing.md):
#   CC=clang CFLAGS="-fsanitize=address,undefined -fsanitize=fuzzer-no-link" \
#   LIB_FUZZING_ENGINE=-fsanitize=fuzzer OUT=/tmp/oss-out \
#   bash tests/fuzz/oss-fuzz-build.sh

# The shebang's flags are lost when the script is run as "bash build.sh".
set -eu
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TREE=$(cd "$HERE/../.." && pwd)
if [ -n "${SRC:-}" ] && [ -d "$SRC/libiommudma" ]; then
	TREE=$SRC/libiommudma
fi
: "${CC:=clang}"
: "${CFLAGS:=}"
: "${LIB_FUZZING_ENGINE:=-fsanitize=fuzzer}"
: "${OUT:?set OUT to the folder the fuzzers go to}"
mkdir -p "$OUT"
: "${WORK:=$(cd "$OUT/.." && pwd)/work}"
BUILD=$WORK/libiommudma-fuzz-build
HARNESSES="iova pgtable map_sg dma_api"
SIM_HARNESSES=""
SIM_TARGETS=()
if pkg-config --exists inih; then
	SIM_HARNESSES="trace_parse sim_config replay"
	# The fuzzers run where the builder's shared libraries are not: link
	# libinih's static archive when there is one.
	INIH_LIBS=$(pkg-config --libs inih)
	inih_archive="$(pkg-config --variable=libdir inih)/libinih.a"
	[ -f "$inih_archive" ] && INIH_LIBS=$inih_archive
	SIM_TARGETS=(tools/iommudma-sim/libiommudma-sim-core.a
		     tools/iommudma-sim/libiommudma-sim-input.a
		     tools/iommudma-sim/libiommudma-sim-support.a)
else
	echo "oss-fuzz-build: libinih not found (pkg-config inih): trace_parse, sim_config and replay are not built" >&2
fi

# -- the library, instrumented by $CFLAGS -------------------------------------
# -Dwerror=false: the fuzzing infrastructure's flags are not ours to vet.
# With coverage instrumentation, the sanity checkers the harnesses run after
# every operation are left out of it (docs/fuzzing.md, "Throughput").
LIB_CFLAGS=$CFLAGS
case "$CFLAGS" in
*-fsanitize=fuzzer-no-link*)
	LIB_CFLAGS="$CFLAGS -fsanitize-coverage-ignorelist=$TREE/tests/fuzz/coverage-ignorelist.txt" ;;
esac
rm -rf "$BUILD"
CC="$CC" CFLAGS="$LIB_CFLAGS" meson setup "$BUILD" "$TREE" \
	-Dtests=false -Dexamples=false -Dbenchmarks=false -Dfuzzing=false \
	-Dbuildtype=debugoptimized -Db_lundef=false -Dwerror=false \
	-Ddefault_library=static -Dtracedat=disabled
ninja -C "$BUILD" libiommudma.a "${SIM_TARGETS[@]}"

# -- the harnesses -------------------------------------------------------------
INCLUDES=(
	-I"$TREE/compat/include" -I"$TREE/include" -I"$BUILD/compat/include"
	-I"$TREE/lib/iova/include" -I"$TREE/lib/iommu/include"
	-I"$TREE/lib/dma-iommu/include" -I"$TREE/lib/swiotlb/include" -I"$TREE/tests/fuzz"
	-I"$TREE/tools/iommudma-sim"
)
DEFINES=(-D__KERNEL__ -D_GNU_SOURCE -std=c11 -fno-strict-aliasing)
COMMON=(fuzz_input.c fuzz_common.c fuzz_sg_pool.c fuzz_bitmap.c fuzz_sim.c)

objdir=$BUILD/fuzz-objs
mkdir -p "$objdir"
COMMON_OBJS=()
for src in "${COMMON[@]}"; do
	COMMON_OBJS+=("$objdir/${src%.c}.o")
	# shellcheck disable=SC2086 # $CFLAGS is a list of flags
	$CC $CFLAGS "${DEFINES[@]}" "${INCLUDES[@]}" -c "$TREE/tests/fuzz/$src" \
		-o "$objdir/${src%.c}.o"
done

for h in $HARNESSES $SIM_HARNESSES; do
	# The simulator's harnesses link its libraries (and libinih) in front of
	# libiommudma.a, which their allocations go through.
	extra_libs=()
	case " $SIM_HARNESSES " in
	*" $h "*)
		# replay runs the simulator's core (sim_replay.c and the system under it).
		[ "$h" = replay ] && extra_libs=("$BUILD/tools/iommudma-sim/libiommudma-sim-core.a")
		extra_libs+=("$BUILD/tools/iommudma-sim/libiommudma-sim-input.a"
			     "$BUILD/tools/iommudma-sim/libiommudma-sim-support.a") ;;
	esac
	# shellcheck disable=SC2086
	$CC $CFLAGS "${DEFINES[@]}" "${INCLUDES[@]}" -c "$TREE/tests/fuzz/fuzz_$h.c" \
		-o "$objdir/fuzz_$h.o"
	# $CXX links when set: engines shipped as C++ libraries need its runtime.
	# shellcheck disable=SC2086
	${CXX:-$CC} $CFLAGS "$objdir/fuzz_$h.o" "${COMMON_OBJS[@]}" \
		$LIB_FUZZING_ENGINE "${extra_libs[@]}" "$BUILD/libiommudma.a" \
		-Wl,--as-needed $( [ ${#extra_libs[@]} -gt 0 ] && echo "$INIH_LIBS" ) \
		-lbsd -lpthread -lm -Wl,--no-as-needed -o "$OUT/fuzz_$h"

	# Seed corpus (the checked-in corpus and every regression input).
	rm -f "$OUT/fuzz_${h}_seed_corpus.zip"
	for d in "$TREE/tests/fuzz/corpus/$h" "$TREE/tests/fuzz/regressions/$h" \
		 "$TREE/tests/fuzz/regressions/$h-seed"; do
		if [ -d "$d" ]; then
			(cd "$d" && find . -type f -print | sort |
			 zip -q -@ "$OUT/fuzz_${h}_seed_corpus.zip")
		fi
	done
	if [ -f "$TREE/tests/fuzz/$h.dict" ]; then
		cp "$TREE/tests/fuzz/$h.dict" "$OUT/fuzz_$h.dict"
	fi
	if [ -f "$TREE/tests/fuzz/$h.options" ]; then
		cp "$TREE/tests/fuzz/$h.options" "$OUT/fuzz_$h.options"
	fi
done
echo "oss-fuzz-build: built $(for h in $HARNESSES $SIM_HARNESSES; do printf 'fuzz_%s ' "$h"; done)in $OUT"
