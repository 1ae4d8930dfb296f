"""The link-type table is the one source of nl_link's per-type blocks: its
DOCUMENTATION and argument spec agree with it, and each setting's declared
meaning encodes and decodes the way the kernel and iproute2 spell it."""
import pytest
import yaml

from ansible_collections.netlink.host.plugins.module_utils.specs.common import common_options
from ansible_collections.netlink.host.plugins.module_utils.netlink import const as C
from ansible_collections.netlink.host.plugins.module_utils.netlink import rtnl
from ansible_collections.netlink.host.plugins.module_utils.netlink.socket import Request, decode_messages, encode_message
from ansible_collections.netlink.host.plugins.module_utils.objects import devconf, link_data, link_types
from ansible_collections.netlink.host.plugins.modules import nl_link

DOC = yaml.safe_load(nl_link.DOCUMENTATION)["options"]
SPEC = nl_link.argument_spec()


def _shape(options):
    """type, choices and suboptions of documented or argspec options."""
    out = {}
    for name, entry in options.items():
        item = {"type": entry.get("type", "str")}
        if entry.get("choices"):
            item["choices"] = sorted(entry["choices"])
        subs = entry.get("suboptions", entry.get("options"))
        if subs:
            item["suboptions"] = _shape(subs)
        out[name] = item
    return out


@pytest.mark.parametrize("block", link_types.BLOCKS)
def test_documentation_of_each_block_is_the_table(block):
    """Run scripts/gen_nl_link_docs.py when this fails."""
    assert DOC[block] == link_types.doc_options()[block]
    item = DOC["links"]["suboptions"][block]
    if link_types.item_plain(block):
        # documented once, at the top level; the item's block points there
        assert item == {"description": "The settings of O(%s), which documents them." % block, "type": "dict"}
        assert SPEC["links"]["options"][block] == {"type": "dict"}
    else:
        assert item == DOC[block]


@pytest.mark.parametrize("block", sorted(devconf.BLOCKS))
def test_documentation_of_the_ip_settings_is_the_table(block):
    """Run scripts/gen_nl_link_docs.py when this fails."""
    assert DOC[block] == devconf.doc_options()[block]
    assert DOC["links"]["suboptions"][block] == {"description": "The settings of O(%s), which documents them." % block,
                                                 "type": "dict"}
    assert SPEC["links"]["options"][block] == {"type": "dict"}


def test_documentation_matches_the_argument_spec():
    # the options every module takes are documented by the doc fragment
    spec = dict((k, v) for k, v in SPEC.items() if k not in common_options())
    assert _shape(DOC) == _shape(spec)
    assert sorted(DOC["kind"]["choices"]) == sorted(link_types.CREATABLE)


def test_every_setting_names_an_attribute_of_its_schema():
    for t in link_types.TYPES + [link_types.BRIDGE_PORT]:
        schema = rtnl.link.SLAVE_DATA["bridge"] if t is link_types.BRIDGE_PORT else rtnl.link.INFO_DATA.get(t.name)
        for s in t.settings:
            if s.meaning == link_types.PEER or s.attr is None:
                continue
            for attr in (s.attr, s.attr6) + ((s.present[0],) if s.present else ()):
                assert attr in schema.by_name, (t.name, s.name, attr)


def _index(name, option):
    return {"d0": 7}[name]


def _ifname(index):
    return {7: "d0"}[index]


def _round_trip(kind, block, create=True):
    """block -> INFO_DATA -> wire bytes -> decoded -> block"""
    t = link_types.link_type(kind)
    data = link_data.encode(t.settings, block, _index, create=create, send_defaults=t.send_defaults)
    attrs = {"ifname": "x", "linkinfo": {"kind": kind, "data": data}}
    raw = encode_message(rtnl.SCHEMAS, Request(C.RTM_NEWLINK, 0, {"family": 0}, attrs), 1)
    (msg,) = decode_messages(rtnl.SCHEMAS, raw)
    wire = msg.attrs["linkinfo"]["data"]
    return data, wire, link_data.decode(t.settings, wire, _ifname)


def test_gre_keys_set_the_gre_key_flag_and_are_big_endian():
    data, wire, back = _round_trip("gre", {"remote": "192.0.2.2", "ikey": 5, "okey": 0x01020304, "dev": "d0"})
    assert data["iflags"] & 0x2000 and data["oflags"] & 0x2000
    assert back["ikey"] == 5 and back["okey"] == 0x01020304 and back["dev"] == "d0"
    raw = rtnl.link.GRE_DATA.encode({"okey": 0x01020304})
    assert raw[4:8] == b"\x01\x02\x03\x04"
    # iproute2's defaults go out on create: pmtudisc on, ttl/tos 0
    assert data["pmtudisc"] == 1 and data["ttl"] == 0 and data["tos"] == 0


def test_ip6_tunnel_tclass_and_flowlabel_share_flowinfo():
    data, _wire, back = _round_trip("ip6tnl", {"remote": "2001:db8::2", "tclass": 0x28, "flowlabel": 0x12345})
    assert data["flowinfo"] == (0x28 << 20) | 0x12345
    assert back["tclass"] == 0x28 and back["flowlabel"] == 0x12345
    assert back["ttl"] == 64 and back["encaplimit"] == 4 and back["mode"] == "any"


def test_vxlan_ttl_inherit_is_sent_as_a_flag():
    data, _wire, back = _round_trip("vxlan", {"id": 5, "ttl_inherit": True})
    assert data["ttl_inherit"] is True
    assert rtnl.link.VXLAN_DATA.encode({"ttl_inherit": True}) == b"\x04\x00\x1c\x00"  # empty NLA_FLAG
    # as the kernel dumps it (a u8) it decodes to the same setting
    assert link_data.decode(link_types.SETTINGS["vxlan"], {"ttl_inherit": 1}, _ifname) == {"ttl_inherit": True}
    assert link_data.decode(link_types.SETTINGS["vxlan"], {"ttl_inherit": 0}, _ifname) == {"ttl_inherit": False}
    # false is no attribute at all
    assert "ttl_inherit" not in link_data.encode(link_types.SETTINGS["vxlan"], {"ttl_inherit": False}, _index,
                                                 create=False)


def test_vxlan_remote_and_group_are_told_apart_by_the_address():
    rows = link_types.SETTINGS["vxlan"]
    assert link_data.decode(rows, {"group": "239.1.1.1"}, _ifname) == {"group": "239.1.1.1"}
    assert link_data.decode(rows, {"group6": "2001:db8::1"}, _ifname) == {"remote": "2001:db8::1"}
    assert link_data.encode(rows, {"remote": "2001:db8::1"}, _index, create=True) == {"group6": "2001:db8::1"}


@pytest.mark.parametrize("block,value,needle", [
    ("vxlan", {"group": "192.0.2.1"}, "group=192.0.2.1: not a multicast address"),
    ("vxlan", {"remote": "239.1.1.1"}, "remote=239.1.1.1: not a unicast address"),
    ("gre", {"remote": "2001:db8::1"}, "remote=2001:db8::1: not an IPv4 address"),
    ("ip6gre", {"local": "192.0.2.1"}, "local=192.0.2.1: not an IPv6 address"),
    ("gre", {"key": 1, "ikey": 2}, "key=1 and ikey=2"),
    ("ipvlan", {"mode": "l4"}, "mode='l4' is not one of"),
    ("xfrm", {"if_id": 0}, "if_id=0 is out of range"),
    ("bridge_port", {"priority": 64}, "priority=64 is out of range"),
    ("bridge_port", {"costt": 1}, "costt: unknown option"),
])
def test_bad_block_values_are_named(block, value, needle):
    with pytest.raises(ValueError) as err:
        link_types.validate_block(block, value, block + ".")
    assert needle in str(err.value)


def test_key_is_shorthand_for_ikey_and_okey():
    assert link_types.validate_block("gre", {"key": 9}, "gre.") == {"ikey": 9, "okey": 9}


def test_parents_are_master_link_and_ifname_settings():
    assert link_types.parents({"name": "g", "kind": "gre", "master": "br0", "gre": {"dev": "d0"}}) == ["br0", "d0"]
    assert link_types.parents({"name": "v", "kind": "vxlan", "vxlan": {"dev": "e0", "id": 1}}) == ["e0"]
    assert link_types.parents({"name": "i", "kind": "ipvlan", "link": "d0", "ipvlan": {}}) == ["d0"]
    assert link_types.parents({"name": "lo"}) == []


def test_words_follow_iproute2():
    rows = link_types.SETTINGS["ip6tnl"]
    # iproute2 reads tclass and flowlabel in base 16; a default (hoplimit 64) is left to it on create
    assert link_data.words(rows, {"tclass": 0x28, "flowlabel": 0x12, "ttl": 64, "mode": "ip6ip6"}, create=True) \
        == ["tclass", "0x28", "flowlabel", "0x12", "mode", "ip6ip6"]
    assert link_data.words(rows, {"ttl": 64}, create=False) == ["hoplimit", "64"]
    assert link_data.words(link_types.SETTINGS["ipvlan"], {"mode": "l2", "flags": "private"}, create=True) \
        == ["mode", "l2", "private"]
    assert link_data.words(link_types.BRIDGE_PORT.settings, {"cost": 5, "hairpin": True}, create=False) \
        == ["cost", "5", "hairpin", "on"]
