# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Generic netlink families by name: a NETLINK_GENERIC socket that asks
nlctrl for a family once, remembers the answer, and from then on encodes
and decodes the family's messages under the id the kernel gave it.

    sock = GenlSocket(netns)               # or ctx.socket(C.NETLINK_GENERIC)
    wg = sock.family(WIREGUARD)            # a Family declaration, or a name
    for msg in sock.dump(wg.id, wg.header(WG_CMD_GET_DEVICE), {"ifname": "wg0"}):
        ...
    sock.batch([wg.request(WG_CMD_SET_DEVICE, attrs, label="wg set wg0 ...")])

dump/get/request/batch are NetlinkSocket's own: a family's id is just
another key of the socket's schemas table (filled per socket, never in a
shared table, because ids are the running kernel's).  The ids are cached
per socket, hence per KernelContext: a family unloaded and loaded again
while a task runs (a new id) is not noticed.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import errno

from .. import const as C
from ..errors import FamilyNotFoundError, NetlinkError
from ..socket import NetlinkSocket, Request
from .ctrl import CTRL_CMD_GETFAMILY, GENL_CMD_CAP_DO, GENL_CMD_CAP_DUMP, NLCTRL
from .family import Family


class FamilyInfo:
    """What nlctrl says of one family: ``id`` (the nlmsg_type of its
    messages), ``version``, ``hdrsize`` (its user header after
    genlmsghdr), ``maxattr``, ``ops`` {command: GENL_* flags},
    ``mcast_groups`` {name: group id}; ``declaration`` is the Family its
    messages are encoded and decoded with (None: attributes kept raw)."""

    __slots__ = ("name", "id", "version", "hdrsize", "maxattr", "ops", "mcast_groups", "declaration")

    def __init__(self, name, family_id, version=0, hdrsize=0, maxattr=0, ops=None, mcast_groups=None,
                 declaration=None):
        self.name = name
        self.id = family_id
        self.version = version
        self.hdrsize = hdrsize
        self.maxattr = maxattr
        self.ops = dict(ops or {})
        self.mcast_groups = dict(mcast_groups or {})
        self.declaration = declaration

    @classmethod
    def from_attrs(cls, attrs, declaration=None):
        """From the attributes of a CTRL_CMD_NEWFAMILY message."""
        return cls(attrs.get("family_name"), attrs.get("family_id"), attrs.get("version", 0),
                   attrs.get("hdrsize", 0), attrs.get("maxattr", 0),
                   ((op.get("id"), op.get("flags", 0)) for op in attrs.get("ops") or ()),
                   ((g.get("name"), g.get("id")) for g in attrs.get("mcast_groups") or ()),
                   declaration)

    def supports(self, cmd, dump=False):
        """Whether the kernel offers command ``cmd`` (as a dump with ``dump``)."""
        return bool(self.ops.get(cmd, 0) & (GENL_CMD_CAP_DUMP if dump else GENL_CMD_CAP_DO))

    def header(self, cmd, **fields):
        """The fixed header of a request of command ``cmd``: genlmsghdr
        with the declaration's version (the kernel's, undeclared), plus
        ``fields`` of a family header of its own."""
        version = self.declaration.version if self.declaration is not None else self.version
        out = {"cmd": cmd, "version": version}
        out.update(fields)
        return out

    def request(self, cmd, attrs=None, flags=0, label=None, **fields):
        """A Request of command ``cmd`` for NetlinkSocket.request/batch."""
        return Request(self.id, flags, self.header(cmd, **fields), attrs, label)

    def __repr__(self):
        return "FamilyInfo(%s, id=%r, version=%r)" % (self.name, self.id, self.version)


class GenlSocket(NetlinkSocket):
    """A NETLINK_GENERIC socket (inside ``netns``) that knows nlctrl from
    the start and every family once ``family()`` resolved it."""

    def __init__(self, netns=None):
        super(GenlSocket, self).__init__(C.NETLINK_GENERIC, {C.GENL_ID_CTRL: NLCTRL.body()}, netns=netns)
        self._families = {}  # name -> FamilyInfo

    def family(self, which):
        """The FamilyInfo of ``which``, a Family declaration or a name,
        asked of nlctrl on first use (one CTRL_CMD_GETFAMILY) and cached.
        Its messages are then encoded and decoded by the declaration (by
        name only: genlmsghdr and raw attributes).  Raises
        FamilyNotFoundError, a clear message naming the family, when the
        kernel has none of that name."""
        decl = which if isinstance(which, Family) else None
        name = decl.name if decl is not None else which
        info = self._families.get(name)
        if info is None:
            info = self._families[name] = FamilyInfo.from_attrs(self._get_family(name, decl), decl)
        elif decl is not None and info.declaration is not decl:
            info.declaration = decl
        else:
            return info
        if decl is not None:
            self.schemas[info.id] = decl.body()
        elif info.id not in self.schemas:  # never replace a declaration (nlctrl's own)
            self.schemas[info.id] = Family(name, info.version).body()
        return info

    def _get_family(self, name, decl):
        label = "genl ctrl get name %s" % name
        try:
            msg = self.get(C.GENL_ID_CTRL, {"cmd": CTRL_CMD_GETFAMILY, "version": NLCTRL.version},
                           {"family_name": name}, label=label)
        except NetlinkError as exc:
            if exc.errno == errno.ENOENT:
                raise FamilyNotFoundError(name, getattr(decl, "module", None), request=exc.request)
            raise
        return msg.attrs

    def families(self):
        """Every family visible from this socket's namespace (one
        CTRL_CMD_GETFAMILY dump), as FamilyInfo in the kernel's order.
        Equivalent to: ``genl ctrl list``."""
        return self.dump(C.GENL_ID_CTRL, {"cmd": CTRL_CMD_GETFAMILY, "version": NLCTRL.version},
                         factory=lambda msg: FamilyInfo.from_attrs(msg.attrs), label="genl ctrl list")
