"""Nexthop schema (RTM_*NEXTHOP: nhmsg + NHA_*, linux/nexthop.h): struct
sizes, numbers against the uapi header, encode/decode both ways, and golden
bytes captured from a real kernel by golden/capture_nexthop.py (decoded
fields checked against the ``ip nexthop`` command that made them, then
re-encoded byte for byte)."""
import struct

from ansible_collections.netlink.host.plugins.module_utils.netlink import const as C, rtnl
from ansible_collections.netlink.host.plugins.module_utils.netlink.rtnl import nexthop as N
from ansible_collections.netlink.host.plugins.module_utils.netlink.socket import (
    Request, decode_messages, encode_message)
from ansible_collections.netlink.host.tests.unit.netlink import golden_check as G

# the decode/expect, re-encode and one-buffer tests of golden/nexthop.json
(test_golden_decode_matches_expect, test_golden_reencode_is_byte_exact,
 test_golden_stream_decodes_as_one_buffer) = G.golden_tests(rtnl.SCHEMAS, "nexthop", C.RTM_NEWNEXTHOP)


def test_struct_sizes_match_c():
    # sizeof() on x86_64 with linux/nexthop.h
    assert N.NHMSG.size == 8
    assert N.NEXTHOP_GRP.size == 8


def test_schemas_registered():
    assert (C.RTM_NEWNEXTHOP, C.RTM_DELNEXTHOP, C.RTM_GETNEXTHOP) == (104, 105, 106)
    for t in (C.RTM_NEWNEXTHOP, C.RTM_DELNEXTHOP, C.RTM_GETNEXTHOP):
        assert rtnl.SCHEMAS[t] is N.NEXTHOP


def test_numbers_follow_the_uapi_header():
    num = N.NEXTHOP_ATTRS.num
    names = ("id", "group", "group_type", "blackhole", "oif", "gateway", "encap_type", "encap", "groups",
             "master", "fdb", "res_group", "res_bucket", "op_flags", "group_stats", "hw_stats_enable",
             "hw_stats_used")
    assert [num(n) for n in names] == list(range(1, 18))   # enum NHA_*, NHA_UNSPEC = 0
    assert [N.RES_GROUP_ATTRS.num(n) for n in ("buckets", "idle_timer", "unbalanced_timer", "unbalanced_time")] \
        == [1, 2, 3, 4]
    assert [N.RES_BUCKET_ATTRS.num(n) for n in ("index", "idle_time", "nh_id")] == [1, 2, 3]
    assert (N.NEXTHOP_GRP_TYPE_MPATH, N.NEXTHOP_GRP_TYPE_RES) == (0, 1)
    assert N.GROUP_TYPE.name_of(1) == "resilient"


FULL = {
    "header": {"family": C.AF_INET, "scope": 0, "protocol": 4, "resvd": 0, "flags": 4},
    "attrs": {
        "id": 7, "group": [{"id": 1, "weight": 0, "weight_high": 0, "resvd2": 0},
                           {"id": 2, "weight": 255, "weight_high": 0, "resvd2": 0}],
        "group_type": 1, "blackhole": True, "oif": 3, "gateway": "192.0.2.1", "encap_type": 1,
        "encap": b"\x08\x00\x01\x00\x00\x01\x00\x00", "groups": True, "master": 5, "fdb": True,
        "res_group": {"buckets": 8, "idle_timer": 6000, "unbalanced_timer": 30000, "unbalanced_time": 1},
        "res_bucket": {"index": 2, "idle_time": 3, "nh_id": 1},
        "op_flags": 1, "group_stats": b"\x00\x00\x00\x00", "hw_stats_enable": 1, "hw_stats_used": 0,
    },
}


def test_full_round_trip():
    raw = N.NEXTHOP.encode(FULL)
    assert N.NEXTHOP.decode(raw, 0, len(raw)) == FULL


def test_group_entries_and_the_res_nest_flagged():
    raw = N.NEXTHOP_ATTRS.encode({"group": [{"id": 9, "weight": 19}]})
    assert raw == struct.pack("=HHIBBH", 12, 2, 9, 19, 0, 0)
    raw = N.NEXTHOP_ATTRS.encode({"res_group": {"buckets": 8}})
    assert struct.unpack_from("=HH", raw) == (12, 12 | 0x8000)


def test_ip_nexthop_add_request_bytes():
    """``ip nexthop add id 1 via 192.0.2.1 dev nh0 proto static`` (nh0
    ifindex 3): the payload, as iproute2 6.1 orders it (id, oif, gateway)."""
    req = Request(C.RTM_NEWNEXTHOP, C.NLM_F_CREATE | C.NLM_F_EXCL,
                  {"family": C.AF_INET, "protocol": 4}, {"id": 1, "oif": 3, "gateway": "192.0.2.1"})
    raw = encode_message(rtnl.SCHEMAS, req, 5)
    assert struct.unpack_from("=IHHII", raw) == (48, 104, 0x601, 5, 0)
    assert raw[16:] == (b"\x02\x00\x04\x00\x00\x00\x00\x00" b"\x08\x00\x01\x00\x01\x00\x00\x00"
                        b"\x08\x00\x05\x00\x03\x00\x00\x00" b"\x08\x00\x06\x00\xc0\x00\x02\x01")
    (msg,) = decode_messages(rtnl.SCHEMAS, raw)
    assert msg.header["protocol"] == 4 and msg.attrs == req.attrs


def test_resilient_golden_timers_are_clock_t():
    (res,) = [G.decode(rtnl.SCHEMAS, e) for e in G.load("nexthop") if e["expect"].get("attrs.group_type") == 1]
    assert res.attrs["res_group"] == {"buckets": 8, "idle_timer": 60 * 100, "unbalanced_timer": 300 * 100,
                                      "unbalanced_time": 0}
