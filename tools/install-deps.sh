#!/bin/sh
# Installs the Debian 12 packages tim needs to build and test, when missing.
# Runs apt-get only if something is missing; needs root for that.
set -eu
packages="g++ cmake make pkg-config libicu-dev libroaring-dev libzstd-dev libgtest-dev
libbenchmark-dev libcli11-dev libsimdjson-dev libxxhash-dev libedit-dev
python3 python3-venv python3-dask python3-distributed
python3-pandas"
missing=""
for p in $packages; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  echo "Installing:$missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends $missing
fi
