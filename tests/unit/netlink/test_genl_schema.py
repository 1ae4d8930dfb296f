"""Generic netlink: genlmsghdr, Family declarations dispatched by command,
the nlctrl schema (linux/genetlink.h) and family resolution by name.

Golden bytes both ways, from golden/capture_genl.py: every family's
CTRL_CMD_NEWFAMILY as this kernel sent it (fields checked against what
``genl ctrl get`` printed, then re-encoded byte for byte), and the
CTRL_CMD_GETFAMILY request iproute2's genl sent (the library must emit the
very same bytes for the same request)."""
import errno
import struct

import pytest

from ansible_collections.netlink.host.plugins.module_utils.netlink import codec as K
from ansible_collections.netlink.host.plugins.module_utils.netlink import const as C
from ansible_collections.netlink.host.plugins.module_utils.netlink import genl
from ansible_collections.netlink.host.plugins.module_utils.netlink.errors import (
    DecodeError, EncodeError, FamilyNotFoundError, NetlinkError, NotFoundError, error_for)
from ansible_collections.netlink.host.plugins.module_utils.netlink.genl import ctrl as G
from ansible_collections.netlink.host.plugins.module_utils.netlink.schema import (
    NLA_F_NESTED, Attr, AttrSet, IndexedArray)
from ansible_collections.netlink.host.plugins.module_utils.netlink.socket import (
    Message, Request, decode_messages, encode_message)
from ansible_collections.netlink.host.tests.unit.netlink import golden_check as GC

REPLIES = {C.GENL_ID_CTRL: genl.NLCTRL.reply_body()}
REQUESTS = {C.GENL_ID_CTRL: genl.NLCTRL.body()}

# golden/genl_ctrl.json: CTRL_CMD_NEWFAMILY of every family this kernel showed
(test_reply_golden_decode_matches_expect, test_reply_golden_reencode_is_byte_exact,
 test_reply_golden_stream_decodes_as_one_buffer) = GC.golden_tests(REPLIES, "genl_ctrl", C.GENL_ID_CTRL)
# golden/genl_ctrl_request.json: what `genl ctrl get name NAME` sent
(test_request_golden_decode_matches_expect, test_request_golden_reencode_is_byte_exact,
 test_request_golden_stream_decodes_as_one_buffer) = GC.golden_tests(REQUESTS, "genl_ctrl_request",
                                                                     C.GENL_ID_CTRL)


def _golden_reply(name):
    for entry in GC.load("genl_ctrl"):
        if entry["expect"]["attrs.family_name"] == name:
            return GC.decode(REPLIES, entry)
    raise AssertionError("no golden reply for %s" % name)


# ------------------------------------------------------------ declarations

def test_numbers_follow_linux_genetlink_h():
    assert C.NETLINK_GENERIC == 16 and C.GENL_ID_CTRL == 0x10
    assert genl.GENLMSGHDR.size == 4 and genl.GENLMSGHDR.field_names == ["cmd", "version", "reserved"]
    assert (G.CTRL_CMD_NEWFAMILY, G.CTRL_CMD_GETFAMILY, G.CTRL_CMD_GETPOLICY) == (1, 3, 10)
    num = G.CTRL_ATTRS.num
    assert [num(n) for n in ("family_id", "family_name", "version", "hdrsize", "maxattr", "ops",
                             "mcast_groups", "op")] == [1, 2, 3, 4, 5, 6, 7, 10]
    assert (G.CTRL_OP_ATTRS.num("id"), G.CTRL_OP_ATTRS.num("flags")) == (1, 2)
    assert (G.CTRL_MCAST_GRP_ATTRS.num("name"), G.CTRL_MCAST_GRP_ATTRS.num("id")) == (1, 2)
    assert G.GENL_OP_FLAGS.names_of(0xE) == ["do", "dump", "has_policy"]


# ------------------------------------------------------------ emit: the same bytes as genl

@pytest.mark.parametrize("entry", GC.params("genl_ctrl_request"))
def test_request_is_emitted_as_genl_sends_it(entry):
    raw = bytes.fromhex(entry["hex"])
    _len, _type, flags, seq, _pid = struct.unpack_from("=IHHII", raw)
    assert flags == C.NLM_F_REQUEST | C.NLM_F_ACK
    nlctrl = genl.FamilyInfo("nlctrl", C.GENL_ID_CTRL, 2)
    # genl sends genlmsghdr version 0 (the controller ignores it)
    req = nlctrl.request(G.CTRL_CMD_GETFAMILY, {"family_name": entry["expect"]["attrs.family_name"]},
                         flags=C.NLM_F_ACK, version=0)
    assert encode_message(REQUESTS, req, seq) == raw


# ------------------------------------------------------------ parse: what a reply says

def test_family_info_from_golden_nlctrl():
    info = genl.FamilyInfo.from_attrs(_golden_reply("nlctrl").attrs)
    assert (info.name, info.id, info.version, info.hdrsize) == ("nlctrl", 0x10, 2, 0)
    assert info.ops[G.CTRL_CMD_GETFAMILY] & G.GENL_CMD_CAP_DO
    assert info.supports(G.CTRL_CMD_GETFAMILY) and info.supports(G.CTRL_CMD_GETFAMILY, dump=True)
    assert info.supports(G.CTRL_CMD_GETPOLICY, dump=True) and not info.supports(G.CTRL_CMD_GETPOLICY)
    assert not info.supports(99)
    assert info.mcast_groups == {"notify": 0x10}


def test_family_info_from_golden_ethtool():
    msg = _golden_reply("ethtool")
    info = genl.FamilyInfo.from_attrs(msg.attrs)
    assert info.name == "ethtool" and info.id == msg.attrs["family_id"] and info.id >= 0x10
    assert "monitor" in info.mcast_groups
    assert len(info.ops) == len(msg.attrs["ops"]) and all(isinstance(f, int) for f in info.ops.values())


def test_request_of_a_declared_family_carries_its_id_and_version():
    fam = genl.Family("demo", 3, attrs=AttrSet("demo", [Attr(1, "name", K.STRING)]))
    info = genl.FamilyInfo("demo", 0x2A, 7, declaration=fam)
    req = info.request(5, {"name": "x"}, flags=C.NLM_F_DUMP, label="demo")
    assert (req.type, req.flags, req.header, req.label) == (0x2A, C.NLM_F_DUMP, {"cmd": 5, "version": 3}, "demo")
    raw = encode_message({0x2A: fam.body()}, req, 9)
    assert raw[4:6] == struct.pack("=H", 0x2A) and raw[16:20] == b"\x05\x03\0\0"
    assert genl.FamilyInfo("raw", 0x2B, 7).header(1) == {"cmd": 1, "version": 7}


# ------------------------------------------------------------ the command dispatch

ONE = AttrSet("one", [Attr(1, "a", K.U32)])
TWO = AttrSet("two", [Attr(1, "b", K.STRING)])
# ethtool-like: the two directions number their messages apart
SPLIT = genl.Family("split", 1, commands={1: ONE, 2: TWO}, replies={1: TWO, 2: ONE})


def _raw(cmd, payload, fid=0x30):
    body = struct.pack("=BBH", cmd, 1, 0) + payload
    return struct.pack("=IHHII", 16 + len(body), fid, 0, 1, 0) + body


def test_commands_and_replies_pick_their_own_attribute_sets():
    sock_side = {0x30: SPLIT.body()}
    raw = encode_message(sock_side, Request(0x30, 0, {"cmd": 1, "version": 1}, {"a": 7}), 1)
    assert raw[20:] == b"\x08\x00\x01\x00\x07\x00\x00\x00"
    (msg,) = decode_messages(sock_side, _raw(1, b"\x06\x00\x01\x00hi\0\0"))
    assert msg.attrs == {"b": "hi"}  # reply 1 is TWO
    (msg,) = decode_messages({0x30: SPLIT.reply_body()}, _raw(2, b"\x08\x00\x01\x00\x05\x00\x00\x00"))
    assert msg.header == {"cmd": 2, "version": 1, "reserved": 0} and msg.attrs == {"a": 5}


def test_an_undeclared_command_keeps_every_attribute_raw():
    (msg,) = decode_messages({0x30: SPLIT.body()}, _raw(9, b"\x08\x00\x01\x00\x05\x00\x00\x00"))
    assert msg.attrs == {1: b"\x05\x00\x00\x00"}
    again = GC.reencode({0x30: SPLIT.body()}, msg)
    assert again == _raw(9, b"\x08\x00\x01\x00\x05\x00\x00\x00")


def test_a_payload_shorter_than_genlmsghdr_is_a_decode_error():
    raw = struct.pack("=IHHII", 18, 0x30, 0, 1, 0) + b"\x01\x00"
    with pytest.raises(DecodeError):
        decode_messages({0x30: SPLIT.body()}, raw)


def test_a_family_header_of_its_own():
    hdr = genl.genl_header("demo_hdr", [("ifindex", "I")])
    fam = genl.Family("hdr", 1, attrs=ONE, header=hdr)
    raw = encode_message({0x31: fam.body()}, Request(0x31, 0, {"cmd": 1, "version": 1, "ifindex": 4}, {"a": 1}), 1)
    (msg,) = decode_messages({0x31: fam.body()}, raw)
    assert msg.header == {"cmd": 1, "version": 1, "reserved": 0, "ifindex": 4} and msg.attrs == {"a": 1}
    assert len(raw) == 16 + 8 + 8


# ------------------------------------------------------------ IndexedArray

def test_indexed_array_numbers_items_as_the_kernel_does():
    item = AttrSet("it", [Attr(1, "v", K.U8)])
    from_one = IndexedArray("a", item)
    raw = from_one.encode([{"v": 1}, {"v": 2}])
    assert struct.unpack_from("=HH", raw, 0) == (12, 1) and struct.unpack_from("=HH", raw, 12) == (12, 2)
    assert from_one.decode(raw, 0, len(raw)) == [{"v": 1}, {"v": 2}]
    all_zero = IndexedArray("b", item, first=0, step=0, nested_flag=True)
    raw = all_zero.encode([{"v": 1}, {"v": 2}])
    assert struct.unpack_from("=HH", raw, 12) == (12, NLA_F_NESTED)
    assert all_zero.decode(raw, 0, len(raw)) == [{"v": 1}, {"v": 2}]
    with pytest.raises(EncodeError):
        from_one.encode({"v": 1})
    with pytest.raises(DecodeError):
        from_one.decode(b"\x20\x00\x01\x00", 0, 4)


# ------------------------------------------------------------ resolution (the kernel played by a test)

class _Ctrl(genl.GenlSocket):
    """A GenlSocket without a socket: get() answers from ``known``."""

    def __init__(self, known):  # pylint: disable=super-init-not-called
        self.schemas = {C.GENL_ID_CTRL: genl.NLCTRL.body()}
        self._families = {}
        self.known = known
        self.asked = []

    def get(self, msg_type, header=None, attrs=None, label=None, flags=0):
        assert msg_type == C.GENL_ID_CTRL and header["cmd"] == G.CTRL_CMD_GETFAMILY
        name = attrs["family_name"]
        self.asked.append(name)
        req = Request(msg_type, flags, header, attrs, label)
        if name not in self.known:
            raise error_for(errno.ENOENT, request=req)
        return Message(msg_type, 0, 1, 0, {"cmd": 1, "version": 2, "reserved": 0}, self.known[name])


def test_a_family_is_asked_for_once_and_its_schema_registered():
    sock = _Ctrl({"split": {"family_name": "split", "family_id": 0x30, "version": 1,
                            "ops": [{"id": 1, "flags": 6}], "mcast_groups": [{"name": "m", "id": 9}]}})
    info = sock.family(SPLIT)
    assert (info.id, info.ops, info.mcast_groups, info.declaration) == (0x30, {1: 6}, {"m": 9}, SPLIT)
    assert sock.family("split") is info and sock.family(SPLIT) is info
    assert sock.asked == ["split"]
    (msg,) = decode_messages(sock.schemas, _raw(1, b"\x06\x00\x01\x00hi\0\0"))
    assert msg.attrs == {"b": "hi"}


def test_a_family_by_name_only_keeps_attributes_raw_and_never_replaces_nlctrl():
    sock = _Ctrl({"other": {"family_name": "other", "family_id": 0x33, "version": 4},
                  "nlctrl": {"family_name": "nlctrl", "family_id": 0x10, "version": 2}})
    info = sock.family("other")
    assert info.declaration is None and info.header(2) == {"cmd": 2, "version": 4}
    (msg,) = decode_messages(sock.schemas, _raw(2, b"\x08\x00\x01\x00\x05\x00\x00\x00", fid=0x33))
    assert msg.attrs == {1: b"\x05\x00\x00\x00"}
    nlctrl_body = sock.schemas[0x10]
    sock.family("nlctrl")
    assert sock.schemas[0x10] is nlctrl_body


def test_a_family_the_kernel_lacks_is_a_clear_error():
    sock = _Ctrl({})
    with pytest.raises(FamilyNotFoundError) as info:
        sock.family(genl.Family("wireguard", 1, module="wireguard"))
    text = str(info.value)
    assert "generic netlink family 'wireguard' not found" in text
    assert "module is not loaded (modprobe wireguard)" in text
    assert info.value.errno == errno.ENOENT and info.value.family == "wireguard"
    # a NetlinkError (reported cleanly), never read as "object absent"
    assert isinstance(info.value, NetlinkError) and not isinstance(info.value, NotFoundError)
    with pytest.raises(FamilyNotFoundError, match="'nosuch' not found: the kernel lacks it"):
        sock.family("nosuch")
    assert "nosuch" not in sock._families  # not cached: a later modprobe is seen


def test_other_kernel_errors_pass_through():
    class _Refusing(_Ctrl):
        def get(self, msg_type, header=None, attrs=None, label=None, flags=0):
            raise error_for(errno.EPERM)

    with pytest.raises(NetlinkError) as info:
        _Refusing({}).family("x")
    assert not isinstance(info.value, FamilyNotFoundError) and info.value.errno == errno.EPERM
