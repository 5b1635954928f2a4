#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
# Install the library into a staging root, then build and run two examples
# against the *installed* headers and library through pkg-config, proving
# libiommudma.pc and the installed header set.
#
# usage: install-and-build.sh BUILD_DIR SOURCE_DIR
set -eu
build=$(cd "$1" && pwd)
src=$(cd "$2" && pwd)
stage=$build/install-test/root
rm -rf "$build/install-test"
mkdir -p "$stage"

meson install -C "$build" --destdir "$stage" --no-rebuild --quiet

pc=$(find "$stage" -name libiommudma.pc | head -n 1)
[ -n "$pc" ] || { echo "FAIL: libiommudma.pc was not installed"; exit 1; }
prefix=$(sed -n 's/^prefix=//p' "$pc")
pcdir=$build/install-test/pkgconfig
mkdir -p "$pcdir"
sed "s|^prefix=.*|prefix=$stage$prefix|" "$pc" > "$pcdir/libiommudma.pc"

cflags=$(PKG_CONFIG_PATH=$pcdir pkg-config --cflags libiommudma)
libs=$(PKG_CONFIG_PATH=$pcdir pkg-config --static --libs libiommudma)
echo "pkg-config --cflags: $cflags"
echo "pkg-config --static --libs: $libs"
case "$cflags" in
  *"$stage"*) ;;
  *) echo "FAIL: the cflags do not point into the installed tree"; exit 1 ;;
esac

# Only the installed tree may be visible: no -I into the source or build dirs.
# INSTALL_TEST_CFLAGS: the sanitizer/coverage flags the library was built with.
${CC:-cc} -std=c11 -Wall -Wextra -Werror ${INSTALL_TEST_CFLAGS:-} -o "$build/install-test/map-sg" \
  "$src/examples/map-sg.c" $cflags $libs
"$build/install-test/map-sg"
echo "OK: built and ran examples/map-sg.c against the installed library"
# A PCI driver: the installed <linux/pci.h>, <asm/pci.h>, <asm/byteorder.h> and <iosim/pci.h>.
${CC:-cc} -std=c11 -Wall -Wextra -Werror ${INSTALL_TEST_CFLAGS:-} -o "$build/install-test/pci-tx" \
  "$src/examples/pci-tx.c" $cflags $libs
"$build/install-test/pci-tx" > /dev/null
echo "OK: built and ran examples/pci-tx.c against the installed library"
# A VFIO-style user of the IOMMU API on a PCI device: the installed <linux/iommu.h>.
${CC:-cc} -std=c11 -Wall -Wextra -Werror ${INSTALL_TEST_CFLAGS:-} -o "$build/install-test/pci-vfio" \
  "$src/examples/pci-vfio.c" $cflags $libs
"$build/install-test/pci-vfio" > /dev/null
echo "OK: built and ran examples/pci-vfio.c against the installed library"
