"""Policy rules through the library against this machine's kernel, in
throwaway namespaces: create (RTM_NEWRULE, batched and acked), read
(RTM_GETRULE dumps, family-filtered), delete (RTM_DELRULE), each
cross-checked field by field with ``ip -j rule show`` (iproute2, an
independent client), and kernel refusals carrying the extended-ack text."""
import socket

import pytest

from ansible_collections.netlink.host.plugins.module_utils.netlink import const as C, rtnl
from ansible_collections.netlink.host.plugins.module_utils.netlink.errors import (
    ExistsError, NetlinkError, NotFoundError)
from ansible_collections.netlink.host.plugins.module_utils.netlink.rtnl import rule as R
from ansible_collections.netlink.host.plugins.module_utils.netlink.rtnl.route import RTPROT
from ansible_collections.netlink.host.plugins.module_utils.netlink.socket import NetlinkSocket, Request

TABLE_NAMES = {253: "default", 254: "main", 255: "local"}
IPPROTO_NAMES = {1: "icmp", 6: "tcp", 17: "udp", 58: "ipv6-icmp", 132: "sctp"}
ACTION_NAMES = {R.FR_ACT_BLACKHOLE: "blackhole",
                R.FR_ACT_UNREACHABLE: "unreachable", R.FR_ACT_PROHIBIT: "prohibit"}


def as_ip_json(msg):
    """What ``ip -j rule show`` (iproute2 6.1, lib/print_rule) prints for
    a rule, computed from the library's decoding of it."""
    h, a = msg.header, msg.attrs
    host_len = 32 if h["family"] == socket.AF_INET else 128
    out = {"priority": a.get("priority", 0)}
    if h["flags"] & R.FIB_RULE_INVERT:
        out["not"] = None
    if "src" in a:
        out["src"] = a["src"]
        if h["src_len"] != host_len:
            out["srclen"] = h["src_len"]
    elif h["src_len"]:
        out["src"], out["srclen"] = "0", h["src_len"]
    else:
        out["src"] = "all"
    if "dst" in a:
        out["dst"] = a["dst"]
        if h["dst_len"] != host_len:
            out["dstlen"] = h["dst_len"]
    elif h["dst_len"]:
        out["dst"], out["dstlen"] = "0", h["dst_len"]
    if h["tos"]:
        out["tos"] = "0x%02x" % h["tos"]
    if "fwmark" in a or "fwmask" in a:
        out["fwmark"] = "0x%x" % a.get("fwmark", 0)
        if a.get("fwmask", 0xFFFFFFFF) != 0xFFFFFFFF:
            out["fwmask"] = "0x%x" % a["fwmask"]
    if "iifname" in a:
        out["iif"] = a["iifname"]
        if h["flags"] & R.FIB_RULE_IIF_DETACHED:
            out["iif_detached"] = None
    if "oifname" in a:
        out["oif"] = a["oifname"]
        if h["flags"] & R.FIB_RULE_OIF_DETACHED:
            out["oif_detached"] = None
    if a.get("l3mdev"):
        out["l3mdev"] = None
    if "uid_range" in a:
        out["uid_start"], out["uid_end"] = a["uid_range"]["start"], a["uid_range"]["end"]
    if "ip_proto" in a:
        out["ipproto"] = IPPROTO_NAMES.get(a["ip_proto"], str(a["ip_proto"]))
    for key in ("sport", "dport"):
        rng = a.get(key + "_range")
        if rng:
            if rng["start"] == rng["end"]:
                out[key] = rng["start"]
            else:
                out[key + "_start"], out[key + "_end"] = rng["start"], rng["end"]
    if "tun_id" in a:
        out["tun_id"] = a["tun_id"]
    table = a.get("table", h["table"])
    if table:
        out["table"] = TABLE_NAMES.get(table, str(table))
        if a.get("suppress_prefixlen", 0xFFFFFFFF) != 0xFFFFFFFF:
            out["suppress_prefixlen"] = a["suppress_prefixlen"]
        if a.get("suppress_ifgroup", 0xFFFFFFFF) != 0xFFFFFFFF:
            out["suppress_ifgroup"] = str(a["suppress_ifgroup"])
    if a.get("flow"):
        to, frm = a["flow"] & 0xFFFF, a["flow"] >> 16
        if frm:
            out["flow_from"] = str(frm)
        out["flow_to"] = str(to)
    if h["action"] == R.FR_ACT_GOTO:
        out["goto"] = a.get("goto", "none")
        if h["flags"] & R.FIB_RULE_UNRESOLVED:
            out["unresolved"] = None
    elif h["action"] == R.FR_ACT_NOP:
        out["nop"] = None
    elif h["action"] in ACTION_NAMES:
        out["action"] = ACTION_NAMES[h["action"]]
    proto = a.get("protocol", 0)
    if proto and proto != 2:   # RTPROT_KERNEL is printed only with -d
        out["protocol"] = RTPROT.names.get(proto, str(proto))
    return out


def new_rule(family, action=R.FR_ACT_TO_TBL, table=0, src_len=0, dst_len=0, tos=0, flags=0,
             label=None, **attrs):
    header = {"family": family, "action": action, "table": table if table < 256 else 252,
              "src_len": src_len, "dst_len": dst_len, "tos": tos, "flags": flags}
    if table:
        attrs["table"] = table
    return Request(C.RTM_NEWRULE, C.NLM_F_CREATE | C.NLM_F_EXCL, header, attrs, label=label)


# Rules the library creates: each covers a different set of FRA_* attributes.
LIB_RULES = [
    new_rule(socket.AF_INET, table=100, src_len=16, dst_len=24, tos=0x10, priority=100,
             src="10.1.0.0", dst="10.2.0.0", iifname="lo", oifname="lo", fwmark=0x10, fwmask=0xFF,
             uid_range={"start": 1000, "end": 2000}, ip_proto=17,
             sport_range={"start": 1000, "end": 2000}, dport_range={"start": 53, "end": 53},
             protocol=99, label="ip rule add pref 100 from 10.1.0.0/16 ..."),
    new_rule(socket.AF_INET, table=200, src_len=16, flags=R.FIB_RULE_INVERT, priority=110,
             src="10.3.0.0"),
    new_rule(socket.AF_INET, table=254, priority=120, suppress_prefixlen=0),
    new_rule(socket.AF_INET, table=254, priority=130, suppress_ifgroup=5),
    new_rule(socket.AF_INET, action=R.FR_ACT_GOTO, priority=140, fwmark=0x20, goto=200),
    new_rule(socket.AF_INET, action=R.FR_ACT_NOP, priority=150),
    new_rule(socket.AF_INET, action=R.FR_ACT_BLACKHOLE, priority=151, src_len=16, src="10.5.0.0"),
    new_rule(socket.AF_INET, action=R.FR_ACT_UNREACHABLE, priority=152, dst_len=16, dst="10.6.0.0"),
    new_rule(socket.AF_INET, action=R.FR_ACT_PROHIBIT, priority=153, iifname="lo"),
    new_rule(socket.AF_INET, table=100, priority=160, tun_id=42, flow=(3 << 16) | 4),
    new_rule(socket.AF_INET, priority=180, l3mdev=1),
    new_rule(socket.AF_INET, table=1000, priority=190, ip_proto=6,
             dport_range={"start": 80, "end": 90}),
    new_rule(socket.AF_INET, table=300, priority=200, protocol=4, src_len=24, src="192.0.2.0"),
    new_rule(socket.AF_INET6, table=100, src_len=32, dst_len=48, priority=300, src="2001:db8::",
             dst="2001:db8:1::", iifname="lo", ip_proto=6, sport_range={"start": 22, "end": 22}),
    new_rule(socket.AF_INET6, table=101, priority=310, fwmark=1, uid_range={"start": 0, "end": 0}),
    new_rule(socket.AF_INET6, action=R.FR_ACT_BLACKHOLE, priority=320, oifname="lo"),
]


def lib_dump(ns):
    """IPv4 then IPv6 rules (the order ``ip -4``, ``ip -6`` print them).
    An AF_UNSPEC dump also returns the multicast routing rules (families
    RTNL_FAMILY_IPMR 128 / IP6MR 129), which ``ip rule`` does not show."""
    with NetlinkSocket(C.NETLINK_ROUTE, rtnl.SCHEMAS, netns=ns) as s:
        return (s.dump(C.RTM_GETRULE, {"family": C.AF_INET})
                + s.dump(C.RTM_GETRULE, {"family": C.AF_INET6}))


def ip_rules(ip_json, ns):
    return ip_json(ns, "-4", "rule", "show") + ip_json(ns, "-6", "rule", "show")


def test_rules_created_by_the_library_match_ip(netns, ip_json):
    with NetlinkSocket(C.NETLINK_ROUTE, rtnl.SCHEMAS, netns=netns) as s:
        result = s.batch(LIB_RULES)
        assert result.ok, result.error
        assert result.applied == list(range(len(LIB_RULES)))
    mine = [as_ip_json(m) for m in lib_dump(netns)]
    theirs = ip_rules(ip_json, netns)
    assert mine == theirs
    # every rule the library asked for is there, with what it asked for
    by_prio = {(m.header["family"], m.attrs.get("priority", 0)): m for m in lib_dump(netns)}
    for req in LIB_RULES:
        got = by_prio[(req.header["family"], req.attrs["priority"])]
        for key, want in req.header.items():
            assert got.header[key] == want or (key == "flags" and got.header[key] & want), (key, req)
        for key, want in req.attrs.items():
            assert got.attrs[key] == want, (key, req)


def test_rules_created_by_ip_decode_to_what_ip_shows(netns, ip, ip_json):
    for cmd in ("rule add pref 100 from 10.1.0.0/16 to 10.2.0.0/24 iif lo oif lo fwmark 0x10/0xff "
                "table 100 uidrange 1000-2000 ipproto udp sport 1000-2000 dport 53 protocol 99 tos 0x10",
                "rule add pref 110 not to 10.3.0.0/16 lookup 200",
                "rule add pref 140 fwmark 0x20 goto 200",
                "rule add pref 160 tun_id 42 lookup 100 realms 3/4",
                "rule add pref 170 lookup main suppress_prefixlength 3 suppress_ifgroup 5",
                "rule add pref 180 l3mdev",
                "rule add pref 190 table 1000 ipproto tcp dport 80-90",
                "rule add pref 195 from 192.0.2.7 unreachable",
                "-6 rule add pref 300 from 2001:db8::/32 oif lo lookup 100 ipproto tcp sport 22",
                "-6 rule add pref 310 to 2001:db8::1 prohibit"):
        ip(netns, *cmd.split())
    assert [as_ip_json(m) for m in lib_dump(netns)] == ip_rules(ip_json, netns)


def test_dump_is_filtered_by_family_in_the_kernel(netns):
    with NetlinkSocket(C.NETLINK_ROUTE, rtnl.SCHEMAS, netns=netns) as s:
        s.batch(LIB_RULES)
        v6 = s.dump(C.RTM_GETRULE, {"family": C.AF_INET6})
        v4 = s.dump(C.RTM_GETRULE, {"family": C.AF_INET})
    assert v6 and {m.header["family"] for m in v6} == {C.AF_INET6}
    assert v4 and {m.header["family"] for m in v4} == {C.AF_INET}
    with NetlinkSocket(C.NETLINK_ROUTE, rtnl.SCHEMAS, netns=netns) as s:
        every = s.dump(C.RTM_GETRULE, {"family": C.AF_UNSPEC})
    other = [m for m in every if m.header["family"] not in (C.AF_INET, C.AF_INET6)]
    assert {m.header["family"] for m in other} <= {128, 129}   # RTNL_FAMILY_IPMR, IP6MR
    assert len(v4) + len(v6) + len(other) == len(every)


def test_delete_rules(netns, ip_json):
    with NetlinkSocket(C.NETLINK_ROUTE, rtnl.SCHEMAS, netns=netns) as s:
        assert s.batch(LIB_RULES).ok
        before = len(ip_rules(ip_json, netns))
        # delete by the full description, as `ip rule del` does
        dels = [Request(C.RTM_DELRULE, 0, r.header, r.attrs) for r in LIB_RULES[:5]]
        result = s.batch(dels)
        assert result.ok, result.error
        # and by priority alone (the kernel matches on the attributes given)
        s.request(Request(C.RTM_DELRULE, 0, {"family": C.AF_INET6}, {"priority": 310}))
        prios = {(r["priority"]) for r in ip_json(netns, "-6", "rule", "show")}
        assert 310 not in prios and 300 in prios
        assert len(ip_rules(ip_json, netns)) == before - 6
        with pytest.raises(NotFoundError):
            s.request(Request(C.RTM_DELRULE, 0, {"family": C.AF_INET6}, {"priority": 310}))


def test_duplicate_is_refused_and_batch_reports_the_failure(netns, ip_json):
    with NetlinkSocket(C.NETLINK_ROUTE, rtnl.SCHEMAS, netns=netns) as s:
        s.request(LIB_RULES[0])
        with pytest.raises(ExistsError):
            s.request(LIB_RULES[0])
        # request 1 of 3 is invalid (FR_ACT_GOTO with a target before itself)
        bad = new_rule(socket.AF_INET, action=R.FR_ACT_GOTO, priority=500, goto=400, label="bad goto")
        result = s.batch([LIB_RULES[1], bad, LIB_RULES[2]])
        assert result.failed == 1
        assert isinstance(result.error, NetlinkError) and result.error.errno == 22
        assert "bad goto" in str(result.error)
        assert result.error.extack   # the kernel said why
        assert 0 in result.applied
    prios = {r["priority"] for r in ip_json(netns, "-4", "rule", "show")}
    assert 500 not in prios and 110 in prios


def test_newer_attributes_round_trip_through_the_kernel(netns, ip_json):
    """FRA_DSCP (6.10), FRA_FLOWLABEL/_MASK (6.14), FRA_SPORT/DPORT_MASK and
    FRA_DSCP_MASK (6.15): iproute2 6.1 cannot show them, so the library reads
    back what it wrote and ip confirms only that the rule exists."""
    reqs = [
        new_rule(socket.AF_INET, table=100, priority=400, dscp=46),
        new_rule(socket.AF_INET, table=100, priority=401, dscp=0x20, dscp_mask=0x38),
        new_rule(socket.AF_INET6, table=100, priority=402, flowlabel=0xABCDE,
                 flowlabel_mask=0xFFFFF),
        new_rule(socket.AF_INET, table=100, priority=403, ip_proto=17,
                 sport_range={"start": 0x1200, "end": 0x1200}, sport_mask=0xFF00,
                 dport_range={"start": 0x0400, "end": 0x0400}, dport_mask=0xFC00),
    ]
    with NetlinkSocket(C.NETLINK_ROUTE, rtnl.SCHEMAS, netns=netns) as s:
        result = s.batch(reqs)
        if not result.ok and result.error.errno in (22, 95):
            pytest.skip("kernel %s lacks a newer FRA_* attribute: %s" % (result.failed, result.error))
        assert result.ok, result.error
        got = {m.attrs.get("priority"): m for m in s.dump(C.RTM_GETRULE, {"family": C.AF_UNSPEC})}
    for req in reqs:
        m = got[req.attrs["priority"]]
        for key, want in req.attrs.items():
            assert m.attrs[key] == want, (key, m)
    prios = {r["priority"] for r in ip_rules(ip_json, netns)}
    assert {400, 401, 402, 403} <= prios
