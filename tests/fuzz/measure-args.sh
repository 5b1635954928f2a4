# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#
# measure-args.sh - the arguments the measure-*.sh scripts share, sourced by
# them: BUILD_DIR [COUNT] [HARNESS...].  measure_args DEFAULT_COUNT "$@" sets
# $build (absolute), $count (COUNT, or DEFAULT_COUNT), $harnesses (the ones
# named, or all four) and $src (this folder: the corpus and the scripts).

measure_args() {
	local default_count=$1

	shift
	[ $# -ge 1 ] || { echo "usage: $(basename "$0") BUILD_DIR [COUNT] [HARNESS...]" >&2; exit 2; }
	build=$(cd "$1" && pwd)
	count=${2:-$default_count}
	shift $(( $# > 1 ? 2 : 1 ))
	harnesses=("$@")
	[ ${#harnesses[@]} -gt 0 ] || harnesses=(map_sg dma_api iova pgtable)
	src=$(cd "$(dirname "$0")" && pwd)
}
