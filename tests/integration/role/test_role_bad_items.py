"""The network role refuses a bad item of a variable before its host
changes: the role's argument specs check each variable's type, the one
nl_state task every item with its module's own types and choices (the
argument specs hold no sub-options: bench/bench_fleet.py, issue 22).  A new
bridge listed first would be made if anything ran before the check."""
import json
import os
import subprocess
import sys

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
NEW_BRIDGE = {"name": "br-new", "kind": "bridge", "state": "up"}


def converge(tmp_path, netns, variables):
    (tmp_path / "inventory.ini").write_text(
        "%s ansible_connection=netlink.host.netns ansible_python_interpreter=%s\n" % (netns, sys.executable))
    (tmp_path / "play.yml").write_text(json.dumps([{
        "name": "The role with a bad item", "hosts": "all", "gather_facts": False,
        "roles": [{"role": "netlink.host.network", "vars": variables}]}]))
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=os.path.join(ROOT, ".build", "collections"), ANSIBLE_NOCOLOR="1")
    proc = subprocess.run([os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "-i",
                           str(tmp_path / "inventory.ini"), str(tmp_path / "play.yml")],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True, env=env,
                          check=False, timeout=300)
    return proc.returncode, proc.stdout


def links(netns):
    return [link["ifname"] for link in json.loads(subprocess.run(["ip", "-n", netns, "-j", "link", "show"], check=True,
                                                                 stdout=subprocess.PIPE).stdout)]


@pytest.mark.slow(15)  # four plays
@pytest.mark.parametrize("variables, words", [
    ({"network_links": [NEW_BRIDGE, {"name": "v0", "kind": "veth", "colour": "blue"}]}, ["colour"]),
    ({"network_links": [NEW_BRIDGE, {"name": "v0", "kind": "nosuchkind"}]}, ["nosuchkind", "kind"]),
    ({"network_links": [NEW_BRIDGE], "network_addresses": [{"dev": "br-new", "addresses": ["10.0.0.1/24"],
                                                            "scope": "nowhere"}]}, ["addresses.scope"]),
    ({"network_links": [NEW_BRIDGE], "network_netconf": {"al": {"ipv4": {"forwarding": True}}}}, ["al"]),
    ({"network_links": {"name": "br-new", "kind": "bridge"}}, ["network_links"]),
], ids=["unknown-option", "bad-choice", "bad-address-option", "netconf-typo", "not-a-list"])
def test_bad_item_fails_with_the_host_unchanged(tmp_path, netns, variables, words):
    before = links(netns)
    rc, out = converge(tmp_path, netns, variables)
    assert rc != 0, out
    fatal = "\n".join(line for line in out.splitlines() if line.startswith("fatal:"))
    assert all(word in fatal for word in words), out[-3000:]
    assert links(netns) == before
