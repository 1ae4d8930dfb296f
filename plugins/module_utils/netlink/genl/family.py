# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""How a generic netlink family declares its messages (linux/genetlink.h).

Every message of a family has the same nlmsg_type, the family's id, which
the kernel assigns at run time (resolve.py asks nlctrl for it by name);
what a message is, is said by the command in its ``struct genlmsghdr``
(cmd, version, reserved), the family's fixed header.  A few families add
a header of their own after it (CTRL_ATTR_HDRSIZE): such a family
declares its header with ``genl_header(name, extra_fields)``.

A family is declared once, with explicit command numbers from its uapi
header, as a ``Family``: the command -> attribute set tables, one for what
user space sends (commands) and one for what the kernel sends (replies and
notifications).  The two are apart because some families number the two
directions separately (ethtool's ETHTOOL_MSG_*_GET and *_GET_REPLY), so
one number may mean a different message each way.  A family with one
attribute set for every command (nlctrl, WireGuard) gives it as ``attrs``.

``Family.body()`` is the ``schema.Body`` stand-in the socket uses for the
family's id: it reads the command byte and hands the message to that
command's Body, so encode and decode are the same declarations as every
rtnetlink message, unknown attributes kept, fast paths included.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ..errors import DecodeError
from ..schema import AttrSet, Body, Struct

# struct genlmsghdr: 4 bytes, so attributes follow at GENL_HDRLEN = 4.
GENLMSGHDR_FIELDS = [("cmd", "B"), ("version", "B"), ("reserved", "H")]
GENLMSGHDR = Struct("genlmsghdr", GENLMSGHDR_FIELDS)

# Attributes of a command nobody declared: all kept raw under their number.
NO_ATTRS = AttrSet("genl_unknown", [])


def genl_header(name, extra_fields):
    """The fixed header of a family with a user header of its own:
    genlmsghdr's fields, then ``extra_fields`` (Struct field list)."""
    return Struct(name, GENLMSGHDR_FIELDS + list(extra_fields))


class Family:
    """A generic netlink family's declaration.

    ``name``      the family name nlctrl knows (GENL_NAME: "nlctrl",
                  "wireguard", "ethtool");
    ``version``   the family version the declaration follows, sent in
                  every request's genlmsghdr (WG_GENL_VERSION...);
    ``attrs``     the attribute set of every command without its own;
    ``commands``  {cmd: AttrSet} of what user space sends;
    ``replies``   {cmd: AttrSet} of what the kernel sends (defaults to
                  ``commands``);
    ``header``    the fixed header (GENLMSGHDR, or genl_header(...));
    ``module``    the kernel module that provides the family, named in
                  the error when the kernel lacks it.
    """

    def __init__(self, name, version, attrs=None, commands=None, replies=None, header=GENLMSGHDR,
                 module=None):
        self.name = name
        self.version = version
        self.attrs = attrs
        self.commands = dict(commands or {})
        self.replies = dict(self.commands if replies is None else replies)
        self.header = header
        self.module = module
        self._bodies = {}

    def _table(self, sets):
        """cmd -> Body for ``sets``; one Body per attribute set, so commands
        sharing a set share its remembered shapes."""
        out = {}
        for cmd, aset in sets.items():
            body = self._bodies.get(id(aset))
            if body is None:
                body = self._bodies[id(aset)] = Body("%s/%s" % (self.name, aset.name), self.header, aset)
            out[cmd] = body
        return out

    def _fallback(self):
        aset = self.attrs if self.attrs is not None else NO_ATTRS
        return self._table({None: aset})[None]

    def body(self):
        """The Body stand-in for a socket: encodes commands, decodes
        replies."""
        return GenlBody(self.name, self.header, self._table(self.commands), self._table(self.replies),
                        self._fallback())

    def reply_body(self):
        """One that encodes and decodes what the kernel sends: golden
        captures re-encoded byte for byte, a kernel played by a test."""
        table = self._table(self.replies)
        return GenlBody(self.name, self.header, table, table, self._fallback())

    def __repr__(self):
        return "Family(%s)" % self.name


class GenlBody:
    """What the socket's schemas table holds for a family id: the
    ``schema.Body`` interface (decode_parts, encode_parts, decode, encode,
    header), dispatching on the command byte to that command's Body."""

    def __init__(self, name, header, encodes, decodes, fallback):
        self.name = name
        self.header = header
        self.attrs = fallback.attrs
        self.size = None
        self._encodes = encodes
        self._decodes = decodes
        self._fallback = fallback

    def decode_parts(self, buf, start, end):
        if end - start < self.header.size:
            raise DecodeError("%s: payload of %d bytes is shorter than its %s header"
                              % (self.name, end - start, self.header.name))
        return self._decodes.get(buf[start], self._fallback).decode_parts(buf, start, end)

    def body_for(self, cmd):
        """The Body that decodes a message of command ``cmd``."""
        return self._decodes.get(cmd, self._fallback)

    def encode_parts(self, header, attrs):
        cmd = (header or {}).get("cmd", 0)
        return self._encodes.get(cmd, self._fallback).encode_parts(header, attrs)

    def decode(self, buf, start, end):
        header, attrs = self.decode_parts(buf, start, end)
        return {"header": header, "attrs": attrs}

    def encode(self, value):
        return self.encode_parts(value.get("header"), value.get("attrs"))

    def __repr__(self):
        return "GenlBody(%s)" % self.name
