"""Property tests of the generic netlink layer (genl/), as
test_fuzz_rtnl.py is for rtnetlink.

1. Whatever bytes arrive under a genl family id (random, framed random,
   random attributes behind a genlmsghdr with any command, mutated golden
   captures, every truncation of them), ``decode_messages`` returns
   messages or raises ``DecodeError``, never another exception.
2. Any valid value built from a Family's declarations (nlctrl's, and a
   family with per-direction command tables and a user header of its own)
   encodes and decodes back to itself, unknown attributes included, and
   the bytes are a fixed point.

The value strategies are derived from the declarations (AttrSet,
IndexedArray, the scalar codecs), so a family declared later (WireGuard,
ethtool) is covered by adding it to FAMILIES.
"""
import json
import os
import socket
import struct

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from ansible_collections.netlink.host.tests.unit.netlink.mutations import mutate, random_attributes
from ansible_collections.netlink.host.plugins.module_utils.netlink import codec as K
from ansible_collections.netlink.host.plugins.module_utils.netlink import const as C
from ansible_collections.netlink.host.plugins.module_utils.netlink import genl
from ansible_collections.netlink.host.plugins.module_utils.netlink.errors import DecodeError
from ansible_collections.netlink.host.plugins.module_utils.netlink.schema import (
    NLA_TYPE_MASK, Attr, AttrSet, IndexedArray)
from ansible_collections.netlink.host.plugins.module_utils.netlink.socket import (
    Request, decode_messages, encode_message)

GOLDEN = os.path.join(os.path.dirname(os.path.abspath(__file__)), "golden")
NLMSGHDR = struct.Struct("=IHHII")
FAST = settings(max_examples=200, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# A made-up family exercising what nlctrl does not: commands and replies
# numbered apart, a user header after genlmsghdr, an all-zero-numbered
# indexed array with NLA_F_NESTED (WireGuard's way).
_ITEM = AttrSet("demo_item", [Attr(1, "key", K.BINARY), Attr(2, "port", K.U16), Attr(3, "ip", K.IP)])
_DEMO_A = AttrSet("demo_a", [
    Attr(1, "ifname", K.STRING), Attr(2, "index", K.U32), Attr(3, "mark", K.U64), Attr(4, "on", K.FLAG),
    Attr(5, "items", IndexedArray("demo_items", _ITEM, first=0, step=0, nested_flag=True), nested_flag=True),
])
_DEMO_B = AttrSet("demo_b", [Attr(1, "count", K.U8), Attr(2, "temp", K.S32), Attr(3, "names", K.STRING, multi=True)])
DEMO = genl.Family("demo", 1, commands={0: _DEMO_A, 1: _DEMO_B}, replies={0: _DEMO_B, 1: _DEMO_A},
                   header=genl.genl_header("demo_hdr", [("ifindex", "i")]))

DEMO_ID = 0x2A
FAMILIES = {C.GENL_ID_CTRL: genl.NLCTRL, DEMO_ID: DEMO}
SCHEMAS = dict((fid, fam.body()) for fid, fam in FAMILIES.items())
REPLY_SCHEMAS = dict((fid, fam.reply_body()) for fid, fam in FAMILIES.items())


def _golden():
    out = []
    for kind in ("genl_ctrl", "genl_ctrl_request"):
        with open(os.path.join(GOLDEN, kind + ".json")) as fh:
            out.extend(bytes.fromhex(e["hex"]) for e in json.load(fh))
    return out


GOLDEN_MSGS = _golden()


def decode_or_decode_error(data):
    for schemas in (SCHEMAS, REPLY_SCHEMAS):
        try:
            decode_messages(schemas, data)
        except DecodeError:
            pass


# -- 1. decoding arbitrary bytes ------------------------------------------------

@FAST
@given(st.binary(max_size=512))
def test_random_bytes_only_raise_decode_error(data):
    decode_or_decode_error(data)


@FAST
@given(st.sampled_from(sorted(FAMILIES)), st.integers(0, 0xFFFF), st.binary(max_size=600))
def test_framed_random_payload_only_raises_decode_error(fid, flags, payload):
    decode_or_decode_error(NLMSGHDR.pack(16 + len(payload), fid, flags, 1, 0) + payload)


@st.composite
def attr_soup(draw):
    """A genlmsghdr (+ user header) with any command, then well-formed TLVs
    of random types and contents."""
    fid = draw(st.sampled_from(sorted(FAMILIES)))
    hsize = FAMILIES[fid].header.size
    parts = [bytes([draw(st.integers(0, 12))]) + draw(st.binary(min_size=hsize - 1, max_size=hsize - 1))]
    parts.append(b"\0" * ((4 - hsize % 4) % 4))
    parts.append(random_attributes(draw, 12, st.one_of(st.binary(max_size=40), nested_soup())))
    payload = b"".join(parts)
    return NLMSGHDR.pack(16 + len(payload), fid, 0, 0, 0) + payload


def nested_soup():
    """TLVs inside TLVs: reaches the IndexedArray items' attribute sets."""
    tlv = st.tuples(st.integers(0, 4), st.binary(max_size=12)).map(
        lambda t: struct.pack("=HH", 4 + len(t[1]), t[0]) + t[1] + b"\0" * ((4 - (4 + len(t[1])) % 4) % 4))
    inner = st.lists(tlv, max_size=3).map(b"".join)
    item = st.tuples(st.integers(0, 3), inner).map(lambda t: struct.pack("=HH", 4 + len(t[1]), t[0]) + t[1])
    return st.lists(item, max_size=3).map(b"".join)


@FAST
@given(attr_soup())
def test_random_attributes_only_raise_decode_error(data):
    decode_or_decode_error(data)


@st.composite
def mutated_golden(draw):
    return mutate(draw, draw(st.sampled_from(GOLDEN_MSGS)))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_golden())
def test_mutated_golden_only_raises_decode_error(data):
    decode_or_decode_error(data)


def test_every_golden_prefix_only_raises_decode_error():
    for raw in GOLDEN_MSGS:
        for cut in range(0, len(raw), 1 if len(raw) < 600 else 3):
            chopped = bytearray(raw[:cut])
            if len(chopped) >= 4:
                struct.pack_into("=I", chopped, 0, len(chopped))
            decode_or_decode_error(bytes(chopped))


# -- 2. encode -> decode round trips of valid values ------------------------------

INTS = {K.U8: (0, 0xFF), K.U16: (0, 0xFFFF), K.U32: (0, 0xFFFFFFFF), K.U64: (0, 2 ** 64 - 1),
        K.S8: (-128, 127), K.S32: (-2 ** 31, 2 ** 31 - 1)}
TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\0"), max_size=16)
IP_TEXT = st.one_of(st.binary(min_size=4, max_size=4).map(lambda b: socket.inet_ntop(socket.AF_INET, b)),
                    st.binary(min_size=16, max_size=16).map(lambda b: socket.inet_ntop(socket.AF_INET6, b)))


def codec_strategy(codec):
    if codec in INTS:
        return st.integers(*INTS[codec])
    if codec is K.STRING:
        return TEXT
    if codec is K.BINARY:
        return st.binary(max_size=24)
    if codec is K.FLAG:
        return st.just(True)
    if codec is K.IP:
        return IP_TEXT
    if isinstance(codec, IndexedArray):
        return st.lists(codec_strategy(codec.item), max_size=3)
    if isinstance(codec, AttrSet):
        return attrset_strategy(codec)
    raise AssertionError("no strategy for codec %r: extend codec_strategy" % (codec,))


def attrset_strategy(aset):
    known = set(a.num for a in aset.attrs)
    fields = dict((a.name, st.lists(codec_strategy(a.codec), min_size=1, max_size=3) if a.multi
                   else codec_strategy(a.codec)) for a in aset.attrs)
    unknown = st.dictionaries(st.integers(1, NLA_TYPE_MASK).filter(lambda n: n not in known),
                              st.binary(max_size=12), max_size=2)

    @st.composite
    def build(draw):
        value = {}
        for name in draw(st.lists(st.sampled_from(sorted(fields)), unique=True)):
            value[name] = draw(fields[name])
        value.update(draw(unknown))
        return value

    return build()


def header_strategy(header, cmds):
    fields = {"cmd": st.sampled_from(sorted(cmds)), "version": st.integers(0, 0xFF),
              "reserved": st.integers(0, 0xFFFF)}
    for name in header.field_names[3:]:
        fields[name] = st.integers(-2 ** 31, 2 ** 31 - 1)
    return st.fixed_dictionaries(fields)


@st.composite
def message(draw, fam, sets):
    # a family with one attribute set for all (nlctrl): any command
    header = draw(header_strategy(fam.header, sets or dict.fromkeys(range(12))))
    aset = sets.get(header["cmd"], fam.attrs) if sets else fam.attrs
    return header, draw(attrset_strategy(aset))


@pytest.mark.parametrize("fid", sorted(FAMILIES), ids=[FAMILIES[f].name for f in sorted(FAMILIES)])
@pytest.mark.parametrize("direction", ["commands", "replies"])
def test_encode_decode_round_trip(fid, direction):
    fam = FAMILIES[fid]
    # what a socket sends decodes as the kernel reads it (commands table),
    # what the kernel sends as the socket reads it (replies table)
    sets = fam.commands if direction == "commands" else fam.replies
    encoder = fam.body() if direction == "commands" else fam.reply_body()
    decoder = genl.GenlBody(fam.name, fam.header, fam._table(sets), fam._table(sets), fam._fallback())

    @settings(max_examples=150, deadline=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(message(fam, sets))
    def check(value):
        header, attrs = value
        raw = encode_message({fid: encoder}, Request(fid, 0, header, attrs), 7)
        (msg,) = decode_messages({fid: decoder}, raw)
        assert (msg.type, msg.seq, msg.header, msg.attrs) == (fid, 7, header, attrs)
        assert encode_message({fid: encoder}, Request(fid, 0, msg.header, msg.attrs), 7) == raw

    check()
