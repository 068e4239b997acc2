#!/usr/bin/env bash
# The README's tour of the command line, run in order in a fresh copy of the repository, with a
# check of what the README says each step produces.
#
# The commands are read from README.md itself (the fenced block under "## Tour of the command
# line"; comment lines dropped, `\` continuations joined), so the README cannot drift from what
# is tested: a command the script has no check for fails the tour.
#
#   scripts/readme-tour.sh           quick: the same commands on small populations (below)
#   scripts/readme-tour.sh --full    every command exactly as written (tens of minutes)
#   --keep                           keep the working copy and its outputs (the path is printed)
#
# Quick mode changes sizes only, never the order, the files or the folder names: `--agents`
# becomes 400 (1,000 for the panel runs of the early-warning models), `--years` 6 (to 2030-12,
# the date the tour compares at), runs without `--agents` get `--agents 400 --years 6`,
# `simulation.agents=`/`simulation.years=` become 400/6, plan paths 100, a stress axis 2 steps
# on 150 staff, the LSTM 1 epoch; the sweep and calibration files of the copy are cut to 2
# replications of 150-200 staff (and 2 fit iterations). The build step of the tour is left out:
# the binaries must exist.
#
# Binaries: sisandbox from $SISANDBOX_BIN_DIR, else the release build of the target folder
# ($CARGO_TARGET_DIR or target/) when it exists, else its debug build; sisandbox-risk is found
# beside it or in the debug build. Exit status 0 only if every command succeeded and every
# check passed.
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
full=0
keep=0
for arg in "$@"; do
    case "$arg" in
        --full) full=1 ;;
        --keep) keep=1 ;;
        -h | --help)
            sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'
            exit 0
            ;;
        *)
            echo "usage: scripts/readme-tour.sh [--full] [--keep]" >&2
            exit 2
            ;;
    esac
done

target="${CARGO_TARGET_DIR:-$repo/target}"
if [[ -n "${SISANDBOX_BIN_DIR:-}" ]]; then
    bin_dir="$SISANDBOX_BIN_DIR"
elif [[ -x "$target/release/sisandbox" ]]; then
    bin_dir="$target/release"
else
    bin_dir="$target/debug"
fi
if [[ ! -x "$bin_dir/sisandbox" ]]; then
    echo "readme-tour: no sisandbox binary in $bin_dir; build it first (cargo build --release)" >&2
    exit 2
fi
export PATH="$bin_dir:$target/debug:$PATH"
echo "readme-tour: $(command -v sisandbox) ($(sisandbox --version)), risk: $(command -v sisandbox-risk || echo missing)"

# A fresh copy: the files git tracks, as a clone would have them (uncommitted edits included).
work="$(mktemp -d "${TMPDIR:-/tmp}/readme-tour.XXXXXX")"
if ((keep == 1)); then
    echo "readme-tour: working in $work (kept)"
else
    trap 'rm -rf "$work"' EXIT
fi
(cd "$repo" && git ls-files -z | xargs -0 cp --parents -t "$work" 2>/dev/null) || {
    echo "readme-tour: cannot copy the repository's tracked files" >&2
    exit 2
}
cd "$work"

# The tour's commands, one per line.
mapfile -t commands < <(
    awk '
        /^## Tour of the command line/ { tour = 1; next }
        tour && /^```sh/ { block = 1; next }
        block && /^```/ { exit }
        block {
            sub(/^[ \t]+/, "")
            if ($0 == "" || $0 ~ /^#/) next
            if (sub(/\\$/, "")) { cmd = cmd $0; next }
            print cmd $0
            cmd = ""
        }
    ' "$repo/README.md"
)
if ((${#commands[@]} < 10)); then
    echo "readme-tour: found only ${#commands[@]} commands in README.md's tour" >&2
    exit 2
fi

quick() {
    local c="$1"
    if [[ "$c" == sisandbox\ run* && "$c" == *--panel* ]]; then
        c="$(sed -E 's/--agents [0-9]+//' <<<"$c") --agents 1000"
    elif [[ "$c" == sisandbox\ run* || "$c" == sisandbox\ bench* ]]; then
        c="$(sed -E 's/--agents [0-9,]+/--agents 400/; s/--years [0-9]+/--years 6/' <<<"$c")"
        [[ "$c" == *--agents* ]] || c="$c --agents 400"
        [[ "$c" == *--years* ]] || c="$c --years 6"
    fi
    c="$(sed -E 's/simulation\.agents=[0-9]+/simulation.agents=400/; s/simulation\.years=[0-9]+/simulation.years=6/' <<<"$c")"
    c="$(sed -E 's/--paths [0-9]+/--paths 100/' <<<"$c")"
    if [[ "$c" == sisandbox\ stress* ]]; then
        c="$(sed -E 's/:[0-9]+( |$)/:2\1/g' <<<"$c") --set simulation.agents=150"
    fi
    if [[ "$c" == sisandbox\ risk\ train* ]]; then
        c="$c --epochs 1"
    fi
    printf '%s' "$c"
}

if ((full == 0)); then
    sed -i -E 's/^replications = [0-9]+/replications = 2/; s/^set = \[\]/set = ["simulation.agents=150", "simulation.years=3"]/' \
        scenarios/sweeps/conversion-quit.toml
    sed -i -E 's/simulation\.agents=[0-9]+/simulation.agents=200/; s/^max_iterations = [0-9]+/max_iterations = 2/' \
        scenarios/targets/established-share.toml
fi

failures=0
fail() {
    echo "  FAILED: $*" >&2
    failures=$((failures + 1))
}
# has FILE TEXT: the file exists and contains TEXT.
has() {
    if [[ ! -f "$1" ]]; then
        fail "no file $1"
    elif ! grep -qF -- "$2" "$1"; then
        fail "$1 does not contain \`$2\`"
    fi
}
files() {
    local f
    for f in "$@"; do
        [[ -s "$f" ]] || fail "no file $f (or it is empty)"
    done
}

# The checks: what the README says the command produces. `out`/`err` hold its output.
check() {
    local c="$1" out="$2" err="$3"
    case "$c" in
        "sisandbox")
            files results/default-seed20251125/{series.csv,agents.csv,manifest.toml} ;;
        "sisandbox run scenarios/baseline.toml --seed 7"*)
            files results/baseline-seed7/{series.csv,agents.csv,manifest.toml} ;;
        "sisandbox run scenarios/baseline.toml --set"*)
            files results/baseline-seed20251125/manifest.toml
            has results/baseline-seed20251125/manifest.toml 'conversion_rate = 0.05' ;;
        "sisandbox pension "*" --explain")
            grep -q "total" "$out" || fail "no total in the explanation" ;;
        "sisandbox pension "*" --json")
            grep -q '^{' "$out" || fail "not JSON" ;;
        "sisandbox rates sichuan"*)
            has "$out" "sichuan, 2025-07" ;;
        "sisandbox docs scenarios")
            has "$out" "simulation.agents" ;;
        "sisandbox run scenarios/baseline.toml "*"--out results/cmp")
            files results/cmp/baseline-seed20251125/manifest.toml ;;
        "sisandbox run scenarios/reform-flexible-base.toml "*"--out results/cmp")
            files results/cmp/flexible-base-seed20251125/manifest.toml ;;
        "sisandbox compare --decompose"*)
            has "$out" "mechanical"
            has "$out" "behavioural" ;;
        "sisandbox compare results/cmp/"*)
            # Same seed, start, horizon and staff: paired, no warning about the set-up.
            has "$out" "flexible-base"
            ! grep -q "warning" "$err" || fail "compare warned: $(cat "$err")" ;;
        "sisandbox sweep scenarios/sweeps/conversion-quit.toml")
            files results/sweeps/conversion-quit/{plan.toml,runs.csv,summary.csv,paired_summary.csv} ;;
        "sisandbox reproduce results/cmp/baseline-seed20251125/manifest.toml")
            has "$out" "reproduced: every output, re-run and original, matches its recorded SHA-256" ;;
        "sisandbox plan scenarios/plans/new-hire.toml"*)
            files results/plan-new-hire/{plan.json,percentiles.csv,balances.png} ;;
        "sisandbox stress "*)
            compgen -G "results/stress/*.png" >/dev/null || fail "no heat map in results/stress" ;;
        "sisandbox calibrate scenarios/targets/established-share.toml")
            files results/calibrations/established-share-seed20251125/manifest.toml ;;
        "sisandbox calibrate --reproduce "*)
            has "$out" "reproduced: every output matches its recorded SHA-256" ;;
        "sisandbox plot --help")
            has "$out" "Usage" ;;
        "cargo build --release -p sisandbox-risk") ;;
        "sisandbox run scenarios/baseline.toml --years 6 --panel "*)
            compgen -G "results/risk/baseline-seed*/panel.parquet" >/dev/null || fail "no panel" ;;
        "sisandbox risk train "*)
            files models/lstm/model.json ;;
        "sisandbox risk evaluate "*"--json")
            has "$out" '"auc"'
            has "$out" '"baseline_auc"' ;;
        "sisandbox risk score "*)
            files warnings/warnings.csv ;;
        "sisandbox risk audit "*)
            compgen -G "results/risk/baseline-seed7/risk-audit*/model_card.md" >/dev/null ||
                fail "no model card in results/risk/baseline-seed7/risk-audit" ;;
        "sisandbox bench "*)
            has "$out" "agent-months/s"
            [[ "$c" != *--repeat* ]] || has "$out" "fastest–slowest" ;;
        "sisandbox synth-hr "*)
            files synth/payroll.csv synth/insurance.csv synth/finance.csv ;;
        "sisandbox audit "*)
            compgen -G "audit/*" >/dev/null || fail "nothing in audit/" ;;
        "sisandbox makeup "*)
            compgen -G "makeup/*" >/dev/null || fail "nothing in makeup/" ;;
        "sisandbox budget "*)
            compgen -G "budget/*" >/dev/null || fail "nothing in budget/" ;;
        *)
            fail "no check for this command; add one to scripts/readme-tour.sh" ;;
    esac
}

start=$SECONDS
n=0
for readme_cmd in "${commands[@]}"; do
    n=$((n + 1))
    cmd="$readme_cmd"
    ((full == 1)) || cmd="$(quick "$readme_cmd")"
    if [[ "$cmd" == cargo\ * ]]; then
        echo "== [$n] $readme_cmd   (skipped: the binaries are built already)"
        continue
    fi
    echo "== [$n] $cmd"
    out="$work/.tour-out" err="$work/.tour-err"
    t0=$SECONDS
    if ! bash -o pipefail -c "$cmd" >"$out" 2>"$err" </dev/null; then
        fail "exit status; its output:"
        tail -n 20 "$err" >&2
    fi
    check "$readme_cmd" "$out" "$err"
    echo "   ($((SECONDS - t0)) s)"
done

echo "readme-tour: ${#commands[@]} commands in $((SECONDS - start)) s, $failures failure(s)"
((failures == 0))
