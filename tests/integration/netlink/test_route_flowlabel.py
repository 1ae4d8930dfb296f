"""RTA_FLOWLABEL is a __be32 (the kernel's rtm_ipv6_policy: NLA_BE32): a
route lookup (RTM_GETROUTE, ``ip -6 route get ... flowlabel L``) with a
flow label is steered by a rule that matches that label (FRA_FLOWLABEL,
kernel 6.14+), in a throwaway namespace.  Sent in host byte order the
label is another number: the kernel refuses it ("Invalid flow label")
or the lookup misses the rule."""
import socket

import pytest

from ansible_collections.netlink.host.plugins.module_utils.netlink import const as C, rtnl
from ansible_collections.netlink.host.plugins.module_utils.netlink.errors import NetlinkError
from ansible_collections.netlink.host.plugins.module_utils.netlink.rtnl import rule as FR
from ansible_collections.netlink.host.plugins.module_utils.netlink.socket import NetlinkSocket, Request

LABEL = 0x12345


def test_route_lookup_with_a_flow_label_follows_the_flowlabel_rule(netns, ip):
    ip(netns, "link", "add", "veth0", "type", "veth", "peer", "name", "veth1")
    ip(netns, "link", "set", "veth0", "up")
    ip(netns, "-6", "addr", "add", "2001:db8:1::1/64", "dev", "veth0", "nodad")
    ip(netns, "-6", "route", "add", "2001:db8:99::/48", "via", "2001:db8:1::2", "table", "100")
    rule = Request(C.RTM_NEWRULE, C.NLM_F_CREATE | C.NLM_F_EXCL,
                   {"family": socket.AF_INET6, "action": FR.FR_ACT_TO_TBL, "table": 100},
                   {"priority": 10, "table": 100, "flowlabel": LABEL, "flowlabel_mask": 0xFFFFF})
    get = {"family": socket.AF_INET6, "dst_len": 128}
    with NetlinkSocket(C.NETLINK_ROUTE, rtnl.SCHEMAS, netns=netns) as s:
        s.request(rule)
        hit = s.get(C.RTM_GETROUTE, get, {"dst": "2001:db8:99::1", "flowlabel": LABEL})
        # another label misses the rule: main has no route there
        with pytest.raises(NetlinkError):
            s.get(C.RTM_GETROUTE, get, {"dst": "2001:db8:99::1", "flowlabel": LABEL + 1})
    assert hit.attrs["table"] == 100
    assert hit.attrs["gateway"] == "2001:db8:1::2"
