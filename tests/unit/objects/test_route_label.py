"""A route's label (messages, diff headers, netlink-host's drift lines)
names it as ``ip route`` would: its destination, then only what is not the
default of the rest of its identity."""
import pytest

from ansible_collections.netlink.host.plugins.module_utils.objects import registry

KIND = registry.kind("route")


@pytest.mark.parametrize("obj,label", [
    ({"dst": "10.29.0.0/16", "table": 100}, "10.29.0.0/16 table 100"),
    ({"dst": "10.29.0.0/16", "table": "main", "metric": 0}, "10.29.0.0/16"),
    ({"dst": "198.51.100.0/24", "metric": 5, "tos": 8}, "198.51.100.0/24 metric 5 tos 8"),
    ({"dst": "default", "family": 4, "table": "local"}, "default (IPv4) table local"),
    ({"dst": "default", "family": 6, "gateway": "fe80::1", "dev": "br0"}, "default (IPv6)"),
    ({"dst": "2001:db8::/64", "metric": 1024, "gateway": "fe80::1"}, "2001:db8::/64"),
    ({"dst": "2001:db8::/64", "dev": "br0"}, "2001:db8::/64 dev br0"),
    ({"dst": "2001:db8::/64", "src_prefix": "2001:db8:1::/48", "gateway": "fe80::1", "metric": 7},
     "2001:db8::/64 metric 7 from 2001:db8:1::/48"),
])
def test_label_names_a_route_as_ip_route_would(obj, label):
    assert KIND.label(obj) == label
