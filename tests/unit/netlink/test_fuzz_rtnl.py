"""Property tests of the rtnl schemas.

1. Whatever bytes arrive (random, framed random, mutated golden captures),
   ``decode_messages`` returns messages or raises ``DecodeError``: never
   another exception (a module must be able to report it cleanly).
2. Any valid value built from the declarations (every declared attribute of
   link, addr, route, neigh and nexthop, nests, kind-selected data, veth peers, metrics,
   multipath, unknown attributes kept as raw bytes) encodes and decodes back
   to itself.

The value strategies are derived from the schema declarations themselves,
by probing (field names from a decode of zero bytes, integer widths from
what encode accepts), so a newly declared attribute is covered without
touching this file.
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
from ansible_collections.netlink.host.plugins.module_utils.netlink import rtnl
from ansible_collections.netlink.host.plugins.module_utils.netlink.errors import (
    DecodeError, EncodeError)
from ansible_collections.netlink.host.plugins.module_utils.netlink.rtnl import link as L
from ansible_collections.netlink.host.plugins.module_utils.netlink.rtnl import route as R
from ansible_collections.netlink.host.plugins.module_utils.netlink.schema import (
    Array, AttrSet, Body, NLA_TYPE_MASK, Struct, SubMessage)
from ansible_collections.netlink.host.plugins.module_utils.netlink.socket import (
    Request, decode_messages, encode_message)

GOLDEN = os.path.join(os.path.dirname(os.path.abspath(__file__)), "golden")
NLMSGHDR = struct.Struct("=IHHII")
FAST = settings(max_examples=200, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def golden_messages():
    out = []
    for kind in ("link", "addr", "route", "neigh", "nexthop"):
        with open(os.path.join(GOLDEN, kind + ".json")) as fh:
            out.extend(bytes.fromhex(e["hex"]) for e in json.load(fh))
    return out


GOLDEN_MSGS = golden_messages()
RTNL_TYPES = sorted(rtnl.SCHEMAS)


def decode_or_decode_error(data):
    """The property: decoding returns or raises DecodeError, nothing else."""
    try:
        msgs = decode_messages(rtnl.SCHEMAS, data)
    except DecodeError:
        return None
    return msgs


# -- 1. decoding arbitrary bytes ------------------------------------------------

@FAST
@given(st.binary(max_size=512))
def test_random_bytes_only_raise_decode_error(data):
    decode_or_decode_error(data)


@FAST
@given(st.sampled_from(RTNL_TYPES), st.integers(0, 0xFFFF), st.binary(max_size=600))
def test_framed_random_payload_only_raises_decode_error(mtype, flags, payload):
    """A well-framed message of a known type with a random payload reaches
    the attribute decoders instead of failing at the frame."""
    data = NLMSGHDR.pack(16 + len(payload), mtype, flags, 1, 0) + payload
    decode_or_decode_error(data)


@st.composite
def attr_soup(draw):
    """A payload of well-formed TLVs with random types/contents, behind a
    correct family header: the decoder must survive any attribute mix
    (wrong sizes for fixed codecs, nests holding junk, NLA_F_* bits)."""
    mtype = draw(st.sampled_from(RTNL_TYPES))
    hsize = rtnl.SCHEMAS[mtype].header.size
    parts = [draw(st.binary(min_size=hsize, max_size=hsize))]
    parts.append(b"\0" * ((4 - hsize % 4) % 4))
    parts.append(random_attributes(draw, 70, st.binary(max_size=40)))
    payload = b"".join(parts)
    return NLMSGHDR.pack(16 + len(payload), mtype, 0, 0, 0) + payload


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
    """Truncation at every single offset (deterministic, exhaustive)."""
    for raw in GOLDEN_MSGS[:20]:
        for cut in range(len(raw)):
            chopped = bytearray(raw[:cut])
            if len(chopped) >= 4:
                struct.pack_into("=I", chopped, 0, len(chopped))
            decode_or_decode_error(bytes(chopped))


# -- 2. encode -> decode round trips of valid values ------------------------------

def _ip_text(n):
    return st.binary(min_size=n, max_size=n).map(
        lambda b: socket.inet_ntop(socket.AF_INET if n == 4 else socket.AF_INET6, b))


IP_TEXT = st.one_of(_ip_text(4), _ip_text(16))
TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\0"), max_size=16)
INT_RANGES = {
    K.U8: (0, 0xFF), K.U16: (0, 0xFFFF), K.U32: (0, 0xFFFFFFFF), K.U64: (0, 2 ** 64 - 1),
    K.S8: (-128, 127), K.S32: (-2 ** 31, 2 ** 31 - 1), K.BE16: (0, 0xFFFF), K.BE32: (0, 0xFFFFFFFF),
}


def _probe_int_field(struct_, zero, fname):
    """The range of an integer struct field, found by what encode accepts."""
    lo = 0
    hi = 0
    for cand in (0xFF, 0xFFFF, 0xFFFFFFFF, 2 ** 64 - 1):
        trial = dict(zero, **{fname: cand})
        try:
            raw = struct_.encode(trial)
        except (EncodeError, OverflowError, struct.error):
            break
        if struct_.decode(raw, 0, len(raw))[fname] == cand:
            hi = cand
    try:
        raw = struct_.encode(dict(zero, **{fname: -1}))
        if struct_.decode(raw, 0, len(raw))[fname] == -1:
            lo = -(hi + 1) // 2 if hi else -1
            hi = hi // 2
    except (EncodeError, OverflowError, struct.error):
        pass
    return lo, hi


_STRUCT_CACHE = {}


def struct_strategy(struct_):
    if struct_ not in _STRUCT_CACHE:
        size = struct_.size
        zero = struct_.decode(b"\0" * size, 0, size)
        fields = {}
        for fname, zval in zero.items():
            if isinstance(zval, dict):
                fields[fname] = struct_strategy(struct_._nested[fname])
            elif isinstance(zval, bytes):
                if getattr(struct_, "tail", None) == fname:
                    fields[fname] = st.binary(max_size=24)
                else:
                    fields[fname] = st.binary(min_size=len(zval), max_size=len(zval))
            else:
                lo, hi = _probe_int_field(struct_, zero, fname)
                fields[fname] = st.integers(lo, hi)
        _STRUCT_CACHE[struct_] = st.fixed_dictionaries(fields)
    return _STRUCT_CACHE[struct_]


def via_strategy():
    return st.one_of(
        st.builds(lambda a: {"family": C.AF_INET, "addr": a}, _ip_text(4)),
        st.builds(lambda a: {"family": C.AF_INET6, "addr": a}, _ip_text(16)))


def multipath_strategy(depth):
    hop = st.fixed_dictionaries({
        "flags": st.integers(0, 0xFF), "hops": st.integers(0, 0xFF),
        "ifindex": st.integers(-2 ** 31, 2 ** 31 - 1),
        "attrs": attrset_strategy(R.NEXTHOP_ATTRS, depth + 1),
    })
    return st.lists(hop, min_size=1, max_size=3)


UNCOVERED = set()


def codec_strategy(codec, depth):
    if codec in INT_RANGES:
        return st.integers(*INT_RANGES[codec])
    if codec is K.STRING:
        return TEXT
    if codec is K.IP:
        return st.one_of(IP_TEXT, st.binary(max_size=3))  # odd sizes stay bytes
    if codec is K.MAC:
        return st.binary(min_size=6, max_size=6).map(lambda b: b.hex(":"))
    if codec is K.BINARY:
        return st.binary(max_size=24)
    if codec is K.FLAG:
        return st.just(True)
    if codec is getattr(L, "FLAG_OR_U8", None):
        return st.sampled_from([True, 0, 1])
    if codec is L.INET_CONF:  # as the kernel reports it: an array (u32 each)
        return st.lists(st.integers(0, 2 ** 32 - 1), max_size=40)
    if codec is L.INET6_CONF:  # s32 each
        return st.lists(st.integers(-2 ** 31, 2 ** 31 - 1), max_size=60)
    if codec is R.VIA:
        return via_strategy()
    if codec is R.MULTIPATH:
        return multipath_strategy(depth)
    if isinstance(codec, Struct):
        return struct_strategy(codec)
    if isinstance(codec, Array):  # NHA_GROUP: back-to-back structs
        return st.lists(struct_strategy(codec.item), max_size=4)
    if isinstance(codec, AttrSet):
        return attrset_strategy(codec, depth + 1)
    if isinstance(codec, Body):
        return body_strategy(codec, depth + 1)
    UNCOVERED.add(getattr(codec, "name", repr(codec)))
    return None


def attrset_strategy(aset, depth=0):
    """A dict of a random subset of ``aset``'s attributes, plus maybe some
    unknown attributes (kept as raw bytes under their number)."""
    optional = {}
    subs = []
    for a in aset.attrs:
        if isinstance(a, SubMessage):
            subs.append(a)
            continue
        if depth > 2 and isinstance(a.codec, (AttrSet, Body)):
            continue  # bound the recursion (veth peer -> link -> linkinfo -> ...)
        strat = codec_strategy(a.codec, depth)
        if strat is None:
            continue
        optional[a.name] = st.lists(strat, min_size=1, max_size=3) if a.multi else strat
    known = {a.num for a in aset.attrs}
    unknown_num = st.integers(1, NLA_TYPE_MASK).filter(lambda n: n not in known)
    unknown = st.dictionaries(unknown_num, st.binary(max_size=12), max_size=2)

    @st.composite
    def build(draw):
        value = {}
        names = draw(st.lists(st.sampled_from(sorted(optional)), unique=True)) if optional else []
        for name in names:
            value[name] = draw(optional[name])
        for sub in subs:
            if depth > 2 or not draw(st.booleans()):
                continue
            kinds = sorted(k for k in sub.choices if k is not None)
            kind = draw(st.sampled_from(kinds + ["no-such-kind"]))
            value[sub.selector] = kind
            schema = sub.choices.get(kind)
            if schema is None:
                value[sub.name] = draw(st.binary(max_size=16))
            else:
                value[sub.name] = draw(codec_strategy(schema, depth))
        value.update(draw(unknown))
        return value

    return build()


def body_strategy(body, depth=0):
    return st.fixed_dictionaries({"header": struct_strategy(body.header),
                                  "attrs": attrset_strategy(body.attrs, depth)})


@pytest.mark.parametrize("mtype", [C.RTM_NEWLINK, C.RTM_NEWADDR, C.RTM_NEWROUTE, C.RTM_NEWNEIGH, C.RTM_NEWNEXTHOP],
                         ids=["link", "addr", "route", "neigh", "nexthop"])
def test_encode_decode_round_trip(mtype):
    body = rtnl.SCHEMAS[mtype]

    @settings(max_examples=100, deadline=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(body_strategy(body))
    def check(value):
        raw = encode_message(rtnl.SCHEMAS, Request(mtype, 0, value["header"], value["attrs"]), 7)
        (msg,) = decode_messages(rtnl.SCHEMAS, raw)
        assert msg.type == mtype and msg.seq == 7
        assert msg.header == value["header"]
        assert msg.attrs == value["attrs"]
        # and the bytes are a fixed point
        assert encode_message(rtnl.SCHEMAS, Request(mtype, 0, msg.header, msg.attrs), 7) == raw

    check()
    assert not UNCOVERED, "codecs without a strategy (extend codec_strategy): %s" % sorted(UNCOVERED)


def test_ttl_inherit_flag_or_u8():
    """IFLA_VXLAN_TTL_INHERIT: a flag going in, a u8 coming out."""
    codec = L.VXLAN_DATA.by_name["ttl_inherit"].codec
    assert codec.encode(True) == b""
    assert codec.decode(b"", 0, 0) is True
    assert codec.decode(b"\0", 0, 1) == 0
    assert codec.decode(b"\1", 0, 1) == 1
