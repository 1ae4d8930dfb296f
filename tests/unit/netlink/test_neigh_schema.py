"""Neighbour schema (RTM_*NEIGH: ndmsg + NDA_*, linux/neighbour.h): struct
sizes, numbers against the uapi header, encode/decode both ways, and golden
bytes captured from a real kernel by golden/capture_neigh.py (decoded
fields checked against the ``ip neigh`` command that made them, then
re-encoded byte for byte)."""
import struct

from ansible_collections.netlink.host.plugins.module_utils.netlink import const as C, rtnl
from ansible_collections.netlink.host.plugins.module_utils.netlink.rtnl import neigh as N
from ansible_collections.netlink.host.plugins.module_utils.netlink.socket import (
    Request, decode_messages, encode_message)
from ansible_collections.netlink.host.tests.unit.netlink import golden_check as G

# the decode/expect, re-encode and one-buffer tests of golden/neigh.json
(test_golden_decode_matches_expect, test_golden_reencode_is_byte_exact,
 test_golden_stream_decodes_as_one_buffer) = G.golden_tests(rtnl.SCHEMAS, "neigh", C.RTM_NEWNEIGH)


def test_struct_sizes_match_c():
    # sizeof() on x86_64 with linux/neighbour.h
    assert N.NDMSG.size == 12
    assert N.NDA_CACHEINFO.size == 16


def test_schemas_registered():
    assert (C.RTM_NEWNEIGH, C.RTM_DELNEIGH, C.RTM_GETNEIGH) == (28, 29, 30)
    for t in (C.RTM_NEWNEIGH, C.RTM_DELNEIGH, C.RTM_GETNEIGH):
        assert rtnl.SCHEMAS[t] is N.NEIGH


def test_numbers_follow_the_uapi_header():
    num = N.NEIGH_ATTRS.num
    names = ("dst", "lladdr", "cacheinfo", "probes", "vlan", "port", "vni", "ifindex", "master",
             "link_netnsid", "src_vni", "protocol", "nh_id", "fdb_ext_attrs", "flags_ext",
             "ndm_state_mask", "ndm_flags_mask")
    assert [num(n) for n in names] == list(range(1, 18))   # enum NDA_*, NDA_UNSPEC = 0
    assert (N.NUD_INCOMPLETE, N.NUD_REACHABLE, N.NUD_STALE, N.NUD_DELAY, N.NUD_PROBE, N.NUD_FAILED,
            N.NUD_NOARP, N.NUD_PERMANENT, N.NUD_NONE) == (0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80, 0)
    assert (N.NTF_USE, N.NTF_SELF, N.NTF_MASTER, N.NTF_PROXY, N.NTF_EXT_LEARNED, N.NTF_OFFLOADED,
            N.NTF_STICKY, N.NTF_ROUTER) == tuple(1 << i for i in range(8))
    assert (N.NTF_EXT_MANAGED, N.NTF_EXT_LOCKED, N.NTF_EXT_EXT_VALIDATED) == (1, 2, 4)


def test_words_are_iproute2s():
    assert N.NUD.names_of(N.NUD_PERMANENT) == ["permanent"]
    assert N.NUD.value_of(["noarp"]) == N.NUD_NOARP
    assert N.NTF.names_of(N.NTF_PROXY | N.NTF_ROUTER | N.NTF_EXT_LEARNED) == ["proxy", "extern_learn", "router"]


FULL = {
    "header": {"family": C.AF_BRIDGE, "pad1": 0, "pad2": 0, "ifindex": 7, "state": N.NUD_PERMANENT,
               "flags": N.NTF_SELF, "type": 0},
    "attrs": {
        "dst": "192.0.2.1", "lladdr": "02:00:00:00:00:01",
        "cacheinfo": {"confirmed": 1, "used": 2, "updated": 3, "refcnt": 4},
        "probes": 0, "vlan": 100, "port": 4789, "vni": 5000, "ifindex": 3, "master": 4, "link_netnsid": -1,
        "src_vni": 6000, "protocol": 4, "nh_id": 9, "fdb_ext_attrs": {"activity_notify": 1, "dont_refresh": True},
        "flags_ext": N.NTF_EXT_MANAGED, "ndm_state_mask": 0xFF, "ndm_flags_mask": 0x10,
    },
}


def test_full_round_trip():
    raw = N.NEIGH.encode(FULL)
    assert N.NEIGH.decode(raw, 0, len(raw)) == FULL


def test_port_is_network_order_and_the_ext_nest_flagged():
    assert N.NEIGH_ATTRS.encode({"port": 4789}) == struct.pack("=HH", 6, 6) + b"\x12\xb5\0\0"
    raw = N.NEIGH_ATTRS.encode({"fdb_ext_attrs": {"dont_refresh": True}})
    assert struct.unpack_from("=HH", raw) == (8, 14 | 0x8000)


def test_ip_neigh_replace_request_bytes():
    """``ip neigh replace 192.0.2.9 lladdr 02:00:00:00:00:09 dev nb0 nud permanent
    protocol static`` (nb0 ifindex 3): the payload iproute2 6.1 sends, as
    strace showed it, attributes in its order."""
    req = Request(C.RTM_NEWNEIGH, C.NLM_F_CREATE | C.NLM_F_REPLACE,
                  {"family": C.AF_INET, "ifindex": 3, "state": N.NUD_PERMANENT},
                  {"protocol": 4, "dst": "192.0.2.9", "lladdr": "02:00:00:00:00:09"})
    raw = encode_message(rtnl.SCHEMAS, req, 5)
    assert struct.unpack_from("=IHHII", raw) == (56, 28, 0x501, 5, 0)
    strace = (b"\x02\x00\x00\x00\x03\x00\x00\x00\x80\x00\x00\x00\x05\x00\x0c\x00\x04\x00\x00\x00"
              b"\x08\x00\x01\x00\xc0\x00\x02\x09\x0a\x00\x02\x00\x02\x00\x00\x00\x00\x09\x00\x00")
    assert raw[16:] == strace
    (msg,) = decode_messages(rtnl.SCHEMAS, raw)
    assert msg.header["ifindex"] == 3 and msg.attrs == req.attrs


def test_proxy_entry_golden_has_no_lladdr():
    proxies = [G.decode(rtnl.SCHEMAS, e) for e in G.load("neigh") if e["expect"].get("header.flags", 0) & N.NTF_PROXY]
    assert len(proxies) == 2 and all("lladdr" not in m.attrs and m.header["state"] == 0 for m in proxies)
