# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Links (network interfaces) as engine objects: kernel message <-> the
nl_link input format, requests and equivalent ``ip link`` commands.

Equivalent to: ``ip link add NAME ... type KIND ...``, ``ip link set dev
NAME ...``, ``ip link del dev NAME``; add/set/del differ only in message
type and flags.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy

from .. import contract
from ..netlink import const as C
from ..netlink.rtnl.link import IFF_UP, IN6_ADDR_GEN_MODES
from ..netlink.socket import Request
from . import devconf, link_data, link_move, link_devconf
from .iproute2 import ip_prefix, quote
from .link_types import BRIDGE_PORT, SETTINGS, link_type

# Fields of the nl_link input format other than the per-kind blocks, in
# the order commands print them.
COMMON_FIELDS = ("mtu", "address", "txqueuelen", "master", "alias")


# Fields the kernel ignores when it creates a link: set by an update
# right after the create (IFLA_IFALIAS; IFLA_INFO_SLAVE_DATA, which needs
# the link to be a port already; the IP settings, which need the link's
# in_device, made when it registers).
SET_AFTER_CREATE = ("alias", "bridge_port") + tuple(devconf.BLOCKS)


ADDR_GEN_MODE_NAMES = dict((v, k) for k, v in IN6_ADDR_GEN_MODES.items())
ADDR_GEN_NONE = IN6_ADDR_GEN_MODES["none"]


def bare_link(name, kind=None, link=None):
    """A link with nothing set: down, no master, no alias, the kernel's
    defaults unknown (None)."""
    return {"name": name, "kind": kind, "state": "down", "mtu": None, "address": None,
            "txqueuelen": None, "master": "", "alias": "", "link": link}


def bare_veth(name, peer):
    """A veth end as the kernel makes it when its peer is created: down,
    nothing set."""
    return dict(bare_link(name, "veth"), veth={"peer": peer})


class LinkKind(contract.ObjectKind):
    name = "link"
    ADDR_GEN_NONE = ADDR_GEN_NONE
    immutable_fields = ("kind", "link")

    def key(self, obj):
        return (obj["name"],)

    def devices(self, obj):
        return tuple(n for n in (obj.get("name"),) if isinstance(n, str))

    # -- kernel -> input format -------------------------------------------

    def from_msg(self, msg, ctx):
        a = msg.attrs
        info = a.get("linkinfo") or {}
        kind = info.get("kind")
        obj = {
            "name": a.get("ifname"),
            "kind": kind,
            "state": "up" if msg.header["flags"] & IFF_UP else "down",
            "mtu": a.get("mtu"),
            # A MAC; an ip tunnel's IFLA_ADDRESS is its 4- or 16-byte
            # local address, which the address option does not take.
            "address": _mac(a.get("address")),
            "txqueuelen": a.get("txqlen"),
            "master": ctx.ifname(a.get("master")) or "",
            "alias": a.get("ifalias") or "",
            "link": None,
        }
        data = info.get("data")
        if not isinstance(data, dict):
            data = {}
        other_netns = "link_netnsid" in a
        # Not part of the input format, but what a re-creation needs to be
        # exact (an undo gives a deleted link its ifindex back).
        obj["kernel"] = {"ifindex": msg.header["index"]}
        af = a.get("af_spec") or {}
        inet6 = af.get("inet6") or {}
        if "addr_gen_mode" in inet6:
            obj["kernel"]["addr_gen_mode"] = inet6["addr_gen_mode"]
        link_devconf.decode_into(obj, af)
        if kind == "veth":
            obj["veth"] = {"peer": None if other_netns else ctx.ifname(a.get("link"))}
            if not other_netns and a.get("link"):
                obj["kernel"]["peer_ifindex"] = a["link"]
        elif a.get("link") and not other_netns and a.get("link") != msg.header["index"]:
            obj["link"] = ctx.ifname(a.get("link"))
        t = link_type(kind)
        if t is not None and t.settings and kind != "veth":
            obj[kind] = link_data.decode(t.settings, data, ctx.ifname)
            if t.send_defaults:
                # Its changelink resets what a request leaves out: keep
                # what the table does not express, to send it back.
                obj.setdefault("kernel", {})["info_data"] = link_data.extras(t.settings, data)
        slave = info.get("slave_data")
        if info.get("slave_kind") == "bridge" and isinstance(slave, dict):
            obj["bridge_port"] = link_data.decode(BRIDGE_PORT.settings, slave, ctx.ifname)
        return obj

    # -- comparison -------------------------------------------------------

    def differs(self, desired, current):
        current = link_devconf.with_implicit(current)
        out = contract.ObjectKind.differs(self, desired, current)
        want = desired.get("state")
        if want in ("up", "down") and current.get("state") != want:
            out.append("state")
        return out

    def fixed(self, desired, current, fields):
        out = contract.ObjectKind.fixed(self, desired, current, fields)
        kind = current.get("kind")
        if kind in fields and kind in SETTINGS:
            have = current.get(kind) or {}
            for s in SETTINGS[kind]:
                want = desired[kind].get(s.name)
                if not s.mutable and want is not None and have.get(s.name) != want:
                    out.append("%s.%s" % (kind, s.name))
        return out

    def merged(self, desired, current):
        out = contract.ObjectKind.merged(self, desired, current)
        want = desired.get("state")
        out["state"] = want if want in ("up", "down") else current.get("state", "down")
        if not out.get("master") and desired.get("bridge_port") is None:
            # Leaving its bridge, a link stops being a port.
            out["bridge_port"] = None
        return out

    # -- requests ---------------------------------------------------------

    def request(self, change, ctx):
        ch = change
        op, before, after = ch["op"], ch["before"], ch["after"]
        if op == contract.DELETE:
            return Request(C.RTM_DELLINK, 0, {"family": C.AF_UNSPEC}, {"ifname": before["name"]},
                           label=self.command(ch, ctx))
        if op == contract.CREATE:
            header = {"family": C.AF_UNSPEC}
            kernel = after.get("kernel") or {}
            if kernel.get("ifindex"):
                # Re-creating what was there (an undo): the same ifindex,
                # where the kernel still has it free.
                header["index"] = kernel["ifindex"]
            if after.get("state") == "up":
                header.update(flags=IFF_UP, change=IFF_UP)
            attrs = {"ifname": after["name"]}
            attrs.update(self._common_attrs(after, ctx, fields=("mtu", "address", "txqueuelen", "master")))
            if after.get("link"):
                attrs["link"] = self._index(ctx, after["link"], "link")
            attrs["linkinfo"] = {"kind": after["kind"]}
            data = self._kind_data(after["kind"], after.get(after["kind"]) or {}, ctx, create=True,
                                   kernel=kernel)
            if data:
                attrs["linkinfo"]["data"] = data
            return Request(C.RTM_NEWLINK, C.NLM_F_CREATE | C.NLM_F_EXCL, header, attrs,
                           label=self.command(ch, ctx))
        if link_move.direction(ch):
            return link_move.request(ch, ctx, self.command(ch, ctx))
        # update: only the fields that differ
        header = {"family": C.AF_UNSPEC, "index": self._index(ctx, after["name"], "name")}
        if after.get("state") != before.get("state"):
            header.update(flags=IFF_UP if after["state"] == "up" else 0, change=IFF_UP)
        changed = [f for f in COMMON_FIELDS if after.get(f) is not None and after.get(f) != before.get(f)]
        attrs = self._common_attrs(after, ctx, fields=changed)
        af_spec = link_devconf.af_spec(before, after)
        mode = (after.get("kernel") or {}).get("addr_gen_mode")
        if mode is not None and mode != (before.get("kernel") or {}).get("addr_gen_mode"):
            # Restoring the mode a re-created link had (inverse): exact.
            af_spec.setdefault("inet6", {})["addr_gen_mode"] = mode
        if af_spec:
            attrs["af_spec"] = af_spec
        kind = after.get("kind")
        linkinfo = {}
        if kind in SETTINGS and after.get(kind) != before.get(kind):
            if link_type(kind).send_defaults:
                # The kernel resets what is not sent: send the whole block.
                data = self._kind_data(kind, after.get(kind) or {}, ctx, create=False, kernel=after.get("kernel"))
            else:
                data = self._kind_data(kind, _delta(before.get(kind), after.get(kind)), ctx, create=False)
            if data:
                linkinfo.update(kind=kind, data=data)
        port = _delta(before.get("bridge_port"), after.get("bridge_port"))
        if port:
            linkinfo.update(slave_kind="bridge", slave_data=link_data.encode(
                BRIDGE_PORT.settings, port, lambda n, o: self._index(ctx, n, "bridge_port." + o), create=False))
        if linkinfo:
            attrs["linkinfo"] = linkinfo
        return Request(C.RTM_NEWLINK, 0, header, attrs, label=self.command(ch, ctx))

    def _index(self, ctx, name, option):
        index = ctx.ifindex(name, required=False)
        if index is None:
            raise contract.PlanError("%s=%s: no such link" % (option, name))
        return index

    def _common_attrs(self, obj, ctx, fields):
        attrs = {}
        for f in fields:
            v = obj.get(f)
            if v is None:
                continue
            if f == "mtu":
                attrs["mtu"] = v
            elif f == "address":
                attrs["address"] = v
            elif f == "txqueuelen":
                attrs["txqlen"] = v
            elif f == "alias":
                attrs["ifalias"] = v
            elif f == "master":
                attrs["master"] = self._index(ctx, v, "master") if v else 0
        return attrs

    def _kind_data(self, kind, block, ctx, create, kernel=None):
        if kind == "veth":
            if not create or not block.get("peer"):
                return None
            peer_attrs = {"ifname": block["peer"]}
            if block.get("peer_netns"):
                peer_attrs["net_ns_fd"] = ctx.netns_fd(block["peer_netns"])
            peer_header = {"family": C.AF_UNSPEC}
            if (kernel or {}).get("peer_ifindex") and (kernel or {}).get("ifindex"):
                # The kernel takes the peer's ifindex from this header only
                # when the link's own ifindex is given too (veth_newlink).
                peer_header["index"] = kernel["peer_ifindex"]
            return {"peer": {"header": peer_header, "attrs": peer_attrs}}
        t = link_type(kind)
        if t is None:
            return None
        base = (kernel or {}).get("info_data") if t.send_defaults else None
        return link_data.encode(t.settings, block, lambda name, option: self._index(ctx, name, kind + "." + option),
                                create, send_defaults=t.send_defaults, base=base)

    def split(self, change, writes=True):
        """``change`` as the requests the kernel needs: what it ignores on
        creation (SET_AFTER_CREATE) becomes an update right after the
        create, and bridge-port settings of a link that joins its bridge
        in this change go in an update after the one that sets the master
        (the kernel reads IFLA_INFO_SLAVE_DATA through the master the link
        has before the request).  ``writes``: the IP settings written
        through /proc/sys become sysctl changes after their link's
        (link_devconf.py)."""
        parts = self._split(change)
        return link_devconf.with_writes(parts) if writes else parts

    def _split(self, change):
        op, before, after = change["op"], change["before"], change["after"]
        if link_move.direction(change):
            return [change]
        if after is not None and after.get("bridge_port") and not after.get("master"):
            raise contract.PlanError("name=%s: bridge_port is given but the link has no bridge master"
                                     % after["name"])
        if op == contract.CREATE:
            later = [f for f in SET_AFTER_CREATE if after.get(f)]
        elif op == contract.UPDATE and after.get("master") != before.get("master"):
            later = [f for f in ("bridge_port",) if after.get(f) and after.get(f) != before.get(f)]
        else:
            later = []
        if not later:
            return [change]
        first = copy.deepcopy(after)
        for f in later:
            first[f] = before.get(f) if op == contract.UPDATE else ("" if f == "alias" else None)
        return [dict(change, after=first), contract.change(self, contract.UPDATE, first, after)]

    # -- undo -------------------------------------------------------------

    def inverse(self, change):
        """Undoing a link's delete re-creates it, then sets what creation
        cannot (``split``: an alias, bridge-port settings; and the IPv6
        address generation mode, which the kernel refuses on creation).  A
        veth peer that went with its veth comes back with the veth's
        re-creation, bare: its settings take an update.  Deleting a veth
        made by the plan takes its peer too."""
        ch = change
        if link_move.direction(ch):
            return contract.ObjectKind.inverse(self, ch)  # moved back: link_move.py
        implied = ch.get("implied") or {}
        if ch["op"] == contract.DELETE and implied.get("as") == "peer":
            bare = bare_veth(ch["before"]["name"], (ch["before"].get("veth") or {}).get("peer"))
            return self.split({"kind": self.name, "op": contract.UPDATE, "key": list(ch["key"]),
                               "before": bare, "after": ch["before"], "stage": ch["stage"]})
        out = contract.ObjectKind.inverse(self, ch)
        peer = ((ch["after"] or {}).get("veth") or {}).get("peer") if ch["op"] == contract.CREATE else None
        if peer and not ch["after"]["veth"].get("peer_netns"):
            gone = {"kind": self.name, "op": contract.DELETE, "key": [peer], "stage": ch["stage"],
                    "before": bare_veth(peer, ch["after"]["name"]), "after": None}
            return [out, contract.implied(gone, out, "peer")]
        # An update's IP settings written through /proc/sys were sysctl
        # changes of the plan, undone as such; a re-created link needs them.
        parts = self.split(out, writes=False)
        if out["op"] != contract.CREATE:
            return parts
        create = parts[0]
        kernel = dict(create["after"].get("kernel") or {})
        if kernel.pop("addr_gen_mode", None) is None:
            return link_devconf.with_writes(parts)
        made = dict(create["after"], kernel=kernel)
        return link_devconf.with_writes([
            dict(create, after=made),
            {"kind": self.name, "op": contract.UPDATE, "key": list(ch["key"]), "before": made,
             "after": out["after"], "stage": ch["stage"]}])

    def read(self, ctx, objs):
        ctx.forget_links()
        out = {}
        for msg in ctx.links().values():
            obj = self.from_msg(msg, ctx)
            out[self.key(obj)] = obj
        link_move.read_elsewhere(ctx, objs, out, self.from_msg)
        return out

    def mismatch(self, expected, actual):
        out = contract.ObjectKind.mismatch(self, expected, actual)
        want = (expected.get("kernel") or {}).get("ifindex")
        if want and want != (actual.get("kernel") or {}).get("ifindex"):
            out.append("ifindex (was %d, now %d)" % (want, actual["kernel"]["ifindex"]))
        if expected.get("state") != actual.get("state"):
            out.append("state")
        return out

    def after_stage(self, ctx, changes):
        if any(ch["op"] != contract.UPDATE or link_move.direction(ch) for ch in changes):
            ctx.forget_links()

    def sent_in(self, change):
        return link_move.sent_in(change)

    # -- commands ---------------------------------------------------------

    def command(self, change, ctx):
        ch = change
        if link_move.direction(ch):
            return link_move.command(ch, ctx)
        ip = ip_prefix(ctx)
        op, before, after = ch["op"], ch["before"], ch["after"]
        if op == contract.DELETE:
            return "%s link del dev %s" % (ip, quote(before["name"]))
        words = []
        if op == contract.CREATE:
            words = ["link", "add", quote(after["name"])]
            if after.get("link"):
                words += ["link", quote(after["link"])]
            fields = [f for f in COMMON_FIELDS if f != "alias"]
        else:
            words = ["link", "set", "dev", quote(after["name"])]
            fields = [f for f in COMMON_FIELDS if after.get(f) != before.get(f)]
        for f in fields:
            v = after.get(f)
            if v is None or (op == contract.CREATE and v == ""):
                continue
            if f == "master" and v == "":
                words.append("nomaster")
            else:
                words += [f, quote(str(v))]
        mode = (after.get("kernel") or {}).get("addr_gen_mode")
        if op == contract.UPDATE and mode is not None and mode != (before.get("kernel") or {}).get("addr_gen_mode"):
            words += ["addrgenmode", ADDR_GEN_MODE_NAMES.get(mode, str(mode))]
        if op == contract.CREATE and (after.get("kernel") or {}).get("ifindex"):
            words += ["index", str(after["kernel"]["ifindex"])]
        if after.get("state") == "up" and (op == contract.CREATE or before.get("state") != "up"):
            words.append("up")
        elif op == contract.UPDATE and after.get("state") == "down" and before.get("state") == "up":
            words.append("down")
        kind = after.get("kind")
        block = after.get(kind) or {}
        if op == contract.UPDATE:
            full, block = block, _delta(before.get(kind), block)
            t = link_type(kind)
            if block and t is not None:
                # iproute2 wants these on every `set` (and, for a type it
                # does not read back first, resets what is left out).
                block.update((k, full[k]) for k in t.ip_update_always if full.get(k) is not None)
        kind_words = self._kind_words(kind, block, op)
        if op == contract.CREATE or kind_words:
            words += ["type", kind] + kind_words
        line = "%s %s" % (ip, " ".join(words))
        conf = link_devconf.command(ctx, before if op == contract.UPDATE else None, after)
        if conf and op == contract.UPDATE and words == ["link", "set", "dev", quote(after["name"])]:
            return conf  # nothing but IP settings: the sysctl command alone
        if conf:
            line = "%s && %s" % (line, conf)
        port = _delta(before.get("bridge_port") if before else None, after.get("bridge_port"))
        if op == contract.UPDATE and port:
            port_words = link_data.words(BRIDGE_PORT.settings, port, create=False)
            if kind_words:
                # iproute2 takes one type per command: a second one for the port.
                second = "%s link set dev %s type bridge_slave %s" % (ip, quote(after["name"]), " ".join(port_words))
                return "%s && %s" % (line, second)
            line = "%s type bridge_slave %s" % (line, " ".join(port_words))
        return line

    def _kind_words(self, kind, block, op):
        create = op == contract.CREATE
        if kind == "veth":
            words = []
            if create and block.get("peer"):
                words += ["peer", "name", quote(block["peer"])]
                if block.get("peer_netns"):
                    words += ["netns", quote(block["peer_netns"])]
            return words
        t = link_type(kind)
        return link_data.words(t.settings, block, create) if t is not None else []


def _mac(address):
    return address if isinstance(address, str) and len(address) == 17 else None


def _delta(old, new):
    """The settings of block ``new`` that differ from block ``old``."""
    old = old or {}
    return dict((k, v) for k, v in (new or {}).items() if v is not None and old.get(k) != v)
