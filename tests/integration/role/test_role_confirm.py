"""The network role with network_confirm_timeout: every change of the run is
made commit-confirmed and the role confirms it at its end, after reaching
the host again (meta reset_connection, then wait_for_connection): the
records end confirmed, no watchdog is left, and the changes outlive the
deadline.  Without it the role neither resets nor warns (Ansible ignores
``when:`` on a reset_connection, and says so, so the condition must sit on
an include)."""
import time

import pytest

from ansible_collections.netlink.host.plugins.module_utils.confirm import store
from ansible_collections.netlink.host.tests.integration.ansible_cli import inventory, playbook
from ansible_collections.netlink.host.tests.integration.confirm_wait import addresses, records_of, watchdog_gone

# Far enough that a loaded machine still confirms in time (at load 11 on
# two cores the first record was confirmed 14 s after it was made; with
# two whole CI runs side by side 45 s was too short once), near enough to
# wait out: the test then shows nothing rolls back at the deadline.
CONFIRM_TIMEOUT = 75

# Run with --tags: the confirmation lives in an included file, whose tasks
# must still carry the role's tags (or a tagged run would roll back).
PLAY = """- name: The role on a namespace
  hosts: all
  gather_facts: false
  roles:
    - role: netlink.host.network
      tags: [network]
      vars:
        network_confirm_timeout: %s
        network_links:
          - {name: br0, kind: bridge, state: up}
        network_addresses:
          - {dev: br0, addresses: [192.0.2.1/24]}
"""
RESET_TASK = "TASK [netlink.host.network : Reach the host again over a new connection]"
CONFIRM_TASK = "TASK [netlink.host.network : Confirm the pending changes of this run]"
WARNINGS = ("does not support when conditional", "Reset is not implemented")


def run_role(tmp_path, netns, confirm_timeout):
    proc = playbook(tmp_path, inventory(tmp_path, {netns: None}), PLAY % confirm_timeout, options=["-vvv", "--tags", "network"])
    assert proc.returncode == 0, proc.stdout
    for warning in WARNINGS:
        assert warning not in proc.stdout, proc.stdout
    return proc.stdout


@pytest.mark.slow(15)  # a whole play
def test_a_plain_run_neither_resets_nor_warns(tmp_path, netns, ip_json):
    out = run_role(tmp_path, netns, "null")
    assert RESET_TASK not in out and CONFIRM_TASK not in out, out
    assert "RESET NETNS CONNECTION" not in out, out  # the plugin's reset() was never called
    assert records_of(netns) == []
    assert addresses(ip_json, netns) == ["192.0.2.1/24"]


@pytest.mark.slow(80)  # a whole play, then the rest of its confirm deadline
def test_a_confirmed_run_resets_confirms_and_outlives_its_deadline(tmp_path, netns, ip_json):
    out = run_role(tmp_path, netns, CONFIRM_TIMEOUT)
    assert RESET_TASK in out and "RESET NETNS CONNECTION TO %s" % netns in out, out
    assert CONFIRM_TASK in out, out
    assert "changed=2" in out, out  # the one nl_state task, the confirmation
    recs = records_of(netns)
    assert len(recs) == 1 and all(r["state"] == store.CONFIRMED for r in recs), recs  # the whole transaction
    assert all(watchdog_gone(r["id"]) for r in recs)
    # Past the deadline a watchdog still alive would have rolled it back.
    time.sleep(max(0.0, max(r["deadline"] for r in recs) + 2 - time.time()))
    assert [store.load(r["id"])["state"] for r in recs] == [store.CONFIRMED]
    assert addresses(ip_json, netns) == ["192.0.2.1/24"]
    assert "UP" in ip_json(netns, "link", "show", "br0")[0]["flags"]
