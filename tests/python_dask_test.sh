#!/bin/sh
# Runs python/tests/dask_*test.py with PYTHON, in a scratch directory (Dask
# writes its worker space there). Exit 77 (skipped) when Dask is missing.
set -eu
python=$1
tests=$2
if ! "$python" -c "import dask, distributed" 2>/dev/null; then
  echo "python_dask: python3-dask and python3-distributed are not installed (tools/install-deps.sh installs them)"
  exit 77
fi
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cd "$scratch"
"$python" -m unittest discover -s "$tests" -p 'dask_*test.py'
