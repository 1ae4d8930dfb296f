"""The network role with network_confirm_timeout: every change of the run is
made commit-confirmed and the role confirms it at its end, after reaching
the host again: the records end confirmed and no watchdog is left to roll
the change back.  The deadline is far off so that a loaded machine cannot
pass it before the role's own confirm task."""
import os
import subprocess
import sys

import pytest

from ansible_collections.netlink.host.plugins.module_utils.confirm import store
from ansible_collections.netlink.host.tests.integration.confirm_wait import records_of, watchdog_gone

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))

PLAY = """- name: Role with commit-confirmed
  hosts: all
  gather_facts: false
  roles:
    - role: netlink.host.network
      vars:
        network_confirm_timeout: 600
        network_links:
          - {name: br0, kind: bridge, state: up}
        network_addresses:
          - {dev: br0, addresses: [192.0.2.1/24]}
"""


@pytest.mark.slow(15)  # a whole play
def test_role_confirms_what_it_changed(tmp_path, netns, ip_json):
    (tmp_path / "inventory.ini").write_text(
        "%s ansible_connection=netlink.host.netns ansible_python_interpreter=%s\n" % (netns, sys.executable))
    (tmp_path / "play.yml").write_text(PLAY)
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=os.path.join(ROOT, ".build", "collections"), ANSIBLE_NOCOLOR="1")
    proc = subprocess.run([os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "-i",
                           str(tmp_path / "inventory.ini"), str(tmp_path / "play.yml")],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True, env=env,
                          check=False, timeout=300)
    assert proc.returncode == 0, proc.stdout
    assert "TASK [netlink.host.network : Confirm the pending changes of this run]" in proc.stdout
    assert "changed=3" in proc.stdout, proc.stdout  # links, addresses, the confirmation
    recs = records_of(netns)
    assert len(recs) == 2 and all(r["state"] == store.CONFIRMED for r in recs), recs  # links, addresses
    assert all(watchdog_gone(r["id"]) for r in recs)
    addrs = [a["local"] for a in ip_json(netns, "addr", "show", "dev", "br0")[0]["addr_info"]]
    assert "192.0.2.1" in addrs
