#!/usr/bin/env bash
# usage: out_of_tree_test.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build="$1"; src="$2"
work="$(mktemp -d "${TMPDIR:-/tmp}/ccoc-oot-XXXXXX")"
xvfb_pid=""
# The work folder holds a whole install and build (about 185 MB): removed however the script ends.
cleanup() {
  if [ -n "$xvfb_pid" ]; then kill "$xvfb_pid" 2>/dev/null || true; wait "$xvfb_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

echo "== install the SDK and host to $work/prefix"
cmake --install "$build" --prefix "$work/prefix" >"$work/install.log" 2>&1 || { cat "$work/install.log"; fail "install"; }
[ -f "$work/prefix/lib/cmake/CCOC/CCOCConfig.cmake" ] || fail "no CCOCConfig.cmake installed"
[ -f "$work/prefix/include/ccoc/plugin.h" ] || fail "no plugin.h installed"

echo "== build sdk/examples/hello_panel out of tree"
# A vendor's build: a copy of the example, away from the CCOC tree, only the installed prefix.
cp -r "$src/sdk/examples/hello_panel" "$work/hello_src"
cmake -S "$work/hello_src" -B "$work/hello_build" -DCMAKE_PREFIX_PATH="$work/prefix" >"$work/configure.log" 2>&1 \
  || { cat "$work/configure.log"; fail "configure against the installed SDK"; }
cmake --build "$work/hello_build" >"$work/build.log" 2>&1 || { cat "$work/build.log"; fail "build"; }
[ -f "$work/hello_build/hello_panel.so" ] || fail "no hello_panel.so"

echo "== run the installed host with a site that loads it"
cat >"$work/site.toml" <<TOML
[site]
name = "สถานีทดสอบ"
name_en = "Out-of-tree test"
station_code = "OOT-1"

[[screen]]
id = "only"
width = 640
height = 360

[[plugin]]
path = "$work/hello_build/hello_panel.so"

[[panel]]
id = "hello"
type = "example.hello"

[[layout]]
screen = "only"
  [[layout.region]]
  panel = "hello"
  cell = [0, 0]
TOML
fdfile="$work/display"
Xvfb -displayfd 3 -screen 0 1280x720x24 -nolisten tcp 3>"$fdfile" 2>/dev/null &
xvfb_pid=$!
for _ in $(seq 100); do [ -s "$fdfile" ] && break; sleep 0.1; done
[ -s "$fdfile" ] || fail "Xvfb did not start"
export DISPLAY=":$(head -n1 "$fdfile")"
"$work/prefix/bin/ccoc-host" --config "$work/site.toml" --frames 5 --screenshot-dir "$work/shots" >"$work/host.log" 2>&1 \
  || { cat "$work/host.log"; fail "host exited non-zero"; }
cat "$work/host.log"
grep -q "loaded example.hello 1.0.0 (ABI 1.0, 1 panel types) from $work/hello_build/hello_panel.so" "$work/host.log" \
  || fail "the host did not load the out-of-tree panel"
grep -q "is not offered by any loaded plugin" "$work/host.log" && fail "panel type missing"
[ -s "$work/shots/only.png" ] || fail "no screenshot"

echo "== the installed --check reads the out-of-tree panel's settings declaration"
sed 's/^type = "example.hello"$/type = "example.hello"\nsettings = { colour = "red" }/' "$work/site.toml" >"$work/broken.toml"
status=0
"$work/prefix/bin/ccoc-host" --check "$work/broken.toml" >"$work/check.log" 2>&1 || status=$?
cat "$work/check.log"
[ "$status" -eq 2 ] || fail "--check exited $status on an undeclared setting, expected 2"
grep -q "^$work/broken.toml:[0-9]*:[0-9]*: unknown setting 'colour' in the settings of \[\[panel\]\] 'hello'; expected no settings here$" \
  "$work/check.log" || fail "--check did not refuse the undeclared setting with FILE:LINE:COL"
echo "PASS"
