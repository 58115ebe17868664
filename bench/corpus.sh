#!/usr/bin/env bash
# Corpus benchmark: `warden scan` against Checkov and cfn-lint on one tree of real templates.
#
#   bench/corpus.sh [CORPUS_DIR]        (default: ../shared/corpus/serverless-patterns beside the repository)
#
# 1. builds warden in release (`cargo build --release -p warden-cli`);
# 2. creates bench/.venv (git-ignored) and installs pinned Checkov and cfn-lint into it;
#    a peer that cannot be installed or run is skipped with a note, never silently;
# 3. runs every tool on the same tree under GNU `/usr/bin/time -v` (wall time from the shell's
#    EPOCHREALTIME, peak RSS from time), warden WARDEN_RUNS times (default 5, median reported),
#    each peer once, after one untimed warm-up run of each tool;
# 4. prints a markdown table and writes it, with the details, to bench/out/corpus.md.
#
# Environment: WARDEN_RUNS=N, SKIP_BUILD=1 (use the existing target/release/warden),
# SKIP_PEERS="checkov cfn-lint" (names to leave out), PYTHON=python3,
# FRAMEWORKS="cloudformation terraform serverless" (Checkov frameworks; default cloudformation),
# WARDEN_INPUT=templates (scan only the CloudFormation / SAM templates; default: the whole tree).
set -euo pipefail
export LC_ALL=C

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
corpus=${1:-$root/../shared/corpus/serverless-patterns}
out=$here/out
venv=$here/.venv
runs=${WARDEN_RUNS:-5}
python=${PYTHON:-python3}
skip_peers=" ${SKIP_PEERS:-} "

CHECKOV_VERSION=3.3.30
CFN_LINT_VERSION=1.58.0

say() { printf '==> %s\n' "$*" >&2; }
warn() { printf 'warning: %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

notes=()
note() { notes+=("$*"); warn "$*"; }

# ---------------------------------------------------------------------------------------------
# Preconditions
# ---------------------------------------------------------------------------------------------

[[ -d $corpus ]] || die "corpus directory not found: $corpus (pass another one as the first argument)"
corpus=$(cd "$corpus" && pwd)
command -v "$python" >/dev/null || die "$python not found (needed for the venv and to read the reports)"
[[ $runs =~ ^[1-9][0-9]*$ ]] || die "WARDEN_RUNS must be a positive integer, got '$runs'"

if ! /usr/bin/time -v true >/dev/null 2>&1; then
    say "GNU time is missing: installing the Debian package 'time'"
    if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
        apt-get install -y time >/dev/null || { apt-get update >/dev/null && apt-get install -y time >/dev/null; } \
            || die "could not install GNU time (apt-get install -y time)"
    else
        die "GNU time (/usr/bin/time -v) is required: apt-get install -y time"
    fi
fi

mkdir -p "$out"
rm -f "$out"/*.stdout "$out"/*.stderr "$out"/*.time "$out"/*.json

# ---------------------------------------------------------------------------------------------
# warden
# ---------------------------------------------------------------------------------------------

if [[ ${SKIP_BUILD:-0} != 1 ]]; then
    say "building warden (release)"
    (cd "$root" && cargo build --release -p warden-cli) || die "cargo build --release -p warden-cli failed"
fi
target_dir=$(cd "$root" && cargo metadata --format-version 1 --no-deps 2>/dev/null |
    "$python" -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])') ||
    target_dir=$root/target
warden=$target_dir/release/warden
[[ -x $warden ]] || die "warden binary not found at $warden"
"$warden" scan --help >/dev/null 2>&1 || die "'$warden scan --help' failed: the CLI has no scan command yet"
warden_version=$("$warden" --version 2>/dev/null | awk '{print $NF}') || warden_version=""
commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)
if [[ -n $(git -C "$root" status --porcelain --untracked-files=no 2>/dev/null) ]]; then commit="$commit+dirty"; fi
warden_version="${warden_version:-?} ($commit)"

# ---------------------------------------------------------------------------------------------
# Peers in bench/.venv
# ---------------------------------------------------------------------------------------------

have_checkov=0
have_cfn_lint=0
venv_ok=0
if [[ $skip_peers != *" checkov "* || $skip_peers != *" cfn-lint "* ]]; then
    if [[ -x $venv/bin/python ]] || "$python" -m venv "$venv"; then
        venv_ok=1
    else
        note "could not create the virtualenv $venv: Checkov and cfn-lint are skipped"
    fi
fi

for peer in checkov cfn-lint; do
    if [[ $skip_peers == *" $peer "* ]]; then note "$peer skipped (SKIP_PEERS)"; fi
done

# pip_pin NAME VERSION EXECUTABLE: install NAME==VERSION unless EXECUTABLE already reports it.
pip_pin() {
    local name=$1 version=$2 exe=$3
    if [[ -x $venv/bin/$exe ]] && "$venv/bin/$exe" --version 2>/dev/null | grep -qF "$version"; then
        return 0
    fi
    say "installing $name==$version into $venv (this takes a few minutes)"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "$name==$version"
}

if [[ $venv_ok == 1 && $skip_peers != *" checkov "* ]]; then
    if pip_pin checkov "$CHECKOV_VERSION" checkov; then
        have_checkov=1
    else
        note "pip install checkov==$CHECKOV_VERSION failed: Checkov is skipped"
    fi
fi
if [[ $venv_ok == 1 && $skip_peers != *" cfn-lint "* ]]; then
    if pip_pin cfn-lint "$CFN_LINT_VERSION" cfn-lint; then
        have_cfn_lint=1
    else
        note "pip install cfn-lint==$CFN_LINT_VERSION failed: cfn-lint is skipped"
    fi
fi

# ---------------------------------------------------------------------------------------------
# Measuring
# ---------------------------------------------------------------------------------------------

# measure NAME CMD...: run CMD with stdout to out/NAME.stdout and stderr to out/NAME.stderr;
# sets M_RC, M_WALL (seconds), M_CPU (user + system seconds) and M_RSS_MB.
measure() {
    local name=$1
    shift
    local t0 t1
    t0=$EPOCHREALTIME
    set +e
    /usr/bin/time -v -o "$out/$name.time" "$@" >"$out/$name.stdout" 2>"$out/$name.stderr"
    M_RC=$?
    set -e
    t1=$EPOCHREALTIME
    M_WALL=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
    M_CPU=$(awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.2f", s }' "$out/$name.time")
    M_RSS_MB=$(awk -F': ' '/Maximum resident set size/ { printf "%.1f", $2 / 1024 }' "$out/$name.time")
}

templates_file=$out/templates.txt
"$python" "$here/templates.py" "$corpus" >"$templates_file"
mapfile -t templates <"$templates_file"
((${#templates[@]} > 0)) || die "no CloudFormation / SAM template found under $corpus"
say "corpus: $corpus (${#templates[@]} CloudFormation / SAM templates by content)"

# WARDEN_INPUT=templates gives warden exactly the CloudFormation / SAM templates (the files
# Checkov's cloudformation framework reads); the default is the whole tree, all formats.
if [[ ${WARDEN_INPUT:-tree} == templates ]]; then
    warden_cmd=("$warden" scan "${templates[@]}" --format json --output "json=$out/warden.json")
else
    warden_cmd=("$warden" scan "$corpus" --format json --output "json=$out/warden.json")
fi

say "warm-up (untimed): warden once, each peer on one template"
"${warden_cmd[@]}" >/dev/null 2>&1 || true
if [[ $have_checkov == 1 ]]; then
    "$venv/bin/checkov" -f "${templates[0]}" --framework cloudformation --compact --quiet --skip-download \
        -o json >/dev/null 2>&1 || true
fi
if [[ $have_cfn_lint == 1 ]]; then
    "$venv/bin/python" "$here/cfn_lint_keep_going.py" -- "${templates[0]}" >/dev/null 2>&1 || true
fi

declare -a warden_walls=() warden_rss=() warden_cpu=()
for ((i = 1; i <= runs; i++)); do
    measure "warden-$i" "${warden_cmd[@]}"
    case $M_RC in
        0 | 1) ;;
        2) if [[ $i == 1 ]]; then
               note "warden exited 2 (some files could not be loaded: error diagnostics in the report)"
           fi ;;
        *) sed -n '1,20p' "$out/warden-$i.stderr" >&2
           die "warden exited $M_RC (see $out/warden-$i.stderr)" ;;
    esac
    [[ -s $out/warden.json ]] || die "warden wrote no JSON report ($out/warden.json)"
    say "warden run $i/$runs: ${M_WALL}s, ${M_RSS_MB} MB"
    warden_walls+=("$M_WALL")
    warden_rss+=("$M_RSS_MB")
    warden_cpu+=("$M_CPU")
done
warden_rc=$M_RC
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
maximum() { printf '%s\n' "$@" | sort -g | tail -1; }
w_wall=$(median "${warden_walls[@]}")
w_cpu=$(median "${warden_cpu[@]}")
w_rss=$(maximum "${warden_rss[@]}")

checkov_row=""
if [[ $have_checkov == 1 ]]; then
    say "checkov (one run, takes a while)"
    # shellcheck disable=SC2086
    measure checkov "$venv/bin/checkov" -d "$corpus" --framework ${FRAMEWORKS:-cloudformation} --compact --quiet --skip-download -o json
    if [[ $M_RC == 0 || $M_RC == 1 ]] && "$python" -c 'import json, sys; json.load(open(sys.argv[1]))' "$out/checkov.stdout" 2>/dev/null; then
        cp "$out/checkov.stdout" "$out/checkov.json"
        checkov_row="$M_WALL $M_RSS_MB $M_CPU $M_RC"
        say "checkov: ${M_WALL}s, ${M_RSS_MB} MB"
    else
        tail -5 "$out/checkov.stderr" >&2 || true
        note "checkov exited $M_RC without a JSON report (see $out/checkov.stderr): left out of the table"
    fi
fi

cfn_lint_row=""
if [[ $have_cfn_lint == 1 ]]; then
    say "cfn-lint on the ${#templates[@]} templates (one run, takes a while)"
    measure cfn-lint "$venv/bin/python" "$here/cfn_lint_keep_going.py" --format json --non-zero-exit-code none \
        -- "${templates[@]}"
    if [[ $M_RC == 0 ]] && "$python" -c 'import json, sys; json.load(open(sys.argv[1]))' "$out/cfn-lint.stdout" 2>/dev/null; then
        cp "$out/cfn-lint.stdout" "$out/cfn-lint.json"
        cfn_lint_row="$M_WALL $M_RSS_MB $M_CPU $M_RC"
        say "cfn-lint: ${M_WALL}s, ${M_RSS_MB} MB"
    else
        tail -5 "$out/cfn-lint.stderr" >&2 || true
        note "cfn-lint exited $M_RC without a JSON report (see $out/cfn-lint.stderr): left out of the table"
    fi
fi

# ---------------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------------

checkov_version=$([[ $have_checkov == 1 ]] && "$venv/bin/checkov" --version 2>/dev/null || true)
cfn_lint_version=$([[ $have_cfn_lint == 1 ]] && "$venv/bin/cfn-lint" --version 2>/dev/null | awk '{print $NF}' || true)
cpu_model=$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)
mem_total=$(free -h 2>/dev/null | awk '/^Mem:/ { print $2 }' || true)

"$python" - "$out" "$corpus" "${#templates[@]}" "$runs" \
    "$warden_version" "$w_wall $w_rss $w_cpu $warden_rc" "${warden_walls[*]}" "${warden_rss[*]}" \
    "$checkov_version" "$checkov_row" "$cfn_lint_version" "$cfn_lint_row" \
    "$(nproc) x ${cpu_model:-unknown CPU}, ${mem_total:-?} RAM" "$(printf '%s\n' "${notes[@]+"${notes[@]}"}")" <<'PY'
import json, os, sys, datetime

(out, corpus, n_templates, runs, w_version, w_row, w_walls, w_rss, ck_version, ck_row,
 cl_version, cl_row, machine, notes) = sys.argv[1:]
notes = [n for n in notes.splitlines() if n]


def load(name):
    try:
        with open(os.path.join(out, name)) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


rows = []  # tool, version, files, wall, rss, cpu, results
w_wall, w_rss, w_cpu, w_rc = w_row.split()
report = load("warden.json") or {}
summary = report.get("summary", {})
errors = sum(1 for d in report.get("diagnostics", []) if d.get("level") == "error")
rows.append(("warden", w_version, summary.get("files_scanned", "?"), float(w_wall), float(w_rss), float(w_cpu),
             f"{summary.get('findings', '?')} findings, {errors} error diagnostics"))

if ck_row:
    wall, rss, cpu, rc = ck_row.split()
    data = load("checkov.json")
    parts = data if isinstance(data, list) else [data]
    files, failed, passed, parse_errors = set(), 0, 0, 0
    for part in parts:
        if not isinstance(part, dict):
            continue
        res = part.get("results", {})
        for key in ("passed_checks", "failed_checks", "skipped_checks"):
            files.update(c.get("file_path") for c in res.get(key, []))
        s = part.get("summary", {})
        failed += s.get("failed", 0)
        passed += s.get("passed", 0)
        parse_errors += s.get("parsing_errors", 0)
    rows.append(("checkov", ck_version, len(files), float(wall), float(rss), float(cpu),
                 f"{failed} failed / {passed} passed checks, {parse_errors} parsing errors"))

if cl_row:
    wall, rss, cpu, rc = cl_row.split()
    matches = load("cfn-lint.json") or []
    crashed = []
    try:
        with open(os.path.join(out, "cfn-lint.stderr")) as f:
            crashed = [l for l in f if l.startswith("cfn-lint-crash: ")]
    except OSError:
        pass
    rows.append(("cfn-lint", cl_version, int(n_templates) - len(crashed), float(wall), float(rss), float(cpu),
                 f"{len(matches)} matches, {len(crashed)} templates crashed cfn-lint"))
    for l in crashed:
        notes.append("cfn-lint crashed on (skipped by the wrapper): " + l[len("cfn-lint-crash: "):].strip())

base_wall, base_rss = rows[0][3], rows[0][4]
lines = [
    "| tool | version | files | wall s | CPU s | peak RSS MB | wall vs warden | RSS vs warden |",
    "|---|---|---:|---:|---:|---:|---:|---:|",
]
for tool, version, files, wall, rss, cpu, _ in rows:
    wr = "1" if tool == "warden" else f"{wall / base_wall:.0f}x" if wall / base_wall >= 10 else f"{wall / base_wall:.1f}x"
    rr = "1" if tool == "warden" else f"{rss / base_rss:.1f}x"
    lines.append(f"| {tool} | {version} | {files} | {wall:.3f} | {cpu:.2f} | {rss:.1f} | {wr} | {rr} |")
table = "\n".join(lines)
print(table)

md = [
    "# Corpus benchmark",
    "",
    f"- date: {datetime.datetime.now().astimezone().strftime('%Y-%m-%d %H:%M %Z')}",
    f"- machine: {machine}",
    f"- corpus: `{corpus}` ({n_templates} CloudFormation / SAM templates by content, see templates.txt)",
    f"- warden: median wall of {runs} runs (all: {w_walls} s), peak RSS the highest of the runs ({w_rss} MB)",
    "",
    table,
    "",
    "Results (not comparable one to one: different rule sets):",
    "",
]
md += [f"- {tool}: {results}" for tool, *_, results in rows]
md += [
    "",
    "Commands (`$C` is the corpus, `$T` the template list):",
    "",
    "- warden: `warden scan " + ("$T" if os.environ.get("WARDEN_INPUT") == "templates" else "$C")
    + " --format json --output json=out/warden.json`",
    "- checkov: `checkov -d $C --framework " + os.environ.get("FRAMEWORKS", "cloudformation")
    + " --compact --quiet --skip-download -o json`",
    "- cfn-lint: `python bench/cfn_lint_keep_going.py --format json --non-zero-exit-code none -- $T`",
]
if notes:
    md += ["", "Notes:", ""] + [f"- {n}" for n in notes]
with open(os.path.join(out, "corpus.md"), "w") as f:
    f.write("\n".join(md) + "\n")
PY
say "written $out/corpus.md"
