#!/bin/sh
# python_install_test.sh PYTHON LIBDIR PYTHON_SRC
# Installs the Python package offline into a fresh virtual environment (from
# a copy of python/, so the source tree stays clean), then runs its tests
# with the installed package, finding libtim through the loader path.
set -eu
python=$1 libdir=$2 src=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$src" "$work/src"
rm -rf "$work/src/build" "$work/src/tim.egg-info"
# A plain venv: the package builds with its own backend (python/backend/).
"$python" -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet --no-build-isolation --no-index "$work/src" \
  > "$work/pip.log" 2>&1 || { cat "$work/pip.log"; exit 1; }
# The package comes from the venv, not from the copy.
cd "$work"
rm -rf "$work/src/tim"
where=$(LD_LIBRARY_PATH="$libdir" "$work/venv/bin/python" -c 'import tim; print(tim.__file__)')
case $where in
  "$work/venv/"*) ;;
  *) echo "tim imported from $where, not from the venv"; exit 1 ;;
esac
env -u TIM_LIBRARY LD_LIBRARY_PATH="$libdir" "$work/venv/bin/python" -m unittest discover \
  -s "$work/src/tests" 2>&1
"$work/venv/bin/pip" uninstall --quiet --yes tim
if "$work/venv/bin/python" -c 'import tim' 2> /dev/null; then
  echo "tim still importable after pip uninstall"
  exit 1
fi
