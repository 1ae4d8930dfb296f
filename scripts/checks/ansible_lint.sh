#!/usr/bin/env bash
# ansible-lint, production profile (a tier of scripts/test.sh): on the
# repository (settings in .ansible-lint), then on every playbook snippet of
# README.md and docs/ (scripts/checks/doc_snippets.py extracts them; module
# EXAMPLES, as rendered in docs/modules/, are linted as tasks of a play).
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT" || exit 1
export PATH="$ROOT/.venv-tools/bin:$PATH"
export ANSIBLE_COLLECTIONS_PATH="$ROOT/.build/collections"
rc=0
echo "ansible-lint $(ansible-lint --version --offline 2>/dev/null | head -n1)"

echo "--- the repository"
ansible-lint --nocolor --offline --profile production || rc=1

echo "--- snippets of README.md and docs/"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
python scripts/checks/doc_snippets.py "$out/snippets" || rc=1
cat > "$out/snippets/.ansible-lint" <<'CFG'
profile: production
offline: true
CFG
if [ -n "$(ls "$out/snippets"/*.yml 2>/dev/null)" ]; then
    # the names say README.md-L32.yml: the file and line of the snippet
    (cd "$out/snippets" && git init -q . && ansible-lint --nocolor --offline --profile production ./*.yml) || rc=1
fi
exit $rc
