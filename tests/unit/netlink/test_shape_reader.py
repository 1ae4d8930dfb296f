"""The wire layer's shape reader (netlink/shapes.py, Body.reader) must read
exactly what the full decode gives: on the golden route messages and on
messages of the same length but another layout, with unknown attributes,
attributes of another size, repeated attributes and trailing bytes (all of
which it hands to ``otherwise``)."""
import socket
import struct

import pytest

from ansible_collections.netlink.host.plugins.module_utils.netlink.errors import DecodeError
from ansible_collections.netlink.host.plugins.module_utils.netlink.rtnl import route as R
from ansible_collections.netlink.host.plugins.module_utils.netlink.schema import Body, nla
from ansible_collections.netlink.host.tests.unit.netlink.golden.payloads import route_payloads

NAMES = ("table", "gateway", "dst", "oif", "prefsrc", "cacheinfo.expires", "priority", "pref")
HEADER = {"family": 2, "dst_len": 24, "table": 254, "protocol": 4, "type": 1}


def full(payload):
    """The full decode, with nothing learnt (a fresh Body, fast path off)."""
    body = Body(R.ROUTE.name, R.ROUTE.header, R.ROUTE.attrs)
    body._fast_ok = False  # pylint: disable=protected-access
    return body.decode_parts(payload, 0, len(payload))


def as_decoded(values, positions, families):
    """What the reader handed over, in the full decode's terms."""
    fields = R.RTMSG.field_names
    header = dict(zip(fields, values[:len(fields)]))
    attrs = {}
    for name, at, family in zip(NAMES, positions, families):
        if at:
            v = values[at]
            attrs[name] = socket.inet_ntop(family, v) if family is not None else v
    return header, attrs


def expected(payload):
    """The full decode as the reader's names see it, or None when the
    message is not one the reader may take (an attribute it is not given,
    one that repeats, one the full decode refuses)."""
    try:
        header, attrs = full(payload)
    except DecodeError:
        return None
    off = (R.RTMSG.size + 3) & ~3
    types = []
    while off + 4 <= len(payload):
        alen, atype = struct.unpack_from("=HH", payload, off)
        types.append(atype)
        off += (alen + 3) & ~3
    if len(set(types)) != len(types):
        return None
    out = {}
    for key, v in attrs.items():
        if key == "cacheinfo":
            out["cacheinfo.expires"] = v["expires"]
        elif key in NAMES:
            out[key] = v
        else:
            return None
    return header, out


class Seen:
    def __init__(self):
        self.fast = []
        self.other = []

    def each(self, values, layout):
        self.fast.append(as_decoded(values, *layout))
        return "fast"

    def otherwise(self, buf, start, end):
        self.other.append(bytes(buf[start:end]))
        return "other"


def make_reader(seen=None):
    seen = seen or Seen()
    return R.ROUTE.reader(NAMES, seen.each, seen.otherwise, prepare=lambda p, f: (p, f)), seen


def payload(attrs, header=None):
    return R.ROUTE.encode_parts(dict(HEADER, **(header or {})), attrs)


VIA = {"table": 254, "dst": "10.0.0.0", "gateway": "192.0.2.1", "oif": 2}
SRC = {"table": 254, "dst": "10.0.0.0", "prefsrc": "192.0.2.1", "oif": 2}
CASES = [
    payload(VIA), payload(SRC), payload(dict(VIA, priority=7)), payload({"gateway": "192.0.2.1", "oif": 2}),
    payload({"table": 254, "dst": "2001:db8::", "gateway": "fe80::1", "oif": 2, "pref": 1,
             "cacheinfo": {"expires": 250}}, {"family": 10, "dst_len": 64}),
    payload(dict(VIA, mark=3)),                              # an attribute the reader is not given
    payload(VIA) + nla(99, b"\1\2\3\4"),                      # an attribute the schema does not declare
    payload(dict(VIA, metrics={"mtu": 1400})),                # a nest
    payload(VIA) + nla(4, b"\3\0\0\0"),                       # oif twice
    payload(VIA) + nla(6, b"\7\0"),                           # priority of another size (2 bytes)
    payload(VIA) + b"\0\0",                                   # trailing bytes shorter than an attribute (read, as the full decode ignores them)
]


@pytest.mark.parametrize("raw", list(route_payloads()) + CASES)
def test_reader_reads_what_the_full_decode_gives(raw):
    want = expected(raw)
    if raw in CASES[5:-1]:
        assert want is None, "the case is one the reader refuses"
    read, seen = make_reader()
    for _round in range(3):  # learn, then by the remembered shape
        assert read(raw, 0, len(raw)) == ("other" if want is None else "fast")
    if want is None:
        assert seen.other == [raw] * 3 and not seen.fast
    else:
        assert seen.fast == [want] * 3 and not seen.other


def test_same_length_other_layout_is_not_misread():
    via, src = payload(VIA), payload(SRC)
    assert len(via) == len(src)
    read, seen = make_reader()
    for raw in (via, via, src, via, src):
        assert read(raw, 0, len(raw)) == "fast"
    assert seen.fast == [expected(r) for r in (via, via, src, via, src)]
    assert len(read.shapes[len(via)][0]) == 2


def test_same_length_unknown_attribute_is_not_misread():
    """A message of a learnt length whose attribute types differ (an
    undeclared attribute where oif was) goes to otherwise."""
    known = payload(VIA)
    odd = known[:-8] + nla(99, b"\2\0\0\0")
    assert len(odd) == len(known)
    read, seen = make_reader()
    assert [read(r, 0, len(r)) for r in (known, odd, known, odd)] == ["fast", "other", "fast", "other"]


def test_declined_messages_go_to_otherwise():
    raw = payload(VIA)
    got = []
    read = R.ROUTE.reader(NAMES, lambda v, layout: False, lambda b, s, e: got.append((s, e)) or "slow")
    assert [read(raw, 0, len(raw)) for _attempt in range(2)] == ["slow", "slow"]
    assert got == [(0, len(raw))] * 2


def test_learning_is_bounded():
    read, _seen = make_reader()
    for n in range(200):
        raw = payload(VIA) + nla(99, b"\0" * (4 * (n % 80)))
        read(raw, 0, len(raw))
    assert len(read.shapes) <= 64
    assert all(left >= 0 for _shapes, left in read.shapes.values())


@pytest.mark.parametrize("names", [("nosuch",), ("metrics",), ("cacheinfo.nosuch",), ("multipath",)])
def test_names_must_be_declared_values(names):
    with pytest.raises((KeyError, ValueError)):
        R.ROUTE.reader(names, None, None)
