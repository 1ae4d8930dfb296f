"""Which device units netlink-host.service waits for (issue 20, defect 2).

A link the saved state creates has no device unit before the unit itself
runs: waiting for one holds the boot for the device job's whole timeout.
So the unit waits only for the links the state uses and does not create
(NICs, a parent or underlay that exists already)."""
import pytest

from ansible_collections.netlink.host.plugins.module_utils.host_cli import unit
from ansible_collections.netlink.host.plugins.module_utils.objects import link_types

VETH = {"name": "v0", "kind": "veth", "veth": {"peer": "v1"}}


@pytest.mark.parametrize("sections,want", [
    # the state: a veth pair, the peer named again to set it up
    ({"links": [VETH, {"name": "v1", "state": "up"}]}, []),
    # the peer carries an address and a route: still created by the state
    ({"links": [VETH], "addresses": [{"dev": "v1", "addresses": ["192.0.2.1/24"]}],
      "routes": [{"dst": "198.51.100.0/24", "dev": "v1"}]}, []),
    # the peer goes to another namespace: no device unit here either
    ({"links": [{"name": "v0", "kind": "veth", "veth": {"peer": "v1", "peer_netns": "other"}},
                {"name": "v1", "state": "up"}]}, []),
    # a vlan stacked on a bridge the state creates
    ({"links": [{"name": "br0", "kind": "bridge"}, {"name": "br0.5", "kind": "vlan", "link": "br0", "vlan": {"id": 5}}]},
     []),
    # a vlan on an existing NIC waits for the NIC
    ({"links": [{"name": "eth0.5", "kind": "vlan", "link": "eth0", "vlan": {"id": 5}}]}, ["eth0"]),
    # a created master; the existing port is waited for, the bridge is not
    ({"links": [{"name": "br0", "kind": "bridge"}, {"name": "eth1", "master": "br0"}]}, ["eth1"]),
    # a veth end enslaved to a created bridge, the bridge listed last
    ({"links": [VETH, {"name": "v1", "master": "br0"}, {"name": "br0", "kind": "bridge"}]}, []),
    # a master the state does not create (a bond made elsewhere)
    ({"links": [{"name": "d0", "kind": "dummy", "master": "bond0"}]}, ["bond0"]),
    # a vxlan's underlay (vxlan.dev), created or existing
    ({"links": [{"name": "vx0", "kind": "vxlan", "vxlan": {"id": 1, "dev": "eth2"}}]}, ["eth2"]),
    ({"links": [VETH, {"name": "vx0", "kind": "vxlan", "vxlan": {"id": 1, "dev": "v1"}}]}, []),
    # a tunnel's underlay
    ({"links": [{"name": "gre1", "kind": "gre", "gre": {"remote": "192.0.2.2", "dev": "eth3"}}]}, ["eth3"]),
    # a macvlan on the peer of a veth the state creates
    ({"links": [VETH, {"name": "mv0", "kind": "macvlan", "link": "v1"}]}, []),
    # a multipath route names a device per next hop
    ({"routes": [{"dst": "10.0.0.0/8", "nexthops": [{"gateway": "192.0.2.1", "dev": "eth4"},
                                                    {"gateway": "192.0.2.2", "dev": "v1"}]}],
      "links": [VETH]}, ["eth4"]),
    # a link the state removes need not be there
    ({"links": [{"name": "eth9", "state": "absent"}, {"name": "old0", "kind": "dummy", "state": "absent"}]}, []),
    # lo is always there
    ({"addresses": [{"dev": "lo", "addresses": ["127.0.0.2/8"]}]}, []),
], ids=["veth-pair", "veth-peer-addressed", "veth-peer-netns", "vlan-on-created-bridge", "vlan-on-eth0",
        "created-master", "veth-end-in-created-bridge", "existing-master", "vxlan-dev-existing",
        "vxlan-dev-created", "gre-dev", "macvlan-on-peer", "multipath", "absent", "lo"])
def test_the_unit_waits_only_for_links_the_state_does_not_create(sections, want):
    assert unit.needed_devices(sections) == want


def test_a_created_link_is_neither_wanted_nor_waited_for_in_the_unit_text():
    text = unit.render("/p/netlink-host", "/etc/netlink.host",
                       unit.needed_devices({"links": [VETH, {"name": "v1", "state": "up"},
                                                      {"name": "v0.7", "kind": "vlan", "link": "eth0",
                                                       "vlan": {"id": 7}}]}))
    assert ".device" in text  # eth0's
    assert "devices-v1.device" not in text and "devices-v0.device" not in text, text


@pytest.mark.parametrize("item,want", [
    (VETH, ["v1"]),
    ({"name": "v0", "kind": "veth", "veth": {"peer": "v1", "peer_netns": "/run/netns/x"}}, ["v1"]),
    ({"name": "v0", "kind": "veth"}, []),           # no peer given: nothing named
    ({"name": "v0", "kind": "veth", "veth": None}, []),
    ({"name": "br0", "kind": "bridge", "bridge": {"stp": True}}, []),
    ({"name": "v1", "veth": {"peer": "v0"}}, []),  # no kind: creates nothing
])
def test_created_with_names_the_links_a_create_brings(item, want):
    assert link_types.created_with(item) == want
