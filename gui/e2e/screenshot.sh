#!/usr/bin/env bash
# Starts the real sisandbox-gui in a virtual X display (Xvfb), lets it run two scenarios and show
# their comparison, and takes a screenshot of the screen.
#
#   gui/e2e/screenshot.sh BINARY OUT.png [--lang en|zh]
#
# Needs xvfb-run (Debian: xvfb, xauth) and import (imagemagick). The two scenarios are small
# versions of scenarios/baseline.toml and a reform of it, written to a temporary folder.
set -euo pipefail
bin=$(realpath "$1")
out=$2
shift 2
repo=$(cd "$(dirname "$0")/../.." && pwd)
timeout_s=${SCREENSHOT_TIMEOUT:-600}

if [ -z "${SCREENSHOT_IN_XVFB:-}" ]; then
    export SCREENSHOT_IN_XVFB=1
    exec xvfb-run -a -s "-screen 0 1280x800x24" "$0" "$bin" "$out" "$@"
fi

work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
cat >"$work/baseline.toml" <<TOML
extends = "$repo/scenarios/baseline.toml"
name = "baseline"
[simulation]
agents = ${SCREENSHOT_AGENTS:-1500}
TOML
cat >"$work/reform.toml" <<TOML
extends = "baseline.toml"
name = "higher-conversion"
description = "Convert 8 % of contract staff to established posts each year."
[careers]
conversion_rate = 0.08
TOML

cd "$work"
: >"$work/log"
"$bin" --run --compare --replications "${SCREENSHOT_REPLICATIONS:-2}" "$@" baseline.toml reform.toml 2>"$work/log" &
pid=$!
waited=0
until grep -q "comparison shown" "$work/log"; do
    if ! kill -0 "$pid" 2>/dev/null; then
        echo "sisandbox-gui exited early:" >&2
        cat "$work/log" >&2
        exit 1
    fi
    if [ "$waited" -ge "$timeout_s" ]; then
        echo "no comparison after ${timeout_s}s" >&2
        exit 1
    fi
    sleep 1
    waited=$((waited + 1))
done
sleep 2
cd - >/dev/null
import -window root "$out"
echo "screenshot: $out"
