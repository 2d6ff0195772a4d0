#!/usr/bin/env bash
# The CURVE key pairs of the demo station's bus (configs/demo.toml, security = "curve"), made with
# ccoc-bus keygen into DATA_DIR/keys the first time, kept afterwards. Each file holds one pair as
# keygen prints it (public = "...", secret = "..."), readable by its owner only; the site file
# names the files and reads the public halves from them. ./ccoc demo runs it; keys are never
# committed: every clone makes its own.
#   configs/demo-keys.sh DATA_DIR CCOC_BUS
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: $0 DATA_DIR CCOC_BUS" >&2; exit 2; }
data="$1"; bus_tool="$2"
# The broker, the host, the alarm service ([[service]] alarms), the two camera walls and the two
# drivers: every peer that configs/demo.toml runs has its own key.
names=(broker host alarms wall.wall-1-cameras wall.desk-cameras sim-1 mqtt-1)
umask 077
mkdir -p "$data/keys"
for name in "${names[@]}"; do
  file="$data/keys/$name.key"
  [ -s "$file" ] && continue
  # Written beside the final name and moved, so an interrupted run never leaves half a key.
  "$bus_tool" keygen >"$file.new" || { rm -f "$file.new"; echo "$0: ccoc-bus keygen failed for $name" >&2; exit 1; }
  mv "$file.new" "$file"
done
