#!/bin/sh
# install_test.sh BUILD_DIR SOURCE_DIR PYTHON
# Installs tim into a fresh prefix as a user would (cmake --install), then
# builds examples/ against it with find_package(tim) and with pkg-config,
# runs the C++ and C examples and the Python one, and checks that each
# prints examples/expected.txt.
set -eu
build=$1 src=$2 python=${3:-}
examples=$src/examples
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cmake --install "$build" --prefix "$work/prefix" > "$work/install.log"
libdir=$(dirname "$(find "$work/prefix" -name 'libtim.so' | head -n 1)")

check() {  # check NAME COMMAND...: runs it on a new index, compares its output
  name=$1
  shift
  "$@" "$work/index-$name" > "$work/$name.out" 2>&1 || { cat "$work/$name.out"; exit 1; }
  diff -u "$examples/expected.txt" "$work/$name.out" || { echo "$name: unexpected output"; exit 1; }
  echo "$name: ok"
}

cmake -S "$examples" -B "$work/app" -DCMAKE_PREFIX_PATH="$work/prefix" -DCMAKE_BUILD_TYPE=Release \
  > "$work/configure.log" 2>&1 || { cat "$work/configure.log"; exit 1; }
cmake --build "$work/app" > "$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
check "find_package C++" "$work/app/search_cpp"
check "find_package C" "$work/app/search_c"

export PKG_CONFIG_PATH="$libdir/pkgconfig"
# shellcheck disable=SC2046
c++ -std=c++17 "$examples/search.cc" -o "$work/pc_cpp" $(pkg-config --cflags --libs tim) \
  -Wl,-rpath,"$libdir"
# shellcheck disable=SC2046
cc -std=c99 -Wall -Wextra -pedantic -Werror "$examples/search.c" -o "$work/pc_c" \
  $(pkg-config --cflags --libs tim) -Wl,-rpath,"$libdir"
check "pkg-config C++" "$work/pc_cpp"
check "pkg-config C" "$work/pc_c"

# The installed CLI finds its library next to it.
"$work/prefix/bin/tim" --version

if [ -n "$python" ]; then
  check "Python" env PYTHONPATH="$src/python" TIM_LIBRARY="$libdir/libtim.so" \
    PYTHONDONTWRITEBYTECODE=1 "$python" "$examples/search.py"
fi
