# samples/lib.sh — what samples/*/make-samples.sh share (sourced, POSIX sh,
# after the script has set `out`, the set's output folder): the check that
# the build's generators are there, the scratch folder a generated run is
# written into and how its files are kept, and the `reg export` files.

# sample_need PROGRAM...: each one built, else exit 66 saying so.
sample_need() {
  for g in "$@"; do
    [ -x "$g" ] || { echo "make-samples.sh: $g not built (make check builds it)" >&2; exit 66; }
  done
}

# sample_gen RUN GENERATOR ARGS...: `GENERATOR ARGS... $out/RUN.tmp`, quietly,
# into a fresh scratch folder.
sample_gen() {
  run=$1
  shift
  rm -rf "$out/$run.tmp"
  "$@" "$out/$run.tmp" >/dev/null
}

# sample_keep RUN MAX FILE...: each FILE of RUN's scratch folder into
# $out/RUN, gzipped as FILE.gz when it is over MAX bytes (MAX `never`: kept
# as it is), the other form removed. gzip -n: no name or time in the header,
# so the bytes stay the same.
sample_keep() {
  run=$1 max=$2
  shift 2
  mkdir -p "$out/$run"
  for f in "$@"; do
    if [ "$max" != never ] && [ "$(wc -c <"$out/$run.tmp/$f")" -gt "$max" ]; then
      gzip -n -9 <"$out/$run.tmp/$f" >"$out/$run/$f.gz"
      rm -f "$out/$run/$f"
    else
      mv "$out/$run.tmp/$f" "$out/$run/$f"
      rm -f "$out/$run/$f.gz"
    fi
  done
}

# sample_done RUN: the scratch folder goes.
sample_done() { rm -rf "$out/$1.tmp"; }

# reg_export FILE [VALUE]: a `reg export` of the Windows Messaging Subsystem
# key as Windows writes one (UTF-16LE with a BOM, CRLF, a blank line at the
# end); with VALUE, a CleanUpMAPIHeap DWORD. The other values are the usual
# ones of this key on a machine with MAPI installed.
reg_export() {
  {
    printf 'Windows Registry Editor Version 5.00\r\n\r\n'
    printf '[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows Messaging Subsystem]\r\n'
    printf '"CMC"="1"\r\n"CMCDLLNAME32"="mapi32.dll"\r\n"MAPI"="1"\r\n'
    printf '"MAPIX"="1"\r\n"MAPIXVER"="1.0.0.1"\r\n"OLEMessaging"="1"\r\n'
    if [ $# -gt 1 ]; then
      printf '"CleanUpMAPIHeap"=dword:%08x\r\n' "$2"
    fi
    printf '\r\n'
  } >"$1.utf8"
  { printf '\377\376'; iconv -f UTF-8 -t UTF-16LE "$1.utf8"; } >"$1"
  rm -f "$1.utf8"
}
