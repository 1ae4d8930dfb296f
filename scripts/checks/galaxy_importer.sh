#!/usr/bin/env bash
# galaxy-importer on the built tarball, as Galaxy imports it (a tier of
# scripts/test.sh): `ansible-galaxy collection build`, then
# `python -m galaxy_importer.main TARBALL` with the importer's own
# ansible-lint run and without ansible-test (which needs a container
# runtime; scripts/test.sh's sanity tiers run ansible-test on their own).
# Passes only when the import completes and printed no WARNING and no ERROR.
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT" || exit 1
export PATH="$ROOT/.venv-tools/bin:$PATH"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "galaxy-importer $(python -c 'import importlib.metadata as m; print(m.version("galaxy-importer"))')"
ansible-galaxy collection build --force --output-path "$work" . || exit 1
tarball=$(ls "$work"/netlink-host-*.tar.gz) || exit 1
cat > "$work/galaxy-importer.cfg" <<'CFG'
[galaxy-importer]
RUN_ANSIBLE_TEST = False
RUN_ANSIBLE_LINT = True
RUN_FLAKE8 = False
LOG_LEVEL_MAIN = INFO
CFG
# (in $work: it writes importer_result.json to the current directory)
(cd "$work" && GALAXY_IMPORTER_CONFIG="$work/galaxy-importer.cfg" python -m galaxy_importer.main "$tarball") \
    >"$work/import.log" 2>&1
rc=$?
# the per-file "Loading ..." lines are noise; everything else is shown
grep -v -E '^Loading (module_utils|module|doc_fragments|plugin) ' "$work/import.log"
if [ $rc -ne 0 ]; then
    echo "FAILED: galaxy-importer exited $rc"; exit 1
fi
if ! grep -q 'Importer processing completed successfully' "$work/import.log"; then
    echo "FAILED: galaxy-importer did not complete the import"; exit 1
fi
n=$(grep -c -E '(^|[^A-Za-z])(WARNING|ERROR)' "$work/import.log")
if [ "$n" -ne 0 ]; then
    echo "FAILED: galaxy-importer printed $n WARNING/ERROR line(s) (above)"; exit 1
fi
echo "galaxy-importer imported $(basename "$tarball"): no warnings, no errors"
