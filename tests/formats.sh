#!/bin/sh
# formats.sh — `leakslope formats`: the folders in search order with where
# each comes from, every trace format, rules file and alias table found,
# which one wins when two folders have a file of one name, and a file that
# does not load listed with its error (exit 65).
. "$abs_top_srcdir/tests/lib.sh"
cd "$TMPD" || exit 1
mine=$TMPD/mine
mkdir -p "$mine/rules" "$mine/trace" home
HOME=$TMPD/home; export HOME
cp "$abs_top_srcdir/formats/rules/kb901014.yaml" "$mine/rules/"
cp "$abs_top_srcdir/formats/trace/procmon-csv.yaml" "$mine/trace/my-procmon.yaml"
sed -i 's/^name: .*/name: my-procmon/' "$mine/trace/my-procmon.yaml"

ls_run formats
check "formats exits 0 (rc $rc)" test "$rc" = 0
check "... lists the built-in readers" grep -q '^  tracerpt-xml  *built-in' out
check "... and the layouts of the data folder" grep -q "^  procmon-csv  *LEAKSLOPE_DATADIR: .*/trace/procmon-csv.yaml" out
check "... and the rules with their KB" grep -q '^  *KB901014: ' out
check "... and says a missing ~/.config folder is not there" grep -q "home/.config/leakslope/formats (~/.config): not there" out
# the folder beside the binary (src/../share/leakslope/formats) is not there
# for a build-tree binary: tests/install-moved.sh checks a moved install
check "... and lists no folder beside a build-tree binary" sh -c '! grep -q "(beside the binary)" out'

ls_run formats --formats "$mine" -f json
check "formats --formats DIR -f json exits 0 (rc $rc)" test "$rc" = 0
check "... DIR is searched first" sh -c 'python3 -c "import json,sys; d=json.load(open(sys.argv[1])); f=d[\"folders\"][0]; sys.exit(0 if f[\"source\"]==\"--formats\" and f[\"path\"]==sys.argv[2] else 1)" out "$0"' "$mine"
check "... its layout is listed as from --formats" grep -q '"name": "my-procmon"' out
check "... and the installed rules file of the same name is shadowed" sh -c 'python3 -c "
import json,sys
r=[x for x in json.load(open(\"out\"))[\"rules\"] if x[\"name\"]==\"kb901014\"]
sys.exit(0 if [x[\"shadowed\"] for x in r]==[False,True] and r[0][\"source\"]==\"--formats\" else 1)"'

echo 'name: [' >"$mine/trace/broken.yaml"
ls_run formats --formats "$mine"
check "a layout that does not load: exit 65 (rc $rc)" test "$rc" = 65
check "... listed with its error at FILE:LINE:COL" grep -q "error: $mine/trace/broken.yaml:[0-9]*:[0-9]*: " out
check "... and the count on stderr" grep -q '^leakslope: 1 data file(s) do not load' err
ls_run formats extra
check "an operand is a usage error (rc $rc)" test "$rc" = 2
done_testing
