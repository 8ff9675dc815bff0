#!/bin/sh
# layers.sh — includes point down the layers of doc/HACKING.md.
#
# A file in src/X may include its own folder and the folders ranked below
# X; anything else (an upward or sideways include) fails, naming the file
# and line. src/audit links nothing from the layers. Keep the ranks in step
# with doc/HACKING.md and each folder's README.md.
. "$abs_top_srcdir/tests/lib.sh"
src="$abs_top_srcdir/src"

rank() {
  case $1 in
  util) echo 0 ;; input) echo 1 ;;
  perfmon|trace|capture) echo 2 ;;
  fit) echo 3 ;; analyze) echo 4 ;; evidence) echo 5 ;; report) echo 6 ;;
  cmd) echo 7 ;; *) echo -1 ;;
  esac
}

for dir in "$src"/*/; do
  layer=$(basename "$dir")
  mine=$(rank "$layer")
  bad=0
  for f in "$dir"*.c "$dir"*.h; do
    [ -f "$f" ] || continue
    # "folder/file.h" includes only; <system> headers and config.h pass.
    grep -n '^#include "[a-z_]*/' "$f" | while IFS= read -r hit; do
      line=${hit%%:*}
      target=$(printf '%s\n' "$hit" | sed 's/^[0-9]*:#include "\([a-z_]*\)\/.*/\1/')
      [ "$target" = "$layer" ] && continue
      theirs=$(rank "$target")
      if [ "$layer" = audit ] || [ "$mine" -lt 0 ] || [ "$theirs" -lt 0 ] ||
         [ "$theirs" -ge "$mine" ]; then
        echo "# src/$layer/$(basename "$f"):$line includes $target/ (not below $layer)"
      fi
    done
  done >"$TMPD/bad.$layer"
  [ -s "$TMPD/bad.$layer" ] && bad=1
  cat "$TMPD/bad.$layer"
  check "src/$layer includes only the layers below it" [ "$bad" -eq 0 ]
done
done_testing
