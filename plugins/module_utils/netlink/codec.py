# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Scalar and address codecs: the one table that turns attribute payloads
into Python values and back.

A codec is a pair of plain functions, ``decode(buf, start, end) -> value``
and ``encode(value) -> bytes``.  Schemas (``schema.py``) name codecs from
this table; nothing else in the library converts payload bytes.  Decoding
is the hot path (hundreds of thousands of routes), so the functions are
small closures over precompiled ``struct.Struct`` objects.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import socket
import struct

from .errors import DecodeError, EncodeError


class Codec:
    """A named decode/encode pair.  ``size`` is the fixed payload length, or
    None when the payload is variable (strings, addresses, nests)."""

    __slots__ = ("name", "decode", "encode", "size", "unpack_from")

    def __init__(self, name, decode, encode, size=None, unpack_from=None):
        self.name = name
        self.decode = decode
        self.encode = encode
        self.size = size
        # Fixed-size integer codecs expose their struct unpacker so that
        # AttrSet.decode can inline them (no Python call per attribute).
        self.unpack_from = unpack_from

    def __repr__(self):
        return "Codec(%s)" % self.name


def _int_codec(name, fmt):
    packer = struct.Struct(fmt)
    unpack_from = packer.unpack_from
    pack = packer.pack
    size = packer.size

    def decode(buf, start, end):
        if end - start < size:
            raise DecodeError("%s attribute needs %d bytes, has %d" % (name, size, end - start))
        return unpack_from(buf, start)[0]

    def encode(value):
        try:
            return pack(value)
        except (struct.error, TypeError):
            raise EncodeError("%r does not fit a %s" % (value, name))

    return Codec(name, decode, encode, size, unpack_from)


U8 = _int_codec("u8", "=B")
U16 = _int_codec("u16", "=H")
U32 = _int_codec("u32", "=I")
U64 = _int_codec("u64", "=Q")
S8 = _int_codec("s8", "=b")
S32 = _int_codec("s32", "=i")
BE16 = _int_codec("be16", ">H")
BE32 = _int_codec("be32", ">I")
BE64 = _int_codec("be64", ">Q")


def _flag_decode(buf, start, end):
    return True


def _flag_encode(value):
    return b""


FLAG = Codec("flag", _flag_decode, _flag_encode, 0)


def _string_decode(buf, start, end):
    raw = bytes(buf[start:end])
    nul = raw.find(b"\0")
    if nul >= 0:
        raw = raw[:nul]
    return raw.decode("utf-8", "surrogateescape")


def _string_encode(value):
    if not isinstance(value, str):
        raise EncodeError("%r is not a string" % (value,))
    return value.encode("utf-8", "surrogateescape") + b"\0"


STRING = Codec("string", _string_decode, _string_encode)


def _bytes_decode(buf, start, end):
    return bytes(buf[start:end])


def _bytes_encode(value):
    if isinstance(value, str):
        # Hex text is accepted so that golden files and JSON stay readable.
        return bytes.fromhex(value)
    return bytes(value)


BINARY = Codec("binary", _bytes_decode, _bytes_encode)

_inet_ntop = socket.inet_ntop
_AF_INET = socket.AF_INET
_AF_INET6 = socket.AF_INET6


def _ip_decode(buf, start, end):
    # inet_ntop takes any bytes-like object: slicing is the only copy.
    n = end - start
    if n == 4:
        return _inet_ntop(_AF_INET, buf[start:end])
    if n == 16:
        return _inet_ntop(_AF_INET6, buf[start:end])
    # Other families (MPLS labels, ...) are kept as raw bytes, never lost.
    return bytes(buf[start:end])


def ip_to_bytes(value):
    """Text IPv4/IPv6 address to its 4 or 16 wire bytes."""
    if isinstance(value, (bytes, bytearray)):
        return bytes(value)
    try:
        return socket.inet_pton(_AF_INET, value)
    except (OSError, TypeError):
        pass
    try:
        return socket.inet_pton(_AF_INET6, value)
    except (OSError, TypeError):
        raise EncodeError("%r is not an IP address" % (value,))


IP = Codec("ip", _ip_decode, ip_to_bytes)


def _mac_decode(buf, start, end):
    return bytes(buf[start:end]).hex(":")


def mac_to_bytes(value):
    """``aa:bb:cc:dd:ee:ff`` (or ``-`` separated) to bytes."""
    if isinstance(value, (bytes, bytearray)):
        return bytes(value)
    try:
        return bytes.fromhex(value.replace(":", "").replace("-", ""))
    except (ValueError, AttributeError):
        raise EncodeError("%r is not a link-layer address" % (value,))


MAC = Codec("mac", _mac_decode, mac_to_bytes)


def bytes_to_ip(raw, family):
    """Wire bytes of an address of ``family`` (AF_INET/AF_INET6) to text;
    for fixed 16-byte fields (xfrm_address_t) only the first 4 count for v4."""
    if family == _AF_INET:
        return _inet_ntop(_AF_INET, bytes(raw[:4]))
    return _inet_ntop(_AF_INET6, bytes(raw[:16]))


def ip_to_fixed16(value):
    """Text address to the 16 bytes of an xfrm_address_t (v4 zero-padded)."""
    if value in (None, ""):
        return b"\0" * 16
    return ip_to_bytes(value).ljust(16, b"\0")
