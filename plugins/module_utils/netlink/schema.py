# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Declarative message schemas: one declaration drives encode AND decode.

The building blocks mirror the kernel's YNL specs:

``Struct``      a fixed C struct (``ifinfomsg``, ``xfrm_usersa_info``...),
                optionally followed by a variable tail (``xfrm_algo`` key).
``Attr``        one netlink attribute: explicit uapi number, name, codec.
``AttrSet``     the attributes that may follow a header or fill a nest.
                Unknown attributes are kept as ``{number: raw bytes}`` in
                the decoded dict, in wire order, so re-encoding is exact.
``SubMessage``  an attribute whose layout is chosen by a sibling's value
                (IFLA_INFO_DATA by IFLA_INFO_KIND).
``Array``       a payload that is a run of fixed structs (XFRMA_TMPL).
``IndexedArray`` a nest of numbered nests, one per list item (generic
                netlink's CTRL_ATTR_OPS; YNL's ``indexed-array``).
``Body``        header struct + attribute set (a message payload, or the
                veth peer nest, which embeds a whole ifinfomsg).
``Enum``        what the numbers of one field or attribute mean (route
                types, protocols, scopes, xfrm modes...), declared once and
                handed to the field it describes (``Attr(..., enum=E)``, a
                Struct field ``("type", "B", E)``); values stay numbers on
                the wire and in decoded dicts, the names are for the layers
                above.

Every block has ``decode(buf, start, end)`` and ``encode(value)``, the same
interface as the scalar codecs in ``codec.py``, so they nest freely.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import socket
import struct

from . import shapes as _shapes
from .codec import IP as _IP_CODEC
from .errors import DecodeError, EncodeError

NLA_F_NESTED = 0x8000
NLA_F_NET_BYTEORDER = 0x4000
NLA_TYPE_MASK = 0x3FFF

_NLA_HDR = struct.Struct("=HH")
_nla_unpack = _NLA_HDR.unpack_from
_nla_pack = _NLA_HDR.pack
_PAD = (b"", b"\0\0\0", b"\0\0", b"\0")
_inet_ntop = socket.inet_ntop
_AF_INET = socket.AF_INET
_AF_INET6 = socket.AF_INET6

# How AttrSet.decode handles an attribute (see AttrSet.__init__).
_K_CALL = 0
_K_INT = 1
_K_IP = 2
_K_SUB = 3


def nla(atype, payload):
    """One attribute on the wire: header, payload, padding to 4 bytes."""
    n = 4 + len(payload)
    return _nla_pack(n, atype) + payload + _PAD[n & 3]


class Enum:
    """The meaning of the numbers of one field: number -> name and back.

    ``names`` maps each uapi number to its name in this collection's
    vocabulary (iproute2's words where iproute2 has one); the reverse map
    is built here, once.  ``aliases`` are extra names accepted on input
    (``universe`` for scope 0) that are never produced.  Numbers without a
    name stay numbers both ways, so nothing the kernel sends is lost.
    """

    __slots__ = ("name", "names", "numbers")

    def __init__(self, name, names, aliases=None):
        self.name = name
        self.names = dict(names)
        self.numbers = dict((v, k) for k, v in self.names.items())
        if len(self.numbers) != len(self.names):
            raise ValueError("enum %s: a name is given to two numbers" % name)
        for alias, number in (aliases or {}).items():
            if number not in self.names:
                raise ValueError("enum %s: alias %r of an unnamed number %r" % (name, alias, number))
            self.numbers[alias] = number

    def name_of(self, number):
        """The name of ``number``, or ``number`` itself when it has none."""
        return self.names.get(number, number)

    def number_of(self, value):
        """The number for a name, a number, or a number written as text
        ("17", "0x11"); None stays None.  An unknown name raises
        EncodeError."""
        if value is None or (isinstance(value, int) and not isinstance(value, bool)):
            return value
        number = self.numbers.get(value)
        if number is not None:
            return number
        try:
            return int(str(value), 0)
        except ValueError:
            raise EncodeError("%s: unknown value %r" % (self.name, value))

    def __repr__(self):
        return "Enum(%s)" % self.name


class Flags:
    """The meaning of the bits of one flags field: bit -> name and back,
    declared once beside the field like ``Enum``."""

    __slots__ = ("name", "names", "bits")

    def __init__(self, name, names):
        self.name = name
        self.names = dict(names)
        self.bits = dict((v, k) for k, v in self.names.items())

    def names_of(self, value):
        """The names of the bits set in ``value``, lowest bit first (bits
        without a name are left out)."""
        return [name for bit, name in sorted(self.names.items()) if value & bit]

    def value_of(self, names):
        """The bits for a list of names; an unknown name raises EncodeError."""
        out = 0
        for n in names or ():
            if n not in self.bits:
                raise EncodeError("%s: unknown flag %r" % (self.name, n))
            out |= self.bits[n]
        return out

    def __repr__(self):
        return "Flags(%s)" % self.name


class Struct:
    """A fixed C struct.

    ``fields`` is a list of ``(name, code)``: ``code`` is a ``struct``
    format code in native byte order (``B``, ``H``, ``I``, ``i``, ``Q``,
    ``16s``; ``3x`` for padding, whose name is ignored), the same code
    behind ``!`` for a network-byte-order field (``!H`` for a port, ``!I``
    for an SPI), or another Struct (embedded struct, decoded as a dict).

    A field may carry a third element, the ``Enum`` or ``Flags`` that says
    what its values mean (``("type", "B", RTN_TYPE)``); ``enums`` maps
    field names to them.  Decoding is unchanged (numbers stay numbers).

    ``tail`` names a variable-length byte string that follows the fixed
    part (the key after ``xfrm_algo``).  ``align`` rounds the size up the
    way the C compiler pads the struct's end.
    """

    def __init__(self, name, fields, tail=None, align=1):
        self.name = name
        self.tail = tail
        fmt = "="
        self.field_names = []
        self._nested = {}
        self._network = {}
        self._defaults = {}
        self.enums = {}
        # name -> (byte offset, struct code) of each plain field (what a
        # shape reader needs to take one field of the struct)
        self.offsets = {}
        for field in fields:
            fname, code = field[0], field[1]
            if len(field) > 2:
                self.enums[fname] = field[2]
            if isinstance(code, Struct):
                fmt += "%ds" % code.size
                self._nested[fname] = code
                self._defaults[fname] = None
            elif code.endswith("x"):
                fmt += code
                continue
            elif code.startswith("!"):
                fmt += code[1:]
                self._network[fname] = code[1:]
                self._defaults[fname] = 0
            else:
                self.offsets[fname] = (struct.calcsize(fmt), code)
                fmt += code
                self._defaults[fname] = b"" if code.endswith("s") else 0
            self.field_names.append(fname)
        size = struct.calcsize(fmt)
        padded = (size + align - 1) // align * align
        if padded != size:
            fmt += "%dx" % (padded - size)
        self._struct = struct.Struct(fmt)
        self.size = self._struct.size
        self._simple = not self._nested and not self._network
        self._default_items = [(f, self._defaults[f]) for f in self.field_names]

    def decode(self, buf, start, end):
        if end - start < self.size:
            raise DecodeError("%s needs %d bytes, has %d" % (self.name, self.size, end - start))
        out = dict(zip(self.field_names, self._struct.unpack_from(buf, start)))
        if not self._simple:
            for fname, st in self._nested.items():
                raw = out[fname]
                out[fname] = st.decode(raw, 0, len(raw))
            for fname, code in self._network.items():
                out[fname] = _swap(code, out[fname])
        if self.tail:
            out[self.tail] = bytes(buf[start + self.size:end])
        return out

    def encode(self, value):
        value = value or {}
        if self._simple and not self.tail:
            get = value.get
            try:
                return self._struct.pack(*[get(f, d) for f, d in self._default_items])
            except struct.error as exc:
                raise EncodeError("%s: %s (%r)" % (self.name, exc, value))
        args = []
        for fname in self.field_names:
            v = value.get(fname, self._defaults[fname])
            if fname in self._nested:
                v = self._nested[fname].encode(v)
            elif fname in self._network:
                v = _swap(self._network[fname], v)
            args.append(v)
        try:
            out = self._struct.pack(*args)
        except struct.error as exc:
            raise EncodeError("%s: %s (%r)" % (self.name, exc, value))
        if self.tail:
            out += bytes(value.get(self.tail) or b"")
        return out

    def __repr__(self):
        return "Struct(%s)" % self.name


def _swap(code, v):
    """Swap a 16/32-bit value between host and network byte order (the
    swap is its own inverse, so one function serves decode and encode)."""
    if not isinstance(v, int):
        raise EncodeError("%r is not an integer" % (v,))
    try:
        if code == "H":
            return socket.ntohs(v)
        return socket.ntohl(v)
    except OverflowError:
        raise EncodeError("%r does not fit a network-order %s" % (v, code))


class Attr:
    """One attribute: uapi number, name, codec.

    ``multi``: the attribute may repeat; decoded as a list.
    ``nested_flag``: set NLA_F_NESTED on encode (the kernel sets it on some
    nests it emits; declaring it keeps golden round trips exact).
    ``enum``: the ``Enum``/``Flags`` that says what its values mean.
    """

    __slots__ = ("num", "name", "codec", "multi", "nested_flag", "enum")

    def __init__(self, num, name, codec, multi=False, nested_flag=False, enum=None):
        self.num = num
        self.name = name
        self.codec = codec
        self.multi = multi
        self.nested_flag = nested_flag
        self.enum = enum


class SubMessage:
    """An attribute whose layout is chosen by the value of a sibling
    attribute (``selector``), e.g. IFLA_INFO_DATA selected by
    IFLA_INFO_KIND.  Kinds without a declaration decode as raw bytes."""

    __slots__ = ("num", "name", "selector", "choices", "multi", "nested_flag", "enum")

    def __init__(self, num, name, selector, choices, nested_flag=False):
        self.num = num
        self.name = name
        self.selector = selector
        self.choices = choices
        self.multi = False
        self.nested_flag = nested_flag
        self.enum = None


class AttrSet:
    """The attributes allowed in one place.  Decoded as a dict keyed by
    attribute name; unknown attribute numbers are kept as int keys holding
    the raw payload (the full type including NLA_F_* flags is the key)."""

    def __init__(self, name, attrs):
        self.name = name
        self.attrs = list(attrs)
        self.by_num = {}
        self.by_name = {}
        self._sub = []
        for a in self.attrs:
            if a.num in self.by_num:
                raise ValueError("%s: attribute number %d declared twice" % (name, a.num))
            self.by_num[a.num] = a
            self.by_name[a.name] = a
            if isinstance(a, SubMessage):
                self._sub.append(a)
        # The hot loop wants, per attribute number, a tuple it can unpack
        # in one step: (name, kind, decode, unpack_from, min_len, multi).
        # ``kind`` lets the loop inline the two commonest payloads instead
        # of calling a codec function per attribute (a Python call costs
        # more than the work itself):
        #   _K_INT   fixed-size integer: ``unpack_from(buf, off + 4)[0]``
        #            when the attribute is at least ``min_len`` long;
        #   _K_IP    address: inet_ntop on the 4 or 16 payload bytes;
        #   _K_CALL  anything else: ``decode(buf, start, end)``;
        #   _K_SUB   SubMessage, decoded once its selector is known.
        # Short or odd payloads always take the codec call, so errors and
        # raw-bytes fallbacks are exactly the codec's.
        self._dec = {}
        for a in self.attrs:
            if isinstance(a, SubMessage):
                ent = (a.name, _K_SUB, None, None, 0, False)
            else:
                codec = a.codec
                unpack = getattr(codec, "unpack_from", None)
                if unpack is not None and not a.multi:
                    ent = (a.name, _K_INT, codec.decode, unpack, 4 + codec.size, False)
                elif codec is _IP_CODEC and not a.multi:
                    ent = (a.name, _K_IP, codec.decode, None, 0, False)
                else:
                    ent = (a.name, _K_CALL, codec.decode, None, 0, a.multi)
            self._dec[a.num] = ent
        # Encoding: name -> (type with its flags, the codec's encode) for
        # the attributes that are one value (not a SubMessage, not multi),
        # so the loop calls one function per attribute.
        self._enc = dict((a.name, (a.num | (NLA_F_NESTED if a.nested_flag else 0), a.codec.encode))
                         for a in self.attrs if not isinstance(a, SubMessage) and not a.multi)
        self.size = None

    def num(self, name):
        return self.by_name[name].num

    def enum(self, name):
        """The Enum/Flags declared on attribute ``name`` (None if none)."""
        return self.by_name[name].enum

    def decode(self, buf, start, end):
        # Hot path (every attribute of every dumped object): locals only,
        # one dict lookup per attribute, common payloads inlined.
        out = {}
        dec_table = self._dec
        get_ent = dec_table.get
        unpack = _nla_unpack
        ntop = _inet_ntop
        off = start
        pending = None
        while off + 4 <= end:
            alen, atype = unpack(buf, off)
            if alen < 4 or off + alen > end:
                raise DecodeError("%s: attribute %d has bad length %d at offset %d"
                                  % (self.name, atype & NLA_TYPE_MASK, alen, off))
            ent = get_ent(atype & NLA_TYPE_MASK)
            if ent is None:
                out[atype] = bytes(buf[off + 4:off + alen])
            else:
                name, kind, dec, unp, min_len, multi = ent
                if kind == _K_INT and alen >= min_len:
                    out[name] = unp(buf, off + 4)[0]
                elif kind == _K_IP and alen == 8:
                    out[name] = ntop(_AF_INET, buf[off + 4:off + 8])
                elif kind == _K_IP and alen == 20:
                    out[name] = ntop(_AF_INET6, buf[off + 4:off + 20])
                elif kind == _K_SUB:
                    # SubMessage: decode once its selector is known.
                    if pending is None:
                        pending = []
                    pending.append((name, off + 4, off + alen))
                    out[name] = None
                elif multi:
                    out.setdefault(name, []).append(dec(buf, off + 4, off + alen))
                else:
                    out[name] = dec(buf, off + 4, off + alen)
            off += (alen + 3) & ~3
        if off < end and end - off >= 4:
            raise DecodeError("%s: %d trailing bytes" % (self.name, end - off))
        if pending:
            for name, s, e in pending:
                sub = self.by_name[name]
                kind = out.get(sub.selector)
                schema = sub.choices.get(kind)
                out[name] = bytes(buf[s:e]) if schema is None else schema.decode(buf, s, e)
        return out

    def encode(self, value):
        parts = []
        by_name = self.by_name
        plain = self._enc
        for key, v in value.items():
            one = plain.get(key)
            if one is not None:
                if v is not None:
                    payload = one[1](v)
                    n = 4 + len(payload)
                    parts.append(_nla_pack(n, one[0]) + payload + _PAD[n & 3])
                continue
            if isinstance(key, int):
                parts.append(nla(key, bytes(v)))
                continue
            a = by_name.get(key)
            if a is None:
                raise EncodeError("%s has no attribute %r" % (self.name, key))
            if v is None:
                continue
            atype = a.num | (NLA_F_NESTED if a.nested_flag else 0)
            if isinstance(a, SubMessage):
                schema = a.choices.get(value.get(a.selector))
                payload = bytes(v) if schema is None else schema.encode(v)
                parts.append(nla(atype, payload))
            elif a.multi:
                for item in v:
                    parts.append(nla(atype, a.codec.encode(item)))
            else:
                parts.append(nla(atype, a.codec.encode(v)))
        return b"".join(parts)

    def __repr__(self):
        return "AttrSet(%s)" % self.name


class Array:
    """A payload made of back-to-back fixed structs (XFRMA_TMPL)."""

    def __init__(self, item):
        self.item = item
        self.name = "array(%s)" % item.name
        self.size = None

    def decode(self, buf, start, end):
        size = self.item.size
        if (end - start) % size:
            raise DecodeError("%s: %d bytes is not a whole number of %d-byte items"
                              % (self.name, end - start, size))
        return [self.item.decode(buf, off, off + size) for off in range(start, end, size)]

    def encode(self, value):
        return b"".join(self.item.encode(v) for v in value)


def _layout_decoder(check, expect, values, head_names, attr_names, ips):
    """Body's fast decode path: a function made for one message shape.

    A dump returns thousands of messages with the same attributes in the
    same order (every route of a BGP table has table, dst, priority,
    gateway, oif).  Walking their attributes one by one is most of the
    decode cost, so Body remembers, per payload length, the shapes of the
    first few messages of that length it decoded the slow way, when they
    are simple: a plain header struct and attributes that are native-order
    integers of their exact size or 4/16-byte addresses.  For such a shape
    this returns ``decode(buf, start) -> (header, attrs) or None``:

    - ``check`` unpacks only the attribute headers (nla_len, nla_type);
      unless they equal ``expect`` the message has another shape and
      decode returns None (the caller takes the slow path), so only fully
      compared messages are decoded here;
    - ``values`` unpacks the header fields and every attribute value in one
      call; ``ips`` maps attribute positions to their address family;
    - both dicts are built as dict displays, much cheaper than dict(zip())
      or a loop.  That needs generated source (the same trick as
      collections.namedtuple); its keys are repr()s of the schema's own
      declared names, never message data, and the source is kept on the
      function (``decode.source``) for reading.

    A matching message decodes to exactly what the slow path gives: same
    keys in the same (wire) order, same values.
    """
    head = ", ".join("%r: v[%d]" % (n, i) for i, n in enumerate(head_names))
    items = []
    for j, n in enumerate(attr_names):
        i = len(head_names) + j
        if j in ips:
            items.append("%r: _ntop(%d, v[%d])" % (n, ips[j], i))
        else:
            items.append("%r: v[%d]" % (n, i))
    source = ("def decode(buf, start):\n"
              "    if _check(buf, start) != _expect:\n"
              "        return None\n"
              "    v = _values(buf, start)\n"
              "    return {%s}, {%s}\n" % (head, ", ".join(items)))
    namespace = {"_check": check, "_expect": expect, "_values": values, "_ntop": _inet_ntop}
    exec(compile(source, "<netlink layout>", "exec"), namespace)
    decode = namespace["decode"]
    decode.source = source
    return decode


# Bounds on Body's remembered shapes (shapes.py says why; module names so a
# benchmark can turn the fast path off: bench/children.py).
_MAX_LENGTHS = _shapes.MAX_LENGTHS
_LEARN_PER_LENGTH = _shapes.LEARN_PER_LENGTH


def _plain_tagged(attr, alen):
    """shapes.walk's value_of for the dict path: a plain value, tagged
    with its attribute's name and address family."""
    got = _shapes.plain_value(attr, alen)
    return None if got is None else (got[0], (attr.name, got[1]))


class Body:
    """A header struct followed by attributes: a message payload, or a nest
    that embeds one (VETH_INFO_PEER carries a whole ifinfomsg + IFLA_*)."""

    def __init__(self, name, header, attrs):
        self.name = name
        self.header = header
        self.attrs = attrs
        self.size = None
        # payload length -> [fast decode functions (see _layout_decoder),
        # learning attempts left]: a message of that length that none of
        # them takes is decoded the slow way and, while attempts are left,
        # its shape is learnt too (when simple).
        self._layouts = {}
        self._fast_ok = (isinstance(header, Struct) and header._simple and not header.tail
                         and isinstance(attrs, AttrSet))

    def decode_parts(self, buf, start, end):
        known = self._layouts.get(end - start)
        if known is not None:
            for fast in known[0]:
                parts = fast(buf, start)
                if parts is not None:
                    return parts
        hsize = self.header.size
        if end - start < hsize:
            raise DecodeError("%s: payload of %d bytes is shorter than its %s header"
                              % (self.name, end - start, self.header.name))
        # NLMSG_ALIGN: attributes start at the header size rounded to 4.
        parts = (self.header.decode(buf, start, start + hsize),
                 self.attrs.decode(buf, start + ((hsize + 3) & ~3), end))
        if self._fast_ok:
            known = _shapes.learning_slot(self._layouts, end - start, _MAX_LENGTHS, _LEARN_PER_LENGTH)
            if known is not None:
                fast = self._learn(buf, start, end)
                if fast is not None:
                    known[0] += (fast,)
        return parts

    def _learn(self, buf, start, end):
        """The fast decode function for the shape of the message at
        buf[start:end] (which has just decoded without error), or None when
        its shape is not simple (shapes.walk, every attribute a plain
        value)."""
        shape = _shapes.walk(self, buf, start, end, _plain_tagged)
        if shape is None:
            return None
        check, expect, values, tags = shape
        names = [name for name, _family in tags]
        ips = dict((j, family) for j, (_name, family) in enumerate(tags) if family is not None)
        return _layout_decoder(check, expect, values, self.header.field_names, names, ips)

    def reader(self, names, each, otherwise, prepare=None):
        """A raw dump factory reading this body's messages by their shape
        into values, not dicts: see shapes.reader."""
        if not self._fast_ok:
            raise ValueError("%s: no shape reader for this body" % self.name)
        return _shapes.reader(self, names, each, otherwise, prepare)

    def decode(self, buf, start, end):
        header, attrs = self.decode_parts(buf, start, end)
        return {"header": header, "attrs": attrs}

    def encode_parts(self, header, attrs):
        raw = self.header.encode(header)
        raw += _PAD[len(raw) & 3] if len(raw) & 3 else b""
        return raw + self.attrs.encode(attrs or {})

    def encode(self, value):
        return self.encode_parts(value.get("header"), value.get("attrs"))


class IndexedArray:
    """A nest whose attributes are the items of a list, each one nest
    decoded by ``item`` (YNL's ``indexed-array``): CTRL_ATTR_OPS and
    CTRL_ATTR_MCAST_GROUPS of generic netlink, WireGuard's peers.

    The attribute numbers carry no meaning but position, so the list is
    decoded in wire order and the numbers are dropped.  On encode they are
    made the way the kernel makes them, so captures re-encode byte for
    byte: ``first`` is the number of the first item and each next one adds
    ``step`` (nlctrl counts from 1: ``ctrl_fill_info``; WireGuard numbers
    every item 0: first=0, step=0); ``nested_flag`` sets NLA_F_NESTED on
    each item (the kernel's ``nla_nest_start`` does, ``_noflag`` does not).
    """

    def __init__(self, name, item, first=1, step=1, nested_flag=False):
        self.name = name
        self.item = item
        self.first = first
        self.step = step
        self.nested_flag = nested_flag
        self.size = None

    def decode(self, buf, start, end):
        out = []
        item = self.item
        off = start
        while off + 4 <= end:
            alen, _atype = _nla_unpack(buf, off)
            if alen < 4 or off + alen > end:
                raise DecodeError("%s: item of bad length %d at offset %d" % (self.name, alen, off))
            out.append(item.decode(buf, off + 4, off + alen))
            off += (alen + 3) & ~3
        if off < end and end - off >= 4:
            raise DecodeError("%s: %d trailing bytes" % (self.name, end - off))
        return out

    def encode(self, value):
        if isinstance(value, (str, bytes, dict)):
            raise EncodeError("%s: %r is not a list" % (self.name, value))
        flag = NLA_F_NESTED if self.nested_flag else 0
        parts = []
        number = self.first
        for v in value:
            parts.append(nla(number | flag, self.item.encode(v)))
            number += self.step
        return b"".join(parts)

    def __repr__(self):
        return "IndexedArray(%s)" % self.name
