# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Remembered shapes: read many messages of one attribute layout fast.

A dump returns thousands of messages with the same attributes in the same
order.  Walking their attributes one by one is most of the decode cost, so
the layout (attribute lengths and types) of a message is learnt once, from
the schema's declaration, as two ``struct`` formats: ``check`` unpacks only
the attribute headers (a later message has this shape when they equal
``expect``), ``values`` unpacks the header fields and every attribute value
in one call.  ``Body.decode_parts`` turns those values into the decoded
dicts (schema.py); ``reader()`` here hands them to a caller that wants
values, not dicts (``state: gathered`` of a whole routing table).

Only fully compared messages are read by their shape; anything else takes
the schema's full decode, so both ways give the same result.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import socket
import struct

from .codec import IP as _IP_CODEC

NLA_TYPE_MASK = 0x3FFF
_nla_unpack = struct.Struct("=HH").unpack_from
_FAMILY_BY_LENGTH = {8: socket.AF_INET, 20: socket.AF_INET6}

# Bounds on remembered shapes, so odd input (a fuzzer) cannot grow memory
# or learning work without limit: distinct payload lengths, and learning
# attempts per length (two shapes of one length are common: a route via a
# gateway and a route with a prefsrc are both 52 bytes).
MAX_LENGTHS = 64
LEARN_PER_LENGTH = 4


def learning_slot(remembered, length, max_lengths=None, per_length=None):
    """The entry ``[shapes, attempts left]`` of ``length`` in ``remembered``
    when one more shape of that length may be learnt (an attempt is
    counted), else None."""
    known = remembered.get(length)
    if known is None:
        if len(remembered) >= (MAX_LENGTHS if max_lengths is None else max_lengths):
            return None
        known = remembered[length] = [(), LEARN_PER_LENGTH if per_length is None else per_length]
    if known[1] <= 0:
        return None
    known[1] -= 1
    return known


def plain_value(attr, alen):
    """(struct format, address family or None) of the one value of an
    attribute the fast path reads as the full decode does: a native-order
    integer of its exact size, or a 4/16-byte address (raw bytes); None
    for anything else."""
    codec = getattr(attr, "codec", None)
    if codec is None or attr.multi:
        return None  # a SubMessage, or an attribute that repeats
    unpack = getattr(codec, "unpack_from", None)
    if unpack is not None:
        fmt = unpack.__self__.format
        if alen != 4 + codec.size or fmt[:1] not in "=@" or fmt[1:2] in ("", "x"):
            return None  # another size, or big-endian (one struct has one byte order)
        return fmt[1:], None
    if codec is _IP_CODEC and alen in _FAMILY_BY_LENGTH:
        return "%ds" % (alen - 4), _FAMILY_BY_LENGTH[alen]
    return None


def walk(body, buf, start, end, value_of):
    """The shape of the message at buf[start:end] of ``body``: (check,
    expect, values, tags), or None when it has none.  ``value_of(attr,
    alen)`` says, for each attribute, ``(format, tag)`` of the one value
    taken from it, or None to refuse the message; ``tags`` lists them in
    wire order (the values follow the header's fields)."""
    header = body.header
    hfmt = header._struct.format  # pylint: disable=protected-access
    hfmt = hfmt[1:] if hfmt[:1] in "=<>!@" else hfmt
    astart = (header.size + 3) & ~3
    total = end - start
    if total < astart:
        return None
    check = ["=%dx" % astart]
    values = ["=" + hfmt, "%dx" % (astart - header.size)]
    expect = []
    tags = []
    by_num = body.attrs.by_num
    pos = astart
    while pos + 4 <= total:
        alen, atype = _nla_unpack(buf, start + pos)
        if alen < 4 or pos + alen > total:
            return None  # malformed: the full decode says how
        attr = by_num.get(atype & NLA_TYPE_MASK)
        got = None if attr is None else value_of(attr, alen)
        if got is None:
            return None
        vfmt, tag = got
        step = min((alen + 3) & ~3, total - pos)
        check.append("HH%dx" % (step - 4))
        values.append("4x%s%dx" % (vfmt, step - alen))
        expect.extend((alen, atype))
        tags.append(tag)
        pos += step
    tail = total - pos
    if tail >= 4:
        return None
    check.append("%dx" % tail)
    values.append("%dx" % tail)
    check = struct.Struct("".join(check))
    values = struct.Struct("".join(values))
    if check.size != total or values.size != total:
        return None  # never trust a shape that does not add up
    return check.unpack_from, tuple(expect), values.unpack_from, tags


def _struct_field_value(codec, field, alen):
    """(format, None) taking one field of a plain struct attribute of its
    exact size (the other bytes skipped), or None."""
    if alen != 4 + codec.size or not codec._simple or codec.tail:  # pylint: disable=protected-access
        return None
    offset, code = codec.offsets[field]
    size = struct.calcsize("=" + code)
    return "%dx%s%dx" % (offset, code, codec.size - offset - size), None


def reader(body, names, each, otherwise, prepare=None):
    """``read(buf, start, end)``: a raw dump factory (NetlinkSocket.dump
    ``raw=True``) that reads messages of ``body`` by their shape.

    ``names`` are the attributes a message may hold, by their schema names
    (``"cacheinfo.expires"``: one field of a struct attribute).  A message
    whose attributes are all among them, each once and of its declared
    size, is handed over as ``each(values, layout)``: ``values`` are the
    header's fields (in ``body.header.field_names`` order) then each
    attribute's value (integers; addresses as their raw 4 or 16 bytes) in
    wire order; ``layout`` is ``prepare(positions, families)``, made once
    per shape (default: ``positions``), where ``positions[i]`` is where the
    value of ``names[i]`` is in ``values`` (0: not in the message: header
    fields come first) and ``families[i]`` the address family of an address
    (else None).  Any other message, and one ``each`` declines (returns
    False), goes to ``otherwise(buf, start, end)``.  ``read.shapes`` holds
    what was learnt (payload length -> [shapes, attempts left])."""
    if not body.header.field_names:
        raise ValueError("%s: a shape reader needs header fields before the attributes" % body.name)
    wanted = {}
    for i, name in enumerate(names):
        attr_name, _dot, field = name.partition(".")
        attr = body.attrs.by_name[attr_name]  # KeyError: not declared
        if field:
            if field not in getattr(attr.codec, "offsets", {}):
                raise ValueError("%s: %s has no field %r" % (body.name, attr_name, field))
        elif plain_value(attr, 8) is None and plain_value(attr, 4 + (attr.codec.size or 0)) is None:
            raise ValueError("%s: attribute %s is not an integer or an address" % (body.name, attr_name))
        wanted[attr.num] = (i, field)
    count = len(names)

    def value_of(attr, alen):
        want = wanted.get(attr.num)
        if want is None:
            return None
        i, field = want
        got = _struct_field_value(attr.codec, field, alen) if field else plain_value(attr, alen)
        return None if got is None else (got[0], (i, got[1]))

    def learn(buf, start, end):
        shape = walk(body, buf, start, end, value_of)
        if shape is None:
            return None
        check, expect, values, tags = shape
        positions = [0] * count
        families = [None] * count
        first = len(body.header.field_names)
        for j, (i, family) in enumerate(tags):
            if positions[i]:
                return None  # an attribute twice: which value counts is the full decode's business
            positions[i] = first + j
            families[i] = family
        positions, families = tuple(positions), tuple(families)
        layout = positions if prepare is None else prepare(positions, families)
        return check, expect, values, layout

    remembered = {}
    get = remembered.get

    def read(buf, start, end):
        known = get(end - start)
        if known is not None:
            for check, expect, values, layout in known[0]:
                if check(buf, start) == expect:
                    out = each(values(buf, start), layout)
                    if out is not False:
                        return out
                    return otherwise(buf, start, end)
        slot = learning_slot(remembered, end - start)
        if slot is not None:
            shape = learn(buf, start, end)
            if shape is not None:
                slot[0] += (shape,)
                out = each(shape[2](buf, start), shape[3])
                if out is not False:
                    return out
        return otherwise(buf, start, end)

    read.shapes = remembered
    return read
