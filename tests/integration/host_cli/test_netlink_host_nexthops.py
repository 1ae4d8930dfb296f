"""Nexthop objects are a section of netlink-host's saved state (from their
manifest entry, no nexthop code in host_cli/): applied in one transaction
after the links and addresses their gateways need and before the routes
that use them by nhid; shown, and back after a simulated reboot (the link
deleted takes its nexthops and their routes)."""
import json

STATE = {
    # both ends up: the kernel refuses a nexthop on a device without carrier
    "links": [{"name": "v0", "kind": "veth", "veth": {"peer": "v1"}, "state": "up"}, {"name": "v1", "state": "up"}],
    "addresses": [{"dev": "v0", "addresses": ["192.0.2.10/24"]}],
    "nexthops": [{"id": 1, "gateway": "192.0.2.1", "dev": "v0"}, {"id": 2, "gateway": "192.0.2.2", "dev": "v0"},
                 {"id": 10, "group": [{"id": 1}, {"id": 2, "weight": 3}]}],
    "routes": [{"dst": "198.51.100.0/24", "nhid": 10}],
}


def test_nexthops_section_round_trips(netns, netlink_host, state_file, ip, ip_json):
    path = state_file(STATE)
    r = netlink_host("apply", path, netns=netns)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    group = lines.index("ip -n %s nexthop add id 10 group 1/2,3 proto static" % netns)
    assert lines.index("ip -n %s addr add 192.0.2.10/24 dev v0" % netns) < group
    assert group < lines.index("ip -n %s route add 198.51.100.0/24 proto static nhid 10" % netns)
    assert netlink_host("check", path, netns=netns).returncode == 0
    shown = json.loads(netlink_host("show", netns=netns).stdout)
    assert {"id": 10, "group": [{"id": 1}, {"id": 2, "weight": 3}], "protocol": "static"} in shown["nexthops"]
    saved = state_file(json.dumps(shown), name="shown.json")
    ip(netns, "link", "del", "v0")
    assert ip_json(netns, "nexthop", "show") == []
    r = netlink_host("apply", saved, netns=netns)
    assert r.returncode == 0, r.stderr
    assert set(n["id"] for n in ip_json(netns, "nexthop", "show")) == {1, 2, 10}
    (route,) = ip_json(netns, "route", "show", "198.51.100.0/24")
    assert route["nhid"] == 10
    assert netlink_host("check", saved, netns=netns).returncode == 0
