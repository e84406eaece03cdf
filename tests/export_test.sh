#!/bin/sh
# export_test.sh LIBTIM INCLUDE_DIR
# libtim.so exports the public API and nothing else: every defined dynamic
# symbol is a name declared in include/tim/ (C++ in namespace tim, C as
# tim_*), none of tim's internals (Rep, internal, the src/ namespaces) and
# nothing of the standard library; the SONAME carries the version of
# include/tim/version.h (libtim.so.0.MINOR before 1.0, libtim.so.MAJOR after).
set -eu
lib=$1 include=$2
syms=$(nm -D --defined-only "$lib" | awk '{ $1 = ""; $2 = ""; sub(/^  /, ""); print }' | c++filt)
[ -n "$syms" ] || { echo "no exported symbol at all in $lib"; exit 1; }
bad=0
# Every identifier declared in the public headers.
declared=$(cat "$include"/tim/*.h | tr -c 'A-Za-z0-9_' '\n' | sort -u)
is_declared() { printf '%s\n' "$declared" | grep -qx "$1"; }
echo "$syms" | while IFS= read -r s; do
  case $s in
    tim_*)
      name=${s%%@*}
      is_declared "$name" || { echo "exported C symbol not in include/tim/: $s"; exit 1; } ;;
    tim::* | "typeinfo for tim::"* | "typeinfo name for tim::"* | "vtable for tim::"*)
      path=${s#*tim::}
      path=${path%%(*}
      first=${path%%::*}
      first=${first%%\[*}
      is_declared "$first" || { echo "exported C++ symbol not in include/tim/: $s"; exit 1; }
      case "::$path" in
        *::Rep* | *::internal::* | *::index::* | *::query::* | *::codec::* | *::analysis::* | \
        *::store::* | *::util::* | *::fs::*)
          echo "internal symbol exported: $s"; exit 1 ;;
      esac ;;
    *) echo "foreign symbol exported: $s"; exit 1 ;;
  esac
done || bad=1
for want in "tim::Version()" "tim::IndexWriter::Open(" "tim::Searcher::Search(" "tim::Status::ToString"; do
  echo "$syms" | grep -qF "$want" || { echo "public symbol missing: $want"; bad=1; }
done
major=$(sed -n 's/^#define TIM_VERSION_MAJOR \([0-9]*\)$/\1/p' "$include/tim/version.h")
minor=$(sed -n 's/^#define TIM_VERSION_MINOR \([0-9]*\)$/\1/p' "$include/tim/version.h")
if [ "$major" = 0 ]; then want_soname=libtim.so.0.$minor; else want_soname=libtim.so.$major; fi
soname=$(objdump -p "$lib" | awk '$1 == "SONAME" { print $2 }')
[ "$soname" = "$want_soname" ] || { echo "SONAME $soname, want $want_soname"; bad=1; }
[ $bad = 0 ] || exit 1
echo "$(echo "$syms" | wc -l) exported symbols, all public; SONAME $soname"
