"""Policy-rule schema (RTM_*RULE: fib_rule_hdr + FRA_*, linux/fib_rules.h):
struct sizes, encode/decode round trips, and golden bytes captured from a
real kernel by golden/capture_rule_xfrm.py (decoded fields checked against
the ``ip rule`` command that made them, then re-encoded byte for byte)."""
import struct


from ansible_collections.netlink.host.plugins.module_utils.netlink import const as C, rtnl
from ansible_collections.netlink.host.plugins.module_utils.netlink.rtnl import rule as R
from ansible_collections.netlink.host.plugins.module_utils.netlink.socket import (
    Request, decode_messages, encode_message)
from ansible_collections.netlink.host.tests.unit.netlink import golden_check as G

# the decode/expect, re-encode and one-buffer tests of golden/rule.json
(test_golden_decode_matches_expect, test_golden_reencode_is_byte_exact,
 test_golden_stream_decodes_as_one_buffer) = G.golden_tests(rtnl.SCHEMAS, "rule", C.RTM_NEWRULE)


# ------------------------------------------------------------------ sizes

def test_struct_sizes_match_c():
    # sizeof() by gcc on x86_64 with linux/fib_rules.h
    assert R.FIB_RULE_HDR.size == 12
    assert R.FIB_RULE_UID_RANGE.size == 8
    assert R.FIB_RULE_PORT_RANGE.size == 4


def test_schemas_registered():
    for t in (C.RTM_NEWRULE, C.RTM_DELRULE, C.RTM_GETRULE):
        assert rtnl.SCHEMAS[t] is R.RULE


def test_attribute_numbers_follow_the_uapi_enum():
    # linux/fib_rules.h enum FRA_*: a few anchors spread over the enum
    num = R.RULE_ATTRS.num
    assert (num("dst"), num("src"), num("iifname"), num("goto"), num("priority")) == (1, 2, 3, 4, 6)
    assert (num("fwmark"), num("flow"), num("tun_id"), num("table"), num("fwmask")) == (10, 11, 12, 15, 16)
    assert (num("oifname"), num("l3mdev"), num("uid_range"), num("protocol")) == (17, 19, 20, 21)
    assert (num("sport_range"), num("dport_range"), num("dscp"), num("flowlabel")) == (23, 24, 25, 26)
    assert (num("sport_mask"), num("dport_mask"), num("dscp_mask")) == (28, 29, 30)
    assert (R.FR_ACT_TO_TBL, R.FR_ACT_GOTO, R.FR_ACT_NOP, R.FR_ACT_BLACKHOLE,
            R.FR_ACT_UNREACHABLE, R.FR_ACT_PROHIBIT) == (1, 2, 3, 6, 7, 8)


# ------------------------------------------------------------ round trips

FULL = {
    "header": {"family": C.AF_INET6, "dst_len": 48, "src_len": 32, "tos": 0, "table": 252,
               "res1": 0, "res2": 0, "action": R.FR_ACT_TO_TBL, "flags": R.FIB_RULE_INVERT},
    "attrs": {
        "dst": "2001:db8:1::", "src": "2001:db8::", "iifname": "eth0", "oifname": "eth1",
        "priority": 1000, "fwmark": 0x10, "fwmask": 0xFF, "flow": 0x30004, "tun_id": 0x0102030405060708,
        "suppress_ifgroup": 3, "suppress_prefixlen": 0, "table": 1000, "l3mdev": 0,
        "uid_range": {"start": 1000, "end": 2000}, "protocol": 4, "ip_proto": 6,
        "sport_range": {"start": 1024, "end": 2048}, "dport_range": {"start": 443, "end": 443},
        "dscp": 46, "dscp_mask": 0x3F, "flowlabel": 0xABCDE, "flowlabel_mask": 0xFFFFF,
        "sport_mask": 0xFF00, "dport_mask": 0xFFFF, "goto": 2000,
    },
}


def test_full_rule_round_trip():
    raw = R.RULE.encode(FULL)
    assert R.RULE.decode(raw, 0, len(raw)) == FULL


def test_network_order_attributes_on_the_wire():
    attrs = R.RULE_ATTRS.encode({"tun_id": 0x0102030405060708})
    assert attrs == struct.pack("=HH", 12, 12) + bytes(range(1, 9))   # FRA_TUN_ID __be64
    attrs = R.RULE_ATTRS.encode({"flowlabel": 0xABCDE})
    assert attrs == struct.pack("=HH", 8, 26) + b"\x00\x0a\xbc\xde"   # FRA_FLOWLABEL __be32
    # port ranges are host order (the kernel compares with ntohs(port))
    attrs = R.RULE_ATTRS.encode({"dport_range": {"start": 53, "end": 54}})
    assert attrs == struct.pack("=HHHH", 8, 24, 53, 54)


def test_request_encoding():
    req = Request(C.RTM_NEWRULE, C.NLM_F_CREATE | C.NLM_F_EXCL,
                  {"family": C.AF_INET, "action": R.FR_ACT_TO_TBL, "table": 100},
                  {"priority": 100, "table": 100})
    raw = encode_message(rtnl.SCHEMAS, req, 7)
    (msg,) = decode_messages(rtnl.SCHEMAS, raw)
    assert msg.type == C.RTM_NEWRULE and msg.seq == 7
    assert msg.header["table"] == 100 and msg.attrs == {"priority": 100, "table": 100}
    assert len(raw) == 16 + 12 + 8 + 8


def test_unknown_attribute_is_kept_raw():
    raw = R.RULE.encode({"header": {"family": 2}, "attrs": {"priority": 5}}) + struct.pack("=HHI", 8, 99, 7)
    got = R.RULE.decode(raw, 0, len(raw))
    assert got["attrs"] == {"priority": 5, 99: struct.pack("=I", 7)}
    assert R.RULE.encode(got) == raw


# ------------------------------------------------------------ golden bytes

def test_golden_file_covers_the_rule_attributes():
    entries = G.load("rule")
    assert len(entries) >= 15
    seen = set()
    actions = set()
    families = set()
    for e in entries:
        msg = G.decode(rtnl.SCHEMAS, e)
        seen.update(k for k in msg.attrs if isinstance(k, str))
        actions.add(msg.header["action"])
        families.add(msg.header["family"])
    assert {"src", "dst", "iifname", "oifname", "priority", "fwmark", "fwmask", "table", "goto",
            "suppress_prefixlen", "suppress_ifgroup", "uid_range", "protocol", "ip_proto",
            "sport_range", "dport_range", "tun_id", "flow", "l3mdev"} <= seen
    assert {1, 2, 3, 6, 7, 8} <= actions
    assert families == {C.AF_INET, C.AF_INET6}


def test_golden_specific_fields():
    by_cmd = {e["command"]: G.decode(rtnl.SCHEMAS, e) for e in G.load("rule")}
    m = by_cmd["ip rule add pref 110 not from 10.3.0.0/16 lookup 200"]
    assert m.header["flags"] & R.FIB_RULE_INVERT
    m = by_cmd["ip rule add pref 140 fwmark 0x20 goto 200"]
    assert m.header["action"] == R.FR_ACT_GOTO and m.attrs["goto"] == 200
    m = by_cmd["ip rule add pref 190 table 1000 ipproto tcp dport 80-90"]
    assert m.header["table"] == 252 and m.attrs["table"] == 1000   # RT_TABLE_COMPAT + FRA_TABLE
