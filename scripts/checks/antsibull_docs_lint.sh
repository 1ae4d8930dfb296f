#!/usr/bin/env bash
# antsibull-docs lint-collection-docs (a tier of scripts/test.sh): the
# extra docs (docs/docsite/extra-docs.yml, links.yml, rst/) and, with
# --plugin-docs, every module's documentation: schema, markup, and every
# O()/V()/RV()/M() reference resolved (--validate-collection-refs all
# --disallow-unknown-collection-refs: a reference to an option, return value
# or plugin that does not exist fails).
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT" || exit 1
# antsibull-docs calls ansible-doc and ansible-galaxy by name
export PATH="$ROOT/.venv-tools/bin:$PATH"
# It copies the collection to a temporary tree and points ansible-doc there;
# no ANSIBLE_COLLECTIONS_PATH of ours, so that ansible-doc sees that copy only.
unset ANSIBLE_COLLECTIONS_PATH
link=.build/collections/ansible_collections/netlink/host
mkdir -p "$(dirname "$link")"
[ -L "$link" ] || ln -s "$ROOT" "$link"

echo "antsibull-docs $(antsibull-docs --version 2>&1 | tail -n1)"
out=$(antsibull-docs lint-collection-docs --plugin-docs --check-extra-docs-refs \
    --validate-collection-refs all --disallow-unknown-collection-refs "$link" 2>&1)
rc=$?
[ -z "$out" ] || printf '%s\n' "$out"
if [ $rc -ne 0 ] || [ -n "$out" ]; then
    echo "FAILED: antsibull-docs lint-collection-docs (exit $rc, findings above)"; exit 1
fi
echo "antsibull-docs lint-collection-docs: no findings"
