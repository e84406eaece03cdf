#!/bin/sh
# install_test.sh BUILD_DIR EXAMPLE_DIR
# Installs tim into a fresh prefix, then builds and runs an example app
# against it twice: with find_package(tim) and with pkg-config.
set -eu
build=$1 example=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cmake --install "$build" --prefix "$work/prefix" > "$work/install.log"
cmake -S "$example" -B "$work/app" -DCMAKE_PREFIX_PATH="$work/prefix" -DCMAKE_BUILD_TYPE=Release \
  > "$work/configure.log"
cmake --build "$work/app" > "$work/build.log"
out=$("$work/app/tim_example" "Thuỷ lợi Đà Nẵng" "$work/index")
echo "find_package(tim): $out"
[ "$out" = "thủy/thuy lợi/loi đà/da nẵng/nang
1 document: Thuỷ lợi Đà Nẵng" ]

libdir=$(dirname "$(find "$work/prefix" -name 'libtim.so' | head -n 1)")
PKG_CONFIG_PATH="$libdir/pkgconfig" c++ "$example/main.cc" -o "$work/pc_example" \
  $(PKG_CONFIG_PATH="$libdir/pkgconfig" pkg-config --cflags --libs tim) -Wl,-rpath,"$libdir"
out=$("$work/pc_example" "HOÀ bình")
echo "pkg-config: $out"
[ "$out" = "hòa/hoa bình/binh" ]
