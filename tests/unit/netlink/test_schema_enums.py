"""Value meanings in the schema: each Enum/Flags is declared once, beside
the field or attribute whose numbers it names, and both directions come
from that one declaration; every message type constant lives in const.py
only.  Plus the byte order of RTA_FLOWLABEL (a __be32)."""
import ast
import os

import pytest

from ansible_collections.netlink.host.plugins.module_utils.netlink import const as C
from ansible_collections.netlink.host.plugins.module_utils.netlink.errors import EncodeError
from ansible_collections.netlink.host.plugins.module_utils.netlink.ipproto import IPPROTO
from ansible_collections.netlink.host.plugins.module_utils.netlink.rtnl import route as R
from ansible_collections.netlink.host.plugins.module_utils.netlink.rtnl import rule as FR
from ansible_collections.netlink.host.plugins.module_utils.netlink.schema import Enum, Flags
from ansible_collections.netlink.host.plugins.module_utils.netlink.xfrm import common as X

PLUGINS = os.path.join(os.path.dirname(__file__), "..", "..", "..", "plugins")


def test_flowlabel_attribute_is_big_endian():
    raw = R.ROUTE_ATTRS.encode({"flowlabel": 0x12345})
    assert raw == b"\x08\x00\x1f\x00" + b"\x00\x01\x23\x45"
    assert R.ROUTE_ATTRS.decode(raw, 0, len(raw)) == {"flowlabel": 0x12345}
    # FRA_FLOWLABEL is a __be32 too
    raw = FR.RULE_ATTRS.encode({"flowlabel": 0x12345})
    assert raw[4:] == b"\x00\x01\x23\x45"


@pytest.mark.parametrize("holder,field,enum", [
    (R.RTMSG, "type", R.RTN_TYPE), (R.RTMSG, "protocol", R.RTPROT), (R.RTMSG, "scope", R.RT_SCOPE),
    (R.RTMSG, "table", R.RT_TABLE), (FR.FIB_RULE_HDR, "action", FR.FR_ACTION),
    (FR.FIB_RULE_HDR, "table", R.RT_TABLE), (X.XFRM_ID, "proto", X.XFRM_PROTO),
    (X.XFRM_USERSA_ID, "proto", X.XFRM_PROTO), (X.XFRM_USERSA_INFO, "mode", X.XFRM_MODE),
    (X.XFRM_USERSA_INFO, "flags", X.XFRM_STATE_FLAGS), (X.XFRM_USER_TMPL, "mode", X.XFRM_MODE),
    (X.XFRM_SELECTOR, "proto", IPPROTO), (X.XFRM_USERPOLICY_INFO, "dir", X.XFRM_POLICY_DIR),
    (X.XFRM_USERPOLICY_INFO, "action", X.XFRM_POLICY_ACTION),
    (X.XFRM_USERPOLICY_INFO, "flags", X.XFRM_POLICY_FLAGS), (X.XFRM_USERPOLICY_ID, "dir", X.XFRM_POLICY_DIR),
    (X.XFRM_USERPOLICY_TYPE, "type", X.XFRM_POLICY_TYPE), (X.XFRM_ENCAP_TMPL, "encap_type", X.ENCAP_TYPE),
])
def test_struct_fields_carry_their_meaning(holder, field, enum):
    assert holder.enums[field] is enum


@pytest.mark.parametrize("attrs,name,enum", [
    (R.ROUTE_ATTRS, "table", R.RT_TABLE), (R.ROUTE_ATTRS, "pref", R.ICMPV6_ROUTER_PREF),
    (R.ROUTE_ATTRS, "ip_proto", IPPROTO), (FR.RULE_ATTRS, "table", R.RT_TABLE),
    (FR.RULE_ATTRS, "protocol", R.RTPROT), (FR.RULE_ATTRS, "ip_proto", IPPROTO),
])
def test_attributes_carry_their_meaning(attrs, name, enum):
    assert attrs.enum(name) is enum


def test_uapi_numbers_of_the_names():
    # linux/rtnetlink.h, linux/fib_rules.h, linux/xfrm.h anchors
    assert R.RTN_TYPE.number_of("blackhole") == 6 and R.RTN_TYPE.number_of("xresolve") == 11
    assert R.RTPROT.number_of("mrouted") == 17 and R.RTPROT.number_of("eigrp") == 192
    assert R.RT_SCOPE.number_of("link") == 253 and R.RT_SCOPE.number_of("universe") == 0
    assert R.RT_SCOPE.name_of(0) == "global"    # the alias is accepted, never produced
    assert FR.FR_ACTION.number_of("prohibit") == FR.FR_ACT_PROHIBIT == 8
    assert X.XFRM_MODE.number_of("beet") == 4 and X.XFRM_MODE.number_of("iptfs") == 5
    assert X.XFRM_PROTO.number_of("comp") == 108
    assert X.XFRM_STATE_FLAGS.value_of(["noecn", "esn"]) == 129
    assert X.XFRM_STATE_FLAGS.names_of(129) == ["noecn", "esn"]


def test_enum_keeps_numbers_without_a_name_and_refuses_unknown_names():
    assert FR.FR_ACTION.name_of(FR.FR_ACT_RES3) == 4    # no iproute2 word: stays a number
    assert R.RTPROT.number_of("250") == 250 and R.RTPROT.number_of("0x11") == 17
    assert R.RTPROT.number_of(250) == 250
    for enum, bad in ((FR.FR_ACTION, "res3"), (FR.FR_ACTION, "unspec"), (R.RTN_TYPE, "unspec"),
                      (R.RTPROT, "nosuch")):
        with pytest.raises(EncodeError):
            enum.number_of(bad)
    with pytest.raises(EncodeError):
        X.XFRM_STATE_FLAGS.value_of(["nosuch"])


def test_an_enum_cannot_give_one_name_to_two_numbers():
    with pytest.raises(ValueError):
        Enum("x", {1: "a", 2: "a"})
    with pytest.raises(ValueError):
        Enum("x", {1: "a"}, aliases={"b": 2})
    assert isinstance(X.XFRM_POLICY_FLAGS, Flags)


def _assigned_names(path):
    tree = ast.parse(open(path).read())
    for node in tree.body:
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    yield target.id


def test_message_types_are_declared_in_const_only():
    prefixes = ("RTM_", "XFRM_MSG_", "NLMSG_")
    where = {}
    for root, _dirs, files in os.walk(PLUGINS):
        for name in files:
            if name.endswith(".py"):
                path = os.path.join(root, name)
                for var in _assigned_names(path):
                    if var.startswith(prefixes):
                        where.setdefault(var, []).append(os.path.relpath(path, PLUGINS))
    assert where, "no message type constants found"
    elsewhere = dict((k, v) for k, v in where.items() if v != ["module_utils/netlink/const.py"])
    assert elsewhere == {}
    assert C.XFRM_MSG_NEWAE == 0x1E and C.XFRM_MSG_GETDEFAULT == 0x28


def test_objects_build_no_inverse_maps():
    """The kinds use the schema's reverse maps; none builds its own."""
    objects = os.path.join(PLUGINS, "module_utils", "objects")
    for name in ("route.py", "rule.py", "xfrm_state.py", "xfrm_policy.py"):
        text = open(os.path.join(objects, name)).read()
        assert "for k, v in" not in text and "for v, k in" not in text, name
