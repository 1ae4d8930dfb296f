# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Neighbour entries (RTM_NEWNEIGH / RTM_DELNEIGH / RTM_GETNEIGH) for
nl_neigh: the ARP (IPv4) and NDP (IPv6) tables and their proxy tables.

A neighbour object, in the module's own input format (plain data)::

    {"dev": "eth0", "dst": "192.0.2.9", "proxy": False,
     "lladdr": "02:00:00:00:00:09", "nud": "permanent",
     "router": False, "extern_learn": False, "protocol": "static"}

Identity follows the kernel: an entry is (device, destination) in the
table of the destination's family, and a proxy entry (``ip neigh add
proxy``) is another table's, so the key is ``(dev, dst, proxy)``.  A proxy
entry has no lladdr and no state (``lladdr`` and ``nud`` are None).

``nud`` is the entry's state in iproute2's words (``permanent``,
``noarp``, ``reachable``, ``stale``, ... as the kernel reports it);
``protocol`` who made it (NDA_PROTOCOL, ``unspec`` when none was given).

What the kernel changes in place (measured on 6.18, ``ip neigh
replace``, NLM_F_CREATE | NLM_F_REPLACE): lladdr, nud, router and
extern_learn (a replace without them clears them), a proxy entry's router
flag, and protocol to another protocol.  A protocol is never taken away
(the kernel keeps the old one when none is sent), so going back to
``unspec`` needs delete + add (``fixed()``).

Every request is sent whole (``ip neigh replace`` of the object after
the change), which is also how a create goes: a dynamic entry the kernel
learned for the same destination is taken over, as ``ip neigh replace``
does.  The device goes by name (``ctx.ifindex``): an undo may have
re-created it with another index.  The static entries of a link that is
deleted are planned with it (``GoesWithLink``), and an undo adds them back.  The ``kernel`` block holds what the
input format does not say: the ifindex read, and NDA_FLAGS_EXT (``managed``)
carried over so an undo brings an entry back as it was.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress

from .. import contract
from ..netlink import const as C
from ..netlink.rtnl import neigh as N
from ..netlink.rtnl.route import RTPROT
from ..netlink.socket import Request
from .dies_with_link import DiesWithLink
from .enums import enum_number
from .iproute2 import CommandLabel, ip_words, quote
from .route import protocol_word

# The states a user sets: the static ones never change by themselves;
# a dynamic one (reachable, stale) is where the kernel's own resolution
# takes over (see tasks/neigh.py for how it is compared).
STATIC_NUD = ("permanent", "noarp")
DYNAMIC_NUD = ("reachable", "stale")
# The words of ``ndm_flags`` bits the object has a field for.
FLAG_FIELDS = (("router", N.NTF_ROUTER), ("extern_learn", N.NTF_EXT_LEARNED))
UNSPEC = RTPROT.name_of(0)


def family_of(obj):
    return 6 if ":" in obj["dst"] else 4


def kernel_of(obj):
    return (obj or {}).get("kernel") or {}


def nud_name(state):
    """ndm_state as one word: ``none`` for NUD_NONE, the state's name,
    or the number when it is none of the uapi's (several bits)."""
    if state == N.NUD_NONE:
        return "none"
    names = N.NUD.names_of(state)
    return names[0] if len(names) == 1 and N.NUD.bits[names[0]] == state else state


def is_static(obj):
    """A permanent or noarp entry: made by someone, never by resolution."""
    return obj.get("nud") in STATIC_NUD


def kernel_made(obj):
    """The noarp entries the kernel makes by itself for the multicast
    groups a device sends to (no protocol): made again when needed."""
    return obj.get("nud") == "noarp" and obj.get("protocol") == UNSPEC and ipaddress.ip_address(obj["dst"]).is_multicast


class GoesWithLink(DiesWithLink):
    """A link's neighbour entries go with it (the kernel flushes them when
    it goes down, permanent and proxy ones too): the static ones are
    planned, and re-added by an undo once the link is up again (so before
    the ``down`` step, like routes).  Learned entries and the kernel's own
    multicast ones are not: the kernel makes them again when needed."""

    role = "neigh"
    before = "down"

    def read(self, kind, ctx, gone):
        """Per gone link, one dump of its entries and one of its proxy
        entries, filtered by the kernel on the link."""
        def entries(index, name):
            return [obj for proxy in (False, True) for obj in kind.dump_dev(ctx, name, index, proxy)
                    if (obj["proxy"] or is_static(obj)) and not kernel_made(obj)]
        return self.deletes(kind, gone, entries)


class NeighKind(contract.ObjectKind):
    name = "neigh"
    dies_with = (GoesWithLink(),)
    control_fields = ("state", "kernel")

    def key(self, obj):
        return (obj["dev"], obj["dst"], bool(obj.get("proxy")))

    def label(self, obj):
        return "%s%s dev %s" % ("proxy " if obj.get("proxy") else "", obj["dst"], obj["dev"])

    def devices(self, obj):
        return tuple(n for n in (obj.get("dev"),) if isinstance(n, str))

    def fixed(self, desired, current, fields):
        """A protocol the kernel would keep: none (unspec) instead of one."""
        if "protocol" in fields and desired.get("protocol") == UNSPEC:
            return ["protocol"]
        return []

    # -- what a change sends ---------------------------------------------------

    def request(self, change, ctx):
        op = change["op"]
        obj = change["after"] if op != contract.DELETE else change["before"]
        try:
            index = ctx.ifindex(obj["dev"])
        except KeyError:
            raise contract.PlanError("dev: %r: no such device" % obj["dev"])
        header = {"family": C.AF_INET if family_of(obj) == 4 else C.AF_INET6, "ifindex": index,
                  "state": 0, "flags": N.NTF_PROXY if obj.get("proxy") else 0}
        label = CommandLabel(self, change, ctx)
        if op == contract.DELETE:
            return Request(C.RTM_DELNEIGH, 0, header, {"dst": obj["dst"]}, label)
        attrs = {}
        protocol = enum_number(RTPROT, obj.get("protocol"), "protocol") or 0
        if protocol:
            attrs["protocol"] = protocol
        attrs["dst"] = obj["dst"]
        for field, bit in FLAG_FIELDS:
            if obj.get(field):
                header["flags"] |= bit
        if obj.get("proxy"):
            header["state"] = N.NUD_PERMANENT   # what ip sends; a proxy entry keeps none
        else:
            header["state"] = N.NUD.bits[obj["nud"]]
            attrs["lladdr"] = obj["lladdr"]
        flags_ext = kernel_of(obj).get("flags_ext")
        if flags_ext:
            attrs["flags_ext"] = flags_ext
        return Request(C.RTM_NEWNEIGH, C.NLM_F_CREATE | C.NLM_F_REPLACE, header, attrs, label)

    def command(self, change, ctx):
        op = change["op"]
        obj = change["after"] if op != contract.DELETE else change["before"]
        words = ip_words(ctx) + ["neigh", "del" if op == contract.DELETE else "replace"]
        if obj.get("proxy"):
            words += ["proxy", obj["dst"]]
        else:
            words.append(obj["dst"])
            if op != contract.DELETE:
                words += ["lladdr", obj["lladdr"], "nud", obj["nud"]]
        words += ["dev", quote(obj["dev"])]
        if op == contract.DELETE:
            return " ".join(words)
        words += [field for field, _bit in FLAG_FIELDS if obj.get(field)]
        if kernel_of(obj).get("flags_ext", 0) & N.NTF_EXT_MANAGED:
            words.append("managed")
        if obj.get("protocol") not in (None, UNSPEC):
            words += ["protocol", protocol_word(obj["protocol"])]
        return " ".join(words)

    # -- kernel -> object --------------------------------------------------

    def from_msg(self, msg, dev):
        """The entry of one RTM_NEWNEIGH message on device ``dev``, or None
        for a family other than IPv4/IPv6 (the bridge FDB is nl_fdb's)."""
        h, a = msg.header, msg.attrs
        if h["family"] not in (C.AF_INET, C.AF_INET6) or a.get("dst") is None:
            return None
        proxy = bool(h["flags"] & N.NTF_PROXY)
        obj = {"dev": dev, "dst": a["dst"], "proxy": proxy,
               "lladdr": None if proxy else a.get("lladdr"),
               "nud": None if proxy else nud_name(h["state"])}
        for field, bit in FLAG_FIELDS:
            obj[field] = bool(h["flags"] & bit)
        obj["protocol"] = RTPROT.name_of(a.get("protocol", 0))
        kernel = {"ifindex": h["ifindex"]}
        if a.get("flags_ext"):
            kernel["flags_ext"] = a["flags_ext"]
        obj["kernel"] = kernel
        return obj

    # -- reads -------------------------------------------------------------

    def dump_dev(self, ctx, dev, index, proxy=False):
        """The entries of one device, ARP and NDP: one dump filtered by the
        kernel on NDA_IFINDEX (``proxy``: of the proxy tables)."""
        header = {"family": C.AF_UNSPEC, "flags": N.NTF_PROXY if proxy else 0}
        label = "ip neigh show %sdev %s" % ("proxy " if proxy else "", dev)
        out = []
        for msg in ctx.socket().dump(C.RTM_GETNEIGH, header, {"ifindex": index}, label=label):
            if msg.header["ifindex"] != index:
                continue  # kernels without strict dump filtering
            obj = self.from_msg(msg, dev)
            if obj is not None:
                out.append(obj)
        return out

    def read(self, ctx, objs):
        """The entries of the devices of ``objs`` (undo reads back what it
        restored): per device, one dump, and one of the proxy table when
        a proxy entry is among them."""
        out = {}
        wanted = {}
        for obj in objs:
            wanted.setdefault(obj["dev"], set()).add(bool(obj.get("proxy")))
        for dev in sorted(wanted):
            index = ctx.ifindex(dev, required=False)
            if index is None:
                continue
            for proxy in sorted(wanted[dev]):
                for obj in self.dump_dev(ctx, dev, index, proxy):
                    out[self.key(obj)] = obj
        return out

    def mismatch(self, expected, actual):
        """What a restore left different.  A dynamic entry's state moves on
        by itself (reachable turns stale): only its being dynamic counts."""
        want = dict(contract.public(expected))
        if want.get("nud") not in STATIC_NUD + (None,) and actual.get("nud") not in STATIC_NUD:
            want.pop("nud")
        return self.differs(want, actual)
