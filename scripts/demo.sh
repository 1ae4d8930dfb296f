#!/usr/bin/env bash
# The netlink.host demo, start to finish, on this machine (needs root):
#
#   scripts/demo.sh
#
# Installs what it needs (scripts/setup.sh), creates a throwaway network
# namespace, and runs scripts/demo/site.yml against it with ansible-playbook:
#   1. check mode with --diff: what would change (nothing changes);
#   2. apply;
#   3. apply again: must report changed=0, or the demo fails;
# then shows the namespace with `ip -br link` / `ip -br addr`.  The namespace
# is deleted on every exit path; the host's own namespace is never touched.
#
# Environment: DEMO_ANSIBLE=2.19|2.21 picks the ansible-core line (2.19).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
LINE=${DEMO_ANSIBLE:-2.19}
NS=nlhost-demo-$$

[ "$(id -u)" -eq 0 ] || { echo "demo: needs root (it creates a network namespace)" >&2; exit 1; }

scripts/setup.sh

# the collection, found where Ansible looks for it (as conftest.py and setup.sh)
link=.build/collections/ansible_collections/netlink/host
mkdir -p "$(dirname "$link")"
[ -L "$link" ] || ln -s "$ROOT" "$link"
export ANSIBLE_COLLECTIONS_PATH="$ROOT/.build/collections"
export ANSIBLE_FORCE_COLOR=${ANSIBLE_FORCE_COLOR:-0}
export ANSIBLE_PYTHON_INTERPRETER="$ROOT/.venv-$LINE/bin/python"
PLAYBOOK=("$ROOT/.venv-$LINE/bin/ansible-playbook" -i "localhost," scripts/demo/site.yml
          -e "demo_netns=$NS")

cleanup() {
    if [ -e "/run/netns/$NS" ]; then
        ip netns delete "$NS" && echo "demo: namespace $NS deleted"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

step() { printf '\n=== demo: %s ===\n' "$*"; }

ip netns add "$NS"
echo "demo: created network namespace $NS"

step "1/3 check mode with --diff (nothing changes)"
"${PLAYBOOK[@]}" --check --diff
before=$(ip -n "$NS" -br link)
[ "$(printf '%s\n' "$before" | grep -vc '^lo ')" -eq 0 ] || {
    echo "demo: FAILED: check mode changed the namespace:"; echo "$before"; exit 1; }

step "2/3 apply"
"${PLAYBOOK[@]}" --diff

step "3/3 apply again: must change nothing"
out=$("${PLAYBOOK[@]}" --diff) || { echo "$out"; exit 1; }
echo "$out"
recap=$(printf '%s\n' "$out" | grep -E '^localhost +:')
case $recap in
    *" changed=0 "*) echo "demo: second run changed nothing, as it must" ;;
    *) echo "demo: FAILED: the second run reported changes: $recap"; exit 1 ;;
esac

step "state of $NS"
ip -n "$NS" -br link
ip -n "$NS" -br addr
