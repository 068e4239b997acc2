#!/usr/bin/env bash
# Starts the real sisandbox-gui in a virtual X display (Xvfb) and takes a screenshot of the
# screen once the window shows what was asked.
#
#   gui/e2e/screenshot.sh BINARY OUT.png [--lang en|zh]
#
# SCREENSHOT_MODE chooses what the window does first:
#   compare  (default) runs a baseline and a reform and shows their comparison;
#   walk     opens the baseline, creates a reform from a lever (--reform), runs both with
#            replications, shows the headline panel and exports its chart to
#            SCREENSHOT_EXPORT (default: beside OUT, named figure.png);
#   headline as walk, without the export;
#   levers   opens the baseline, creates the reform and shows its lever view;
#   planner  opens the case scenarios/plans/new-hire.toml (or SCREENSHOT_CASE) in the planner
#            tab, runs it with SCREENSHOT_PATHS paths (default 2000) and shows its fan chart
#            and options table.
#
# Needs xvfb-run (Debian: xvfb, xauth) and import (imagemagick). The scenarios are small
# versions of scenarios/baseline.toml, written to a temporary folder.
set -euo pipefail
bin=$(realpath "$1")
out=$(realpath -m "$2")
shift 2
repo=$(cd "$(dirname "$0")/../.." && pwd)
timeout_s=${SCREENSHOT_TIMEOUT:-600}
mode=${SCREENSHOT_MODE:-compare}
export_to=${SCREENSHOT_EXPORT:-$(dirname "$out")/figure.png}

if [ -z "${SCREENSHOT_IN_XVFB:-}" ]; then
    export SCREENSHOT_IN_XVFB=1
    exec xvfb-run -a -s "-screen 0 1280x800x24" "$0" "$bin" "$out" "$@"
fi

work=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
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

reps=${SCREENSHOT_REPLICATIONS:-2}
lever=${SCREENSHOT_LEVER:-careers.conversion_rate=0.08}
case "$mode" in
compare) args=(--run --compare --replications "$reps" baseline.toml reform.toml); wait_for="comparison shown" ;;
walk) args=(--reform "$lever" --run --compare --replications "$reps" --tab headline --export "$export_to" baseline.toml); wait_for="comparison shown" ;;
headline) args=(--reform "$lever" --run --compare --replications "$reps" --tab headline baseline.toml); wait_for="comparison shown" ;;
levers) args=(--reform "$lever" --tab levers baseline.toml); wait_for="ready" ;;
planner) args=(--plan "${SCREENSHOT_CASE:-$repo/scenarios/plans/new-hire.toml}" --plan-paths "${SCREENSHOT_PATHS:-2000}"); wait_for="sisandbox-gui: plan " ;;
*) echo "unknown SCREENSHOT_MODE $mode" >&2; exit 2 ;;
esac

cd "$work"
: >"$work/log"
"$bin" "${args[@]}" "$@" 2>"$work/log" &
pid=$!
waited=0
until grep -q "$wait_for" "$work/log"; do
    if ! kill -0 "$pid" 2>/dev/null; then
        echo "sisandbox-gui exited early:" >&2
        cat "$work/log" >&2
        exit 1
    fi
    if [ "$waited" -ge "$timeout_s" ]; then
        echo "no '$wait_for' after ${timeout_s}s" >&2
        exit 1
    fi
    sleep 1
    waited=$((waited + 1))
done
sleep 3
import -window root "$out"
cat "$work/log" >&2
if [ "$mode" = walk ]; then
    grep -q "sisandbox-gui: reform " "$work/log" || { echo "no reform written" >&2; exit 1; }
    grep -q "sisandbox-gui: exported " "$work/log" || { echo "no figure exported" >&2; exit 1; }
    grep -q "sisandbox-gui: headline baseline-reform: ." "$work/log" ||
        { echo "no headline of the reform" >&2; exit 1; }
fi
if [ "$mode" = planner ]; then
    grep -q "sisandbox-gui: plan shown: " "$work/log" || { echo "no plan shown" >&2; exit 1; }
fi
echo "screenshot: $out"
