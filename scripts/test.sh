#!/usr/bin/env bash
# THE test command of netlink.host (.ci/run calls exactly this).
#
#   scripts/test.sh
#
# Installs what it needs (scripts/setup.sh), then runs every tier in order and
# keeps going when one fails:
#
#   meta         meta/runtime.yml's action group names exactly plugins/modules/*,
#                and the lists scripts/gen_manifest_lists.py writes are current
#   docs         docs/modules/*.md regenerated from the modules' DOCUMENTATION,
#                and the tables of docs/kernel-features.md regenerated from
#                objects/kernel_features.py, must equal the committed files
#   build        the tarball builds, installs, ansible-doc renders every module
#   changelog    fragments lint, CHANGELOG.md generated, a change under
#                plugins/ or roles/ comes with a fragment (scripts/checks/)
#   galaxy-importer  on the built tarball: no warning, no error
#   antsibull-docs   lint-collection-docs --plugin-docs (references checked)
#   docsite      the antsibull-docs docsite builds (Sphinx, offline, -W)
#   ansible-lint production profile: the repository and every playbook
#                snippet of README.md and docs/
#   doc-examples the getting-started playbook run as the guide says (check,
#                apply, rerun unchanged) in a throwaway namespace
#   unit         tests/unit          pytest, on ansible-core 2.19 and 2.21
#   integration  tests/integration   pytest, root, this machine's kernel in
#                                    throwaway namespaces, on 2.19 and 2.21
#   sanity       ansible-test sanity on 2.19 and 2.21 (empty ignore files), and
#                compile + import of the module side on Python 3.8-3.10, 3.12
#   vm           tests/vm/run.sh     stock Debian kernels under QEMU
#   molecule     roles/*/molecule    (when a role has scenarios)
#
# Prints a table of tiers with their times and, as its last line, the sum of
# every test in pytest's words, "N passed, N failed, N skipped", read from the
# junit xml files in tests/output: every pytest test case (VM tier included),
# one case per ansible-test sanity test and version, and one for each other
# check (meta, docs, molecule scenario).  Exit status 0 only if every tier
# passed.
#
# Order and parallelism (2-core machines; the run must stay within CI's 30
# minutes): the VM tier starts right after set-up and runs in the background
# while every other tier runs in the foreground (its QEMU guests keep the
# cores busy; the other tiers mostly wait on the kernel, ip and Ansible
# processes), and its output is printed when it ends, at its place in the
# table.  The integration tier runs on pytest-xdist workers (-n, default 4:
# its tests wait far more than they compute; each has its own namespaces),
# the tests marked slow first.
#
#   scripts/test.sh --quick   a developer's inner loop: unit and integration
#                             on ansible-core 2.19 only, without the tests
#                             marked slow; nothing else (CI never runs this)
#
# Environment: PYTEST_ADDOPTS is honoured by every pytest run (e.g. "-x -k addr").
#   NETLINK_HOST_TEST_WORKERS  pytest-xdist workers of the integration tier (4;
#                              1 runs it in one process, as before)
set -uo pipefail

QUICK=0
case ${1:-} in
    "") ;;
    --quick) QUICK=1 ;;
    -h|--help) sed -n '2,54p' "$0"; exit 0 ;;
    *) echo "test.sh: unknown argument $1 (try --help)" >&2; exit 2 ;;
esac
WORKERS=${NETLINK_HOST_TEST_WORKERS:-4}
xdist_args() {  # the -n option for the integration tier (none with 1 worker)
    # --maxschedchunk=1: two tests per worker to start with, so that the
    # tests marked slow, put first, start at once on workers of their own
    [ "$WORKERS" -gt 1 ] && echo "-n $WORKERS --maxschedchunk=1"
    return 0
}

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT" || exit 1
OUT=tests/output
export ANSIBLE_COLLECTIONS_PATH="$ROOT/.build/collections"
export PYTHONDONTWRITEBYTECODE=1

LINES=(2.19 2.21)
declare -A PY=([2.19]=3.11 [2.21]=3.13)   # Python of each venv, for ansible-test

TIER_NAMES=()
TIER_RESULTS=()
TIER_SECONDS=()
overall=0

banner() { printf '\n======== %s ========\n' "$*"; }
record() {  # record <name> <result> <seconds>; result is PASS, FAIL or a note
    TIER_NAMES+=("$1"); TIER_RESULTS+=("$2"); TIER_SECONDS+=("$3")
    [ "$2" = FAIL ] && overall=1
    return 0
}

junit_case() {  # junit_case <file-tag> <case name> <PASS|FAIL|SKIP>: one case for a check without junit
    local tag=$1 name=$2 result=$3 body="" failures=0 skipped=0
    case $result in
        PASS) ;;
        SKIP) body='<skipped message="not available on this machine"/>'; skipped=1 ;;
        *) body='<failure message="failed; see the output above"/>'; failures=1 ;;
    esac
    printf '<?xml version="1.0" encoding="utf-8"?>\n<testsuite name="%s" tests="1" failures="%d" errors="0" skipped="%d"><testcase classname="scripts.test" name="%s">%s</testcase></testsuite>\n' \
        "$tag" "$failures" "$skipped" "$name" "$body" > "$OUT/junit-$tag.xml"
}

has_tests() {  # has_tests <dir>: any pytest file below it?
    [ -d "$1" ] && [ -n "$(find "$1" -name 'test_*.py' -o -name '*_test.py' | head -n1)" ]
}

pytest_tier() {  # pytest_tier <tier> <line> <dir> [pytest args...]
    local tier=$1 line=$2 dir=$3 name="$1 ($2)" start rc
    shift 3
    banner "$name: pytest $dir on ansible-core $line"
    if ! has_tests "$dir"; then
        echo "$dir has no test files yet: nothing to run"
        record "$name" "no tests yet" 0
        return
    fi
    start=$SECONDS
    ".venv-$line/bin/python" -m pytest "$dir" "$@" \
        --junitxml="$OUT/junit-$tier-$line.xml" -o junit_suite_name="$tier-$line"
    rc=$?
    if [ $rc -eq 5 ]; then
        echo "FAILED: $dir has test files but pytest collected no tests"
        rc=1
    fi
    record "$name" "$([ $rc -eq 0 ] && echo PASS || echo FAIL)" $((SECONDS - start))
}

# --- set-up -----------------------------------------------------------------------
banner "set-up: scripts/setup.sh"
start=$SECONDS
if ! scripts/setup.sh; then
    echo "FAILED: scripts/setup.sh; no tier can run without it"
    exit 1
fi
record "set-up" PASS $((SECONDS - start))
mkdir -p "$OUT"
rm -f "$OUT"/junit-*.xml

print_table() {
    banner "summary"
    for i in "${!TIER_NAMES[@]}"; do
        printf '%-28s %-14s %5ss\n' "${TIER_NAMES[$i]}" "${TIER_RESULTS[$i]}" "${TIER_SECONDS[$i]}"
    done
    [ $overall -eq 0 ] && echo "all tiers passed" || echo "SOME TIERS FAILED"
}

if [ $QUICK = 1 ]; then
    pytest_tier unit 2.19 tests/unit
    # shellcheck disable=SC2046  # xdist_args is two words or none
    pytest_tier integration 2.19 tests/integration $(xdist_args) -m "not slow"
    print_table
    echo "quick run: unit and integration (not slow) on 2.19 only; scripts/test.sh runs everything"
    exit $overall
fi

# --- VM tier: started now, in the background ------------------------------------------
# Its output goes to a log printed when it ends (below, before molecule), so
# the other tiers' output stays readable.  It writes its own junit files.
VM_PID=""
VM_LOG=$OUT/vm.log
if [ -e tests/vm/run.sh ]; then
    banner "vm: tests/vm/run.sh started in the background (output in $VM_LOG, shown when it ends)"
    vm_start=$SECONDS
    bash tests/vm/run.sh </dev/null >"$VM_LOG" 2>&1 &
    VM_PID=$!
    # interrupted: run.sh stops its guests on TERM
    trap 'kill -TERM "$VM_PID" 2>/dev/null; exit 130' INT
    trap 'kill -TERM "$VM_PID" 2>/dev/null; exit 143' TERM
fi

# --- meta: the action group names exactly the modules that exist ----------------------
banner "meta: meta/runtime.yml action_groups.netlink == plugins/modules == objects/manifest.py's modules; scripts/gen_manifest_lists.py --check"
start=$SECONDS
r=PASS
.venv-2.19/bin/python scripts/gen_manifest_lists.py --check || r=FAIL
.venv-2.19/bin/python - <<'EOF' || r=FAIL
import importlib.util, os, sys, yaml
group = set(yaml.safe_load(open("meta/runtime.yml"))["action_groups"]["netlink"])
mods = {f[:-3] for f in os.listdir("plugins/modules") if f.endswith(".py") and not f.startswith("_")}
# manifest.py imports nothing of the collection at load time: loadable alone
spec = importlib.util.spec_from_file_location("manifest", "plugins/module_utils/objects/manifest.py")
manifest = importlib.util.module_from_spec(spec)
spec.loader.exec_module(manifest)
listed = set(manifest.module_names())
for m in sorted(mods - group):
    print("plugins/modules/%s.py is not in meta/runtime.yml action_groups.netlink" % m)
for m in sorted(group - mods):
    print("meta/runtime.yml action_groups.netlink lists %s, but plugins/modules/%s.py does not exist" % (m, m))
for m in sorted(mods - listed):
    print("plugins/modules/%s.py is not in objects/manifest.py (MODULES or OTHER_MODULES)" % m)
for m in sorted(listed - mods):
    print("objects/manifest.py lists %s, but plugins/modules/%s.py does not exist" % (m, m))
print("action group netlink: %s; modules: %s" % (", ".join(sorted(group)), ", ".join(sorted(mods)) or "none"))
sys.exit(0 if mods == group == listed else 1)
EOF
record "meta" $r $((SECONDS - start))
junit_case meta "meta/runtime.yml action group matches plugins/modules and objects/manifest.py's modules, and the lists gen_manifest_lists.py writes are current" $r

# --- docs: the module reference and the kernel-feature tables are generated -------
banner "docs: docs/generate.py --check, scripts/gen_kernel_features.py --check, scripts/gen_return_docs.py --check"
start=$SECONDS
r=PASS  # all run, so that every diff shows
.venv-2.19/bin/python docs/generate.py --check || r=FAIL
.venv-2.19/bin/python scripts/gen_kernel_features.py --check || r=FAIL
.venv-2.19/bin/python scripts/gen_return_docs.py --check || r=FAIL
record "docs" $r $((SECONDS - start))
junit_case docs "docs/modules is generated from the modules, docs/kernel-features.md from objects/kernel_features.py, the modules' shared RETURN entries by scripts/gen_return_docs.py" $r

banner "role docs: scripts/gen_role_docs.py --check, scripts/gen_role_tasks.py --check"
start=$SECONDS
r=PASS  # both run, so that both diffs show
.venv-2.19/bin/python scripts/gen_role_docs.py --check || r=FAIL
.venv-2.19/bin/python scripts/gen_role_tasks.py --check || r=FAIL
record "role docs" $r $((SECONDS - start))
junit_case role-docs "roles/network/meta/argument_specs.yml and docs/roles are generated from the modules, the role's per-module tasks from the manifest" $r

# --- build: the collection tarball installs and its modules' docs render ------------
build_check() {  # build_check <dir>
    local dir=$1 tarball m members f
    .venv-2.19/bin/ansible-galaxy collection build --force --output-path "$dir" . || return 1
    tarball=$(ls "$dir"/netlink-host-*.tar.gz) || return 1
    if tar -tzf "$tarball" | grep -E '(^|/)(bench|scripts|\.build|\.venv[^/]*|\.cache|\.hypothesis|\.benchmarks|__pycache__|tests/output)/'; then
        echo "the tarball carries build, bench or test artefacts (above)"
        return 1
    fi
    # what a user needs: build_ignore must not drop it
    members=$(tar -tzf "$tarball") || return 1
    for f in README.md COPYING CHANGELOG.md changelogs/changelog.yaml meta/runtime.yml \
             docs/getting-started.md docs/conventions.md plugins/doc_fragments/netlink.py; do
        grep -qx "$f" <<<"$members" || { echo "the tarball lacks $f (galaxy.yml build_ignore?)"; return 1; }
    done
    .venv-2.19/bin/ansible-galaxy collection install --force -p "$dir/installed" "$tarball" || return 1
    for m in plugins/modules/*.py; do
        m=$(basename "$m" .py)
        if ! ANSIBLE_COLLECTIONS_PATH="$dir/installed" .venv-2.19/bin/ansible-doc "netlink.host.$m" \
                | grep -q "netlink.host.$m"; then
            echo "ansible-doc does not render netlink.host.$m from the installed tarball"
            return 1
        fi
    done
    echo "built $(basename "$tarball"), installed it, ansible-doc renders every module"
}
banner "build: ansible-galaxy collection build + install + ansible-doc"
start=$SECONDS
build_dir=$(mktemp -d)
if build_check "$build_dir"; then r=PASS; else r=FAIL; fi
rm -rf "$build_dir"
record "build" $r $((SECONDS - start))
junit_case build "collection tarball builds, installs, and ansible-doc renders its modules" $r

# --- the ecosystem's checkers and the docs' own examples ----------------------------
# Each is one script under scripts/checks/ (run one alone the same way) and one
# junit case, so the closing line counts it.
check_tier() {  # check_tier <tier> <junit case name> <script>
    local tier=$1 case_name=$2 script=$3 start r
    banner "$tier: $script"
    start=$SECONDS
    if bash "$script"; then r=PASS; else r=FAIL; fi
    record "$tier" $r $((SECONDS - start))
    junit_case "$tier" "$case_name" $r
}
check_tier changelog "changelog fragments lint, CHANGELOG.md current, plugins/roles changes have a fragment" \
    scripts/checks/changelog.sh
check_tier galaxy-importer "galaxy-importer imports the built tarball with no warning or error" \
    scripts/checks/galaxy_importer.sh
check_tier antsibull-docs "antsibull-docs lint-collection-docs --plugin-docs with reference validation" \
    scripts/checks/antsibull_docs_lint.sh
check_tier docsite "the antsibull-docs docsite builds without warnings" \
    scripts/checks/docsite.sh
check_tier ansible-lint "ansible-lint --profile production on the repository and the docs' playbook snippets" \
    scripts/checks/ansible_lint.sh
if [ "$(id -u)" -eq 0 ]; then
    check_tier doc-examples "docs/getting-started.md's playbook: check, apply, rerun unchanged, in a throwaway netns" \
        scripts/checks/getting_started.sh
else
    banner "doc-examples"
    echo "FAILED: the getting-started playbook needs root (a network namespace)"
    record "doc-examples" FAIL 0
    junit_case doc-examples "getting-started playbook needs root" FAIL
fi

# --- unit, then host-kernel integration, on both ansible-core lines ------------------
ONCE_ONLY=(tests/integration/role/test_role_fleet.py tests/integration/modules/test_confirm_lockout.py)
for line in "${LINES[@]}"; do
    pytest_tier unit "$line" tests/unit
done
for line in "${LINES[@]}"; do
    if [ "$(id -u)" -ne 0 ] && has_tests tests/integration; then
        banner "integration ($line)"
        echo "FAILED: the integration tier needs root (network namespaces)"
        record "integration ($line)" FAIL 0
        junit_case "integration-$line" "integration tier needs root" FAIL
        continue
    fi
    # shellcheck disable=SC2046  # xdist_args is two words or none
    if [ "$line" = "${LINES[0]}" ]; then
        pytest_tier integration "$line" tests/integration $(xdist_args)
    else
        # The two whole-play tests that take minutes of waiting (50 hosts
        # converged twice; an SSH lock-out waiting out its rollback) run on
        # the first line only: they exercise the plays, not the line.
        echo "integration ($line): not run again on this line: ${ONCE_ONLY[*]}"
        pytest_tier integration "$line" tests/integration $(xdist_args) "${ONCE_ONLY[@]/#/--deselect=}"
    fi
done

# --- sanity -------------------------------------------------------------------------
# ansible-test wants the collection at .../ansible_collections/netlink/host and
# takes its file list from the nearest git repository.  The checkout's own .git
# would make it look at /work/main and find .build/ ignored, and a symlink to
# the checkout is refused, so: copy exactly the files git would ship (tracked
# and untracked-but-not-ignored, as in this working tree) into a fresh tree and
# give that tree its own empty git repository.
SANITY_TREE=.build/sanity/ansible_collections/netlink/host
banner "sanity: building $SANITY_TREE"
rm -rf .build/sanity
mkdir -p "$SANITY_TREE"
git ls-files -z --cached --others --exclude-standard \
    | tar --null --ignore-failed-read -T - -cf - 2>/dev/null \
    | tar -xf - -C "$SANITY_TREE"
git -C "$SANITY_TREE" init -q
for line in "${LINES[@]}"; do
    name="sanity ($line)"
    banner "$name: ansible-test sanity --python ${PY[$line]}"
    start=$SECONDS
    # Every sanity test of ansible-core runs here: none needs docker; each
    # installs its own pinned requirements into ~/.ansible/test/venv once
    # (pip bootstrap provided by scripts/setup.sh).  --junit writes one case
    # per sanity test, passed, skipped or failed, summed below.
    rm -rf "$SANITY_TREE/tests/output"
    if (cd "$SANITY_TREE" && "$ROOT/.venv-$line/bin/ansible-test" sanity \
            --python "${PY[$line]}" --color no --junit); then r=PASS; else r=FAIL; fi
    record "$name" $r $((SECONDS - start))
    for f in "$SANITY_TREE"/tests/output/junit/*.xml; do
        [ -f "$f" ] && cp "$f" "$OUT/junit-sanity-$line-$(basename "$f")"
    done
done

# The module side runs on the managed host's Python, which may be older than
# the controller's: it must compile and import on every other Python that
# ansible-core 2.19 supports there (3.8-3.10, and 3.12 which neither line
# above uses).  ansible-test finds them as pythonX.Y on PATH; pyenv's shims
# only answer for the active version, so link the interpreters into a
# directory of their own.
MODULE_PYTHONS=(3.8 3.9 3.10 3.12)
name="sanity module-side (2.19)"
banner "$name: ansible-test sanity --test compile --test import on Python ${MODULE_PYTHONS[*]}"
start=$SECONDS
r=PASS
mkdir -p .build/pythons
for v in "${MODULE_PYTHONS[@]}"; do
    py=""
    for cand in "$(command -v "python$v" 2>/dev/null)" "${PYENV_ROOT:-$HOME/.pyenv}"/versions/"$v".*/bin/"python$v"; do
        if [ -n "$cand" ] && [ -x "$cand" ] && "$cand" -c '' 2>/dev/null; then py=$cand; break; fi
    done
    if [ -z "$py" ]; then
        echo "Python $v not found on this machine: module-side compile/import on $v NOT tested"
        junit_case "sanity-module-py$v" "module-side compile and import on Python $v" SKIP
        continue
    fi
    ln -sfn "$py" ".build/pythons/python$v"
    rm -rf "$SANITY_TREE/tests/output"
    if ! (cd "$SANITY_TREE" && PATH="$ROOT/.build/pythons:$PATH" "$ROOT/.venv-2.19/bin/ansible-test" \
            sanity --test compile --test import --python "$v" --color no --junit); then
        r=FAIL
    fi
    for f in "$SANITY_TREE"/tests/output/junit/*.xml; do
        [ -f "$f" ] && cp "$f" "$OUT/junit-sanity-2.19-$(basename "$f")"
    done
done
record "$name" $r $((SECONDS - start))

# --- VM tier: stock distribution kernels under QEMU --------------------------------------
banner "vm: tests/vm/run.sh (started after set-up, beside the tiers above)"
if [ -n "$VM_PID" ]; then
    # it writes tests/output/junit-vm-<kernel>.xml, summed below
    if wait "$VM_PID"; then r=PASS; else r=FAIL; fi
    cat "$VM_LOG"
    record "vm (background)" $r $((SECONDS - vm_start))
    # its own exit status too: a kernel that never booted or timed out leaves
    # no junit file of its own
    junit_case vm-run "tests/vm/run.sh: every kernel booted and its tests passed" $r
else
    echo "tests/vm/run.sh does not exist yet: no VM tier"
    record "vm" "no tests yet" 0
fi

# --- molecule: the roles, on namespaces as hosts -----------------------------------------
banner "molecule: roles/*/molecule"
found=0
for scen in roles/*/molecule; do
    [ -d "$scen" ] || continue
    found=1
    role=$(dirname "$scen")
    start=$SECONDS
    if [ ! -x .venv-2.19/bin/molecule ]; then
        echo "FAILED: $scen exists but molecule is not installed: pin it in tests/requirements.txt"
        r=FAIL
    elif (cd "$role" && PATH="$ROOT/.venv-2.19/bin:$PATH" molecule test --all); then
        r=PASS
    else
        r=FAIL
    fi
    record "molecule $(basename "$role")" $r $((SECONDS - start))
    junit_case "molecule-$(basename "$role")" "molecule test --all in $role" $r
done
[ $found = 1 ] || { echo "no role has molecule scenarios yet"; record "molecule" "no tests yet" 0; }

# --- summary -----------------------------------------------------------------------
print_table
echo "whole run: $SECONDS s"
# the sum of every junit file of this run; errors count as failed
shopt -s nullglob
.venv-2.19/bin/python - "$OUT"/junit-*.xml <<'EOF'
import sys
import xml.etree.ElementTree as ET

passed = failed = skipped = 0
for path in sys.argv[1:]:
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError) as exc:
        print("unreadable junit file %s: %s" % (path, exc))
        failed += 1
        continue
    suites = [root] if root.tag == "testsuite" else root.iter("testsuite")
    for s in suites:
        n, f, e, k = (int(s.get(a, 0)) for a in ("tests", "failures", "errors", "skipped"))
        passed += n - f - e - k
        failed += f + e
        skipped += k
print("%d passed, %d failed, %d skipped" % (passed, failed, skipped))
EOF
exit $overall
