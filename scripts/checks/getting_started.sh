#!/usr/bin/env bash
# docs/getting-started.md, done the way it tells a reader to (a tier of
# scripts/test.sh; needs root): its playbook (the yaml block after the
# "scripts/checks/getting_started.sh runs this playbook" comment) is saved as
# first.yml and run in a throwaway namespace (passed as lab_netns, the
# playbook's own variable; never the machine's own namespace):
#   1. ansible-playbook --check --diff first.yml  succeeds, reports changes,
#      and the namespace is exactly as it was;
#   2. ansible-playbook --diff first.yml          succeeds, reports changes,
#      and `ip` shows the bridge, the veth pair and the addresses;
#   3. ansible-playbook first.yml                 succeeds with changed=0.
# The guide must still give those three commands, or this check fails.
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT" || exit 1
GUIDE=docs/getting-started.md
[ "$(id -u)" -eq 0 ] || { echo "FAILED: needs root (it creates a network namespace)"; exit 1; }
export ANSIBLE_COLLECTIONS_PATH="$ROOT/.build/collections"
export ANSIBLE_PYTHON_INTERPRETER="$ROOT/.venv-2.19/bin/python"
export ANSIBLE_NOCOLOR=1 ANSIBLE_LOCALHOST_WARNING=0 ANSIBLE_INVENTORY_UNPARSED_WARNING=0
link=.build/collections/ansible_collections/netlink/host
mkdir -p "$(dirname "$link")"
[ -L "$link" ] || ln -s "$ROOT" "$link"

for cmd in "ansible-playbook --check --diff first.yml" "ansible-playbook --diff first.yml" "ansible-playbook first.yml"; do
    grep -qF "$cmd" "$GUIDE" || { echo "FAILED: $GUIDE no longer says '$cmd': update this check with it"; exit 1; }
done
work=$(mktemp -d)
NS=nlgs-$$
cleanup() {
    [ -e "/run/netns/$NS" ] && ip netns delete "$NS"
    rm -rf "$work"
}
trap cleanup EXIT
awk '/scripts\/checks\/getting_started.sh runs this playbook/ {mark=1; next}
     mark && /^```yaml/ {inblock=1; next}
     inblock && /^```/ {exit}
     inblock {print}' "$GUIDE" > "$work/first.yml"
[ -s "$work/first.yml" ] || { echo "FAILED: no playbook found after the marker in $GUIDE"; exit 1; }
ip netns add "$NS" || exit 1
echo "namespace $NS (the guide's lab)"

play() {  # play <log> <ansible-playbook args...>: run in $work, as the reader would
    local log=$1; shift
    (cd "$work" && "$ROOT/.venv-2.19/bin/ansible-playbook" "$@" -e "lab_netns=$NS") >"$log" 2>&1
    local rc=$?
    cat "$log"
    [ $rc -eq 0 ] || { echo "FAILED: ansible-playbook $* exited $rc"; return 1; }
}
recap_changed() { sed -n 's/.*localhost *: .*changed=\([0-9]*\).*/\1/p' "$1" | tail -n1; }
links() { ip -n "$NS" -j link show | python3 -c 'import json,sys; print(" ".join(sorted(l["ifname"] for l in json.load(sys.stdin))))'; }

before=$(ip -n "$NS" -d -j link show; ip -n "$NS" -j addr show)
echo "--- 1. ansible-playbook --check --diff first.yml"
play "$work/1.log" --check --diff first.yml || exit 1
[ "$(recap_changed "$work/1.log")" -gt 0 ] || { echo "FAILED: check mode reported no change"; exit 1; }
after=$(ip -n "$NS" -d -j link show; ip -n "$NS" -j addr show)
[ "$before" = "$after" ] || { echo "FAILED: check mode changed the namespace"; exit 1; }

echo "--- 2. ansible-playbook --diff first.yml"
play "$work/2.log" --diff first.yml || exit 1
[ "$(recap_changed "$work/2.log")" -gt 0 ] || { echo "FAILED: applying reported no change"; exit 1; }
[ "$(links)" = "br0 lo veth0 veth1" ] || { echo "FAILED: links are '$(links)'"; exit 1; }
ip -n "$NS" -br addr show dev br0
ip -n "$NS" -br addr show dev br0 | grep -q '192.0.2.1/24' || { echo "FAILED: 192.0.2.1/24 not on br0"; exit 1; }
ip -n "$NS" -br addr show dev br0 | grep -q '2001:db8::1/64' || { echo "FAILED: 2001:db8::1/64 not on br0"; exit 1; }

echo "--- 3. ansible-playbook first.yml"
play "$work/3.log" first.yml || exit 1
[ "$(recap_changed "$work/3.log")" = 0 ] || { echo "FAILED: the rerun reported changes"; exit 1; }
echo "getting-started: check mode planned without changing, apply changed, rerun changed=0"
