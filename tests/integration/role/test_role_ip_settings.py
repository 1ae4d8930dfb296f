"""The network role with network_netconf (the namespace's IP settings) and
per-link ipv4/ipv6 settings in network_links: the play sets them (read
back with ``ip netns exec NS sysctl``), its second run changes nothing."""
import os
import subprocess
import sys

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))

PLAY = """- name: A router through the role
  hosts: all
  gather_facts: false
  roles:
    - role: netlink.host.network
      vars:
        network_netconf:
          all:
            ipv4: {forwarding: true}
            ipv6: {forwarding: true}
        network_links:
          - {name: br0, kind: bridge, state: up, ipv4: {forwarding: false, rp_filter: strict}}
"""
NAMES = ["net.ipv4.ip_forward", "net.ipv6.conf.all.forwarding", "net.ipv4.conf.br0.forwarding",
         "net.ipv4.conf.br0.rp_filter"]


def play(tmp_path, netns):
    (tmp_path / "inventory.ini").write_text(
        "%s ansible_connection=netlink.host.netns ansible_python_interpreter=%s\n" % (netns, sys.executable))
    (tmp_path / "play.yml").write_text(PLAY)
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=os.path.join(ROOT, ".build", "collections"), ANSIBLE_NOCOLOR="1")
    proc = subprocess.run([os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "-i",
                           str(tmp_path / "inventory.ini"), str(tmp_path / "play.yml")],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True, env=env,
                          check=False, timeout=300)
    assert proc.returncode == 0, proc.stdout
    return proc.stdout


@pytest.mark.slow(15)  # two whole plays
def test_role_sets_namespace_and_link_settings_then_changes_nothing(tmp_path, netns):
    out = play(tmp_path, netns)
    assert "changed=1" in out, out  # the one nl_state task: the namespace's settings and the links
    got = subprocess.run(["ip", "netns", "exec", netns, "sysctl", "-e"] + NAMES, check=True, stdout=subprocess.PIPE,
                         universal_newlines=True).stdout
    values = dict((k.strip(), int(v)) for k, v in (line.split("=", 1) for line in got.splitlines()))
    # the link's own forwarding is applied after ip_forward set every link's
    assert values == dict(zip(NAMES, [1, 1, 0, 1])), values
    again = play(tmp_path, netns)
    assert "changed=0" in again, again
