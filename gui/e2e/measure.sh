#!/usr/bin/env bash
# Measures the real window under Xvfb on a large comparison: the longest time the window's
# thread spent in one frame (SISANDBOX_GUI_FRAME_STATS; with the part of it spent on a CPU and
# waiting for one, which tells work from descheduling on a busy machine), the longest whole
# frame (drawing and painting, as eframe measures it) while two scenarios of MEASURE_AGENTS
# staff run with replications and are compared, and the CPU the idle window uses afterwards.
# The machine's load average is printed at the start and the end.
#
#   gui/e2e/measure.sh BINARY            (a release build: cargo build --release -p sisandbox-gui)
#
# Env: MEASURE_AGENTS (100000), MEASURE_YEARS (10), MEASURE_REPLICATIONS (2),
# MEASURE_IDLE_SECONDS (30), MEASURE_TAB (compare or headline).
set -euo pipefail
bin=$(realpath "$1")
repo=$(cd "$(dirname "$0")/../.." && pwd)
if [ -z "${MEASURE_IN_XVFB:-}" ]; then
    export MEASURE_IN_XVFB=1
    exec xvfb-run -a -s "-screen 0 1280x800x24" "$0" "$@"
fi
work=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
cat >"$work/baseline.toml" <<TOML
extends = "$repo/scenarios/baseline.toml"
name = "baseline"
[simulation]
agents = ${MEASURE_AGENTS:-100000}
years = ${MEASURE_YEARS:-10}
TOML
cat >"$work/reform.toml" <<TOML
extends = "baseline.toml"
name = "higher-conversion"
[careers]
conversion_rate = 0.08
TOML
cd "$work"
echo "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)"
started=$(date +%s)
SISANDBOX_GUI_FRAME_STATS=1 "$bin" --run --compare --tab "${MEASURE_TAB:-compare}" \
    --replications "${MEASURE_REPLICATIONS:-2}" baseline.toml reform.toml 2>"$work/log" &
pid=$!
until grep -q "comparison shown" "$work/log"; do
    kill -0 "$pid" 2>/dev/null || { cat "$work/log" >&2; exit 1; }
    sleep 1
done
echo "runs and comparison: $(( $(date +%s) - started )) s"
sleep 5
ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
idle=${MEASURE_IDLE_SECONDS:-30}
t0=$(ticks)
sleep "$idle"
t1=$(ticks)
hz=$(getconf CLK_TCK)
awk -v d=$((t1 - t0)) -v hz="$hz" -v s="$idle" \
    'BEGIN { printf "idle CPU: %.2f %% of one core over %d s\n", 100 * d / hz / s, s }'
# Every new longest frame, in order: the last of each kind is the longest.
grep "longest" "$work/log"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
