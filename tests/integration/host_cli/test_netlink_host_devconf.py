"""A saved state with links' IP settings (nl_link ipv4/ipv6), through the
host program as the boot unit runs it: apply sets them (read back with
``ip netns exec NS sysctl``), check and a second apply find nothing to
do, ``show`` gives them back as the state's own input, and after a
simulated reboot (the link gone) applying the shown state brings them
back."""
import json
import subprocess

STATE = {"links": [
    {"name": "br0", "kind": "bridge", "state": "up",
     "ipv4": {"forwarding": True, "rp_filter": "strict", "arp_ignore": 1},
     "ipv6": {"forwarding": True, "accept_ra": 2}},
]}
NAMES = ["net.ipv4.conf.br0.forwarding", "net.ipv4.conf.br0.rp_filter", "net.ipv4.conf.br0.arp_ignore",
         "net.ipv6.conf.br0.forwarding", "net.ipv6.conf.br0.accept_ra"]
SET = dict(zip(NAMES, [1, 1, 1, 1, 2]))


def sysctl(ns):
    out = subprocess.run(["ip", "netns", "exec", ns, "sysctl", "-e"] + NAMES, check=True,
                         stdout=subprocess.PIPE, universal_newlines=True).stdout
    return dict((k.strip(), int(v)) for k, v in (line.split("=", 1) for line in out.splitlines()))


def test_saved_settings_apply_show_and_survive_a_reboot(netns, netlink_host, state_file, ip):
    path = state_file(STATE)
    r = netlink_host("apply", path, netns=netns)
    assert r.returncode == 0, r.stderr
    assert "ip netns exec %s sysctl -w net.ipv4.conf.br0.rp_filter=1" % netns in r.stdout
    assert sysctl(netns) == SET
    for cmd in ("check", "diff"):
        r = netlink_host(cmd, path, netns=netns)
        assert r.returncode == 0 and "sysctl" not in r.stdout and "ip " not in r.stdout, (cmd, r)
    r = netlink_host("apply", path, netns=netns)
    assert r.returncode == 0 and r.stdout == "" and "nothing to change" in r.stderr, r
    r = netlink_host("show", netns=netns)
    assert r.returncode == 0, r.stderr
    shown = [l for l in json.loads(r.stdout)["links"] if l["name"] == "br0"][0]
    assert shown["ipv4"] == STATE["links"][0]["ipv4"] and shown["ipv6"] == STATE["links"][0]["ipv6"], shown
    saved = state_file(r.stdout, name="shown.json")
    ip(netns, "link", "del", "br0")  # a reboot: the link and its settings gone
    r = netlink_host("apply", saved, netns=netns)
    assert r.returncode == 0, r.stderr
    assert sysctl(netns) == SET
    assert netlink_host("check", saved, netns=netns).returncode == 0
