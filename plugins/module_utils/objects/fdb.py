# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Forwarding database entries (RTM_*NEIGH with family AF_BRIDGE, the
schema of netlink/rtnl/neigh.py) for nl_fdb: a bridge's FDB (``master``:
the entry is the bridge's, on one of its ports or on the bridge itself),
a device's own (``self``: a VXLAN device's remotes, a device's unicast
address list).

An FDB entry, in the module's own input format (plain data)::

    {"dev": "vx0", "mac": "00:00:00:00:00:00", "master": False, "vlan": None,
     "src_vni": None, "dst": "192.0.2.2", "vni": None, "port": None,
     "entry_state": "permanent", "sticky": False}

Identity follows the kernel: an entry is its device, MAC, whether it is
the bridge's (``master``) or the device's (``self``), its VLAN (bridge)
or source VNI (a VXLAN device in external mode).  The all-zero MAC (and a
multicast MAC) of a VXLAN device holds a list of remotes, one message
each (``bridge fdb append``): there ``dst`` is part of the identity too,
so the flood list is compared as a set, remote by remote.  A unicast
VXLAN entry has one remote, changed in place (``bridge fdb replace``).

``entry_state`` is iproute2's word: ``permanent`` (a bridge's local
entry: frames to it go up the bridge; on a VXLAN device, never aged),
``static`` (forwarded, never aged), ``dynamic`` (ages out as a learned
one).  ``vni`` and ``port`` are None when they are the VXLAN device's own
(the kernel does not report those); the task fills that in before it
compares.

The ``kernel`` block holds what the input format does not say: the
ifindex read, the remote's outgoing device (NDA_IFINDEX of a VXLAN
remote) and ``own`` for the entries the kernel makes by itself (a
device's own address in its bridge, the multicast addresses a device
joined): they are never planned.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from .. import contract
from ..netlink import const as C
from ..netlink.rtnl import neigh as N
from ..netlink.socket import Request
from .dies_with_link import DiesWithLink
from .iproute2 import CommandLabel, ip_words, quote

# iproute2's entry states and the ndm_state it sends for each
# (bridge/fdb.c: NUD_NOARP by default, "Assume permanent").
SENT_STATE = {
    "permanent": N.NUD_NOARP | N.NUD_PERMANENT,
    "static": N.NUD_NOARP | N.NUD_REACHABLE,
    "dynamic": N.NUD_REACHABLE,
}
ENTRY_STATES = ("permanent", "static", "dynamic")
OWNED_STATES = ("permanent", "static")
ZERO_MAC = "00:00:00:00:00:00"
# The attributes of a VXLAN remote, in the order ``bridge fdb`` prints them.
REMOTE_FIELDS = ("dst", "port", "vni")


def entry_state(state):
    """ndm_state as iproute2's word: the bridge reports local entries
    PERMANENT, static ones NOARP; a VXLAN device what was sent."""
    if state & N.NUD_PERMANENT:
        return "permanent"
    if state & N.NUD_NOARP:
        return "static"
    return "dynamic"


def is_multicast(mac):
    return int(mac[:2], 16) & 1 == 1


def is_flood(obj):
    """An entry of a remote list: the all-zero MAC (where unknown
    destinations go) or a multicast MAC of a VXLAN device."""
    return obj.get("dst") is not None and (obj["mac"] == ZERO_MAC or is_multicast(obj["mac"]))


def kernel_of(obj):
    return (obj or {}).get("kernel") or {}


def upper_addresses(links):
    """ifindex -> the addresses of the devices stacked on it (IFLA_LINK:
    a macvlan's, a VLAN's), from the links dump ``links``; a lower device
    in another namespace (IFLA_LINK_NETNSID) is not one of these."""
    out = {}
    for msg in links.values():
        lower, address = msg.attrs.get("link"), msg.attrs.get("address")
        if lower and address and lower != msg.header["index"] and "link_netnsid" not in msg.attrs:
            out.setdefault(lower, set()).add(address)
    return out


def is_owned(obj):
    """What ``replaced`` and a link's delete may take: a permanent or
    static entry someone added, not one the kernel made by itself."""
    return obj.get("entry_state") in OWNED_STATES and not kernel_of(obj).get("own")


class GoesWithLink(DiesWithLink):
    """A device's FDB entries go with it (its bridge forgets it; a VXLAN
    device's table is its own): the owned ones are planned, and re-added
    by an undo once the link is up again.  Learned entries and the
    kernel's own are not: the kernel makes them again."""

    role = "fdb"
    before = "down"

    def read(self, kind, ctx, gone):
        """Per gone link, one dump filtered by the kernel on it.  A gone
        bridge's entries on its ports go with it too (its FDB is flushed):
        its dump is filtered on it as the master instead, which holds its
        own entries and those on its ports, kept for the ports that stay
        (a port that goes too has them in its own)."""
        gone_index = set(pair[0] for pair in self.by_index(gone))

        def entries(index, name):
            link = gone[name] or {}
            if link.get("kind") == "bridge":
                ports = dict((at, msg.attrs.get("ifname")) for at, msg in ctx.links().items()
                             if msg.attrs.get("master") == index and at not in gone_index)
                objs = kind.dump_bridge(ctx, name, index, link.get("address"), ports)
            else:
                objs = kind.dump_dev(ctx, name, index, link.get("address"))
            return [obj for obj in objs if is_owned(obj)]
        return self.deletes(kind, gone, entries)


class FdbKind(contract.ObjectKind):
    name = "fdb"
    dies_with = (GoesWithLink(),)
    control_fields = ("state", "kernel")

    def key(self, obj):
        return (obj["dev"], obj["mac"], bool(obj.get("master")), obj.get("vlan"), obj.get("src_vni"),
                obj.get("dst") if is_flood(obj) else None)

    def label(self, obj):
        words = [obj["mac"], "dev", obj["dev"], "master" if obj.get("master") else "self"]
        for field in ("vlan", "src_vni", "dst"):
            if obj.get(field) is not None and (field != "dst" or is_flood(obj)):
                words += [field, str(obj[field])]
        return " ".join(words)

    def devices(self, obj):
        return tuple(n for n in (obj.get("dev"),) if isinstance(n, str))

    # -- what a change sends ---------------------------------------------------

    def request(self, change, ctx):
        op = change["op"]
        obj = change["after"] if op != contract.DELETE else change["before"]
        try:
            index = ctx.ifindex(obj["dev"])
        except KeyError:
            raise contract.PlanError("dev: %r: no such device" % obj["dev"])
        header = {"family": C.AF_BRIDGE, "ifindex": index, "state": 0,
                  "flags": N.NTF_MASTER if obj.get("master") else N.NTF_SELF}
        attrs = {"lladdr": obj["mac"]}
        for field in ("vlan", "src_vni") + REMOTE_FIELDS:
            if obj.get(field) is not None:
                attrs[field] = obj[field]
        via = kernel_of(obj).get("via")
        if via:
            attrs["ifindex"] = via
        label = CommandLabel(self, change, ctx)
        if op == contract.DELETE:
            # what ``bridge fdb del`` sends; a device's own address list
            # (the kernel's default FDB) deletes only with PERMANENT
            header["state"] = SENT_STATE["permanent"]
            return Request(C.RTM_DELNEIGH, 0, header, attrs, label)
        header["state"] = SENT_STATE[obj["entry_state"]]
        if obj.get("sticky"):
            header["flags"] |= N.NTF_STICKY
        # A remote list only takes appends (the kernel refuses to replace
        # one); an append of a remote it has updates its state and flags.
        flags = C.NLM_F_CREATE | (C.NLM_F_APPEND if is_flood(obj) else C.NLM_F_REPLACE)
        return Request(C.RTM_NEWNEIGH, flags, header, attrs, label)

    def command(self, change, ctx):
        op = change["op"]
        obj = change["after"] if op != contract.DELETE else change["before"]
        verb = "del" if op == contract.DELETE else "append" if is_flood(obj) else "replace"
        words = ip_words(ctx, tool="bridge") + ["fdb", verb, obj["mac"], "dev", quote(obj["dev"]),
                                                "master" if obj.get("master") else "self"]
        for field in ("vlan", "src_vni") + REMOTE_FIELDS:
            if obj.get(field) is not None:
                words += [field, str(obj[field])]
        via = kernel_of(obj).get("via")
        if via:
            words += ["via", quote(ctx.ifname(via) or via)]
        if op != contract.DELETE:
            words.append(obj["entry_state"])
            if obj.get("sticky"):
                words.append("sticky")
        return " ".join(words)

    # -- kernel -> object --------------------------------------------------

    def from_msg(self, msg, dev, own=None, uppers=()):
        """The entry of one AF_BRIDGE RTM_NEWNEIGH message on device
        ``dev`` whose own address is ``own`` and on which devices of the
        addresses ``uppers`` are stacked."""
        h, a = msg.header, msg.attrs
        mac = a.get("lladdr")
        # An entry the bridge holds for itself (``bridge fdb add MAC dev
        # br0 self``) comes back with NDA_MASTER its own index: it is the
        # device's own entry, as it was made.
        master = a.get("master") not in (None, h["ifindex"]) and not h["flags"] & N.NTF_SELF
        obj = {"dev": dev, "mac": mac, "master": master, "vlan": a.get("vlan"), "src_vni": a.get("src_vni"),
               "dst": a.get("dst"), "vni": a.get("vni"), "port": a.get("port"),
               "entry_state": entry_state(h["state"]), "sticky": bool(h["flags"] & N.NTF_STICKY)}
        kernel = {"ifindex": h["ifindex"]}
        if a.get("ifindex"):
            kernel["via"] = a["ifindex"]
        if self._kernel_made(obj, own, a, uppers):
            kernel["own"] = True
        obj["kernel"] = kernel
        return obj

    @staticmethod
    def _kernel_made(obj, own, attrs, uppers):
        """A device's own address in its bridge (and the bridge's own, on
        the bridge); and, in a device's own address list (no master, no
        remote), the multicast addresses it joined and the addresses of
        the devices stacked on it (a macvlan or VLAN with a MAC of its
        own puts it there: ``replaced`` must not take it from them)."""
        if obj["entry_state"] == "permanent" and own is not None and obj["mac"] == own and "master" in attrs:
            return True
        if obj["master"] or obj["dst"] is not None:
            return False
        return is_multicast(obj["mac"]) or (obj["entry_state"] == "permanent" and obj["mac"] in uppers)

    # -- reads -------------------------------------------------------------

    def dump_dev(self, ctx, dev, index, own):
        """The entries of one device, its bridge's on it and its own: one
        dump filtered by the kernel on NDA_IFINDEX (``bridge fdb show
        dev DEV``).  ``own``: the device's address (what marks the
        kernel's own entries)."""
        uppers = upper_addresses(ctx.links()).get(index, ())
        label = "bridge fdb show dev %s" % dev
        return [self.from_msg(msg, dev, own, uppers)
                for msg in ctx.socket().dump(C.RTM_GETNEIGH, {"family": C.AF_BRIDGE}, {"ifindex": index}, label=label)
                if msg.header["ifindex"] == index and msg.header["family"] == C.AF_BRIDGE]

    def dump_bridge(self, ctx, bridge, index, own, ports):
        """The entries of the bridge ``bridge`` (ifindex ``index``, address
        ``own``), as dump_dev reads them, and those it holds on its ports
        ``ports`` (ifindex -> name): one dump filtered by the kernel on
        NDA_MASTER (``bridge fdb show br BRIDGE``)."""
        links = ctx.links()
        uppers = upper_addresses(links)
        label = "bridge fdb show br %s" % bridge
        out = []
        for msg in ctx.socket().dump(C.RTM_GETNEIGH, {"family": C.AF_BRIDGE}, {"master": index}, label=label):
            at = msg.header["ifindex"]
            if msg.header["family"] != C.AF_BRIDGE:
                continue
            if at == index:
                out.append(self.from_msg(msg, bridge, own, uppers.get(at, ())))
            elif at in ports:
                obj = self.from_msg(msg, ports[at], links[at].attrs.get("address"), uppers.get(at, ()))
                if obj["master"]:  # the ports' own entries come too (a VXLAN port's remotes)
                    out.append(obj)
        return out

    def dump_all(self, ctx):
        """Every device's entries: one dump (``bridge fdb show``), for
        a gather that names no device."""
        links = ctx.links()
        uppers = upper_addresses(links)
        out = []
        for msg in ctx.socket().dump(C.RTM_GETNEIGH, {"family": C.AF_BRIDGE}, label="bridge fdb show"):
            index = msg.header["ifindex"]
            link = links.get(index)
            if link is not None and msg.header["family"] == C.AF_BRIDGE:
                out.append(self.from_msg(msg, link.attrs.get("ifname"), link.attrs.get("address"), uppers.get(index, ())))
        return out

    def read(self, ctx, objs):
        """The entries of the devices of ``objs`` (undo reads back what it
        restored): one dump per device."""
        out = {}
        for dev in sorted(set(obj["dev"] for obj in objs)):
            index = ctx.ifindex(dev, required=False)
            if index is None:
                continue
            link = ctx.links().get(index)
            for obj in self.dump_dev(ctx, dev, index, link.attrs.get("address") if link is not None else None):
                out[self.key(obj)] = obj
        return out

    def mismatch(self, expected, actual):
        """What a restore left different; a dynamic entry ages and may be
        learned elsewhere: only its being there counts."""
        want = dict(contract.public(expected))
        if want.get("entry_state") == "dynamic":
            return []
        return self.differs(want, actual)
