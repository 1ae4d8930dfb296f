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

from .. import reconcile
from ..netlink import const as C
from ..netlink.codec import ip_to_bytes
from ..netlink.rtnl.link import IFF_UP, IN6_ADDR_GEN_MODES
from ..netlink.socket import Request
from .iproute2 import ip_prefix, quote
from .link_kinds import SETTINGS, by_name

# Fields of the nl_link input format other than the per-kind blocks, in
# the order commands print them.
COMMON_FIELDS = ("mtu", "address", "txqueuelen", "master", "alias")


def vxlan_endpoints_from_kernel(data):
    """IFLA_VXLAN_GROUP(6) holds a multicast group or, when unicast, the
    remote; the two options are told apart by the address itself."""
    out = {}
    for attr in ("group", "group6"):
        addr = data.get(attr)
        if addr and addr not in ("0.0.0.0", "::"):
            mcast = (addr.startswith("ff") if ":" in addr else 224 <= int(addr.split(".")[0]) <= 239)
            out["group" if mcast else "remote"] = addr
    for attr in ("local", "local6"):
        addr = data.get(attr)
        if addr and addr not in ("0.0.0.0", "::"):
            out["local"] = addr
    return out


ADDR_GEN_MODE_NAMES = dict((v, k) for k, v in IN6_ADDR_GEN_MODES.items())
ADDR_GEN_NONE = IN6_ADDR_GEN_MODES["none"]


def bare_veth(name, peer):
    """A veth end as the kernel makes it when its peer is created: down,
    nothing set."""
    return {"name": name, "kind": "veth", "state": "down", "mtu": None, "address": None,
            "txqueuelen": None, "master": "", "alias": "", "link": None, "veth": {"peer": peer}}


class LinkKind(reconcile.ObjectKind):
    name = "link"
    ADDR_GEN_NONE = ADDR_GEN_NONE
    immutable_fields = ("kind", "link")

    def key(self, obj):
        return (obj["name"],)

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
            "address": a.get("address"),
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
        inet6 = (a.get("af_spec") or {}).get("inet6") or {}
        if "addr_gen_mode" in inet6:
            obj["kernel"]["addr_gen_mode"] = inet6["addr_gen_mode"]
        if kind == "veth":
            obj["veth"] = {"peer": None if other_netns else ctx.ifname(a.get("link"))}
            if not other_netns and a.get("link"):
                obj["kernel"]["peer_ifindex"] = a["link"]
        elif a.get("link") and not other_netns and a.get("link") != msg.header["index"]:
            obj["link"] = ctx.ifname(a.get("link"))
        if kind in SETTINGS and kind != "veth":
            block = {}
            for s in SETTINGS[kind]:
                if s.attr and s.attr in data:
                    block[s.name] = ctx.ifname(data[s.attr]) if s.type == "str" else s.from_kernel(data[s.attr])
            if kind == "vxlan":
                block.update(vxlan_endpoints_from_kernel(data))
            obj[kind] = block
        return obj

    # -- comparison -------------------------------------------------------

    def differs(self, desired, current):
        out = reconcile.ObjectKind.differs(self, desired, current)
        want = desired.get("state")
        if want in ("up", "down") and current.get("state") != want:
            out.append("state")
        return out

    def fixed(self, desired, current, fields):
        out = reconcile.ObjectKind.fixed(self, desired, current, fields)
        kind = current.get("kind")
        if kind in fields and kind in SETTINGS:
            have = current.get(kind) or {}
            for s in SETTINGS[kind]:
                want = desired[kind].get(s.name)
                if not s.mutable and want is not None and have.get(s.name) != want:
                    out.append("%s.%s" % (kind, s.name))
        return out

    def merged(self, desired, current):
        out = reconcile.ObjectKind.merged(self, desired, current)
        want = desired.get("state")
        out["state"] = want if want in ("up", "down") else current.get("state", "down")
        return out

    # -- requests ---------------------------------------------------------

    def request(self, change, ctx):
        ch = change
        op, before, after = ch["op"], ch["before"], ch["after"]
        if op == reconcile.DELETE:
            return Request(C.RTM_DELLINK, 0, {"family": C.AF_UNSPEC}, {"ifname": before["name"]},
                           label=self.command(ch, ctx))
        if op == reconcile.CREATE:
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
        # update: only the fields that differ
        header = {"family": C.AF_UNSPEC, "index": self._index(ctx, after["name"], "name")}
        if after.get("state") != before.get("state"):
            header.update(flags=IFF_UP if after["state"] == "up" else 0, change=IFF_UP)
        changed = [f for f in COMMON_FIELDS if after.get(f) is not None and after.get(f) != before.get(f)]
        attrs = self._common_attrs(after, ctx, fields=changed)
        mode = (after.get("kernel") or {}).get("addr_gen_mode")
        if mode is not None and mode != (before.get("kernel") or {}).get("addr_gen_mode"):
            attrs["af_spec"] = {"inet6": {"addr_gen_mode": mode}}
        kind = after.get("kind")
        if kind in SETTINGS and after.get(kind) != before.get(kind):
            old = before.get(kind) or {}
            delta = dict((k, v) for k, v in (after.get(kind) or {}).items() if v is not None and old.get(k) != v)
            data = self._kind_data(kind, delta, ctx, create=False)
            if data:
                attrs["linkinfo"] = {"kind": kind, "data": data}
        return Request(C.RTM_NEWLINK, 0, header, attrs, label=self.command(ch, ctx))

    def _index(self, ctx, name, option):
        index = ctx.ifindex(name, required=False)
        if index is None:
            raise reconcile.PlanError("%s=%s: no such link" % (option, name))
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
        rows = by_name(kind)
        data = {}
        for name, value in block.items():
            if value is None or name not in rows:
                continue
            s = rows[name]
            if create and value == s.default:
                continue
            if kind == "vxlan" and name in ("remote", "group", "local"):
                v6 = len(ip_to_bytes(value)) == 16
                attr = {"remote": "group", "group": "group", "local": "local"}[name]
                data[attr + ("6" if v6 else "")] = value
            elif kind == "vxlan" and name == "dev":
                data["link"] = self._index(ctx, value, "vxlan.dev")
            elif s.attr:
                data[s.attr] = s.to_kernel(value)
        return data

    # -- undo -------------------------------------------------------------

    def inverse(self, change):
        """Undoing a link's delete re-creates it; the kernel ignores an
        alias on creation, so that takes an update after it.  A veth peer
        that went with its veth comes back with the veth's re-creation,
        bare: its settings take an update."""
        ch = change
        implied = ch.get("implied") or {}
        if ch["op"] == reconcile.DELETE and implied.get("as") == "peer":
            bare = bare_veth(ch["before"]["name"], (ch["before"].get("veth") or {}).get("peer"))
            return [{"kind": self.name, "op": reconcile.UPDATE, "key": list(ch["key"]), "before": bare,
                     "after": ch["before"], "stage": ch["stage"]}]
        out = reconcile.ObjectKind.inverse(self, ch)
        peer = ((ch["after"] or {}).get("veth") or {}).get("peer") if ch["op"] == reconcile.CREATE else None
        if peer and not ch["after"]["veth"].get("peer_netns"):
            # Deleting the veth takes the peer its creation made.
            gone = {"kind": self.name, "op": reconcile.DELETE, "key": [peer], "stage": ch["stage"],
                    "before": bare_veth(peer, ch["after"]["name"]), "after": None}
            return [out, reconcile.implied(gone, out, "peer")]
        if out["op"] != reconcile.CREATE:
            return [out]
        want = out["after"]
        kernel = dict(want.get("kernel") or {})
        if not want.get("alias") and kernel.get("addr_gen_mode") is None:
            return [out]
        # What creation cannot set (the kernel ignores an alias and refuses
        # IFLA_AF_SPEC on RTM_NEWLINK with NLM_F_CREATE) takes an update.
        kernel.pop("addr_gen_mode", None)
        made = dict(want, alias="", kernel=kernel)
        return [dict(out, after=made),
                {"kind": self.name, "op": reconcile.UPDATE, "key": list(ch["key"]), "before": made,
                 "after": want, "stage": ch["stage"]}]

    def read(self, ctx, objs):
        ctx.forget_links()
        out = {}
        for msg in ctx.links().values():
            obj = self.from_msg(msg, ctx)
            out[self.key(obj)] = obj
        return out

    def mismatch(self, expected, actual):
        out = reconcile.ObjectKind.mismatch(self, expected, actual)
        want = (expected.get("kernel") or {}).get("ifindex")
        if want and want != (actual.get("kernel") or {}).get("ifindex"):
            out.append("ifindex (was %d, now %d)" % (want, actual["kernel"]["ifindex"]))
        if expected.get("state") != actual.get("state"):
            out.append("state")
        return out

    def after_stage(self, ctx, changes):
        if any(ch["op"] != reconcile.UPDATE for ch in changes):
            ctx.forget_links()

    # -- commands ---------------------------------------------------------

    def command(self, change, ctx):
        ch = change
        ip = ip_prefix(ctx)
        op, before, after = ch["op"], ch["before"], ch["after"]
        if op == reconcile.DELETE:
            return "%s link del dev %s" % (ip, quote(before["name"]))
        words = []
        if op == reconcile.CREATE:
            words = ["link", "add", quote(after["name"])]
            if after.get("link"):
                words += ["link", quote(after["link"])]
            fields = [f for f in COMMON_FIELDS if f != "alias"]
        else:
            words = ["link", "set", "dev", quote(after["name"])]
            fields = [f for f in COMMON_FIELDS if after.get(f) != before.get(f)]
        for f in fields:
            v = after.get(f)
            if v is None or (op == reconcile.CREATE and v == ""):
                continue
            if f == "master" and v == "":
                words.append("nomaster")
            else:
                words += [f, quote(str(v))]
        mode = (after.get("kernel") or {}).get("addr_gen_mode")
        if op == reconcile.UPDATE and mode is not None and mode != (before.get("kernel") or {}).get("addr_gen_mode"):
            words += ["addrgenmode", ADDR_GEN_MODE_NAMES.get(mode, str(mode))]
        if op == reconcile.CREATE and (after.get("kernel") or {}).get("ifindex"):
            words += ["index", str(after["kernel"]["ifindex"])]
        if after.get("state") == "up" and (op == reconcile.CREATE or before.get("state") != "up"):
            words.append("up")
        elif op == reconcile.UPDATE and after.get("state") == "down" and before.get("state") == "up":
            words.append("down")
        kind = after.get("kind")
        block = after.get(kind) or {}
        if op == reconcile.UPDATE:
            old = before.get(kind) or {}
            block = dict((k, v) for k, v in block.items() if old.get(k) != v)
        kind_words = self._kind_words(kind, block, op)
        if op == reconcile.CREATE or kind_words:
            words += ["type", kind] + kind_words
        return "%s %s" % (ip, " ".join(words))

    def _kind_words(self, kind, block, op):
        rows = by_name(kind)
        if op == reconcile.CREATE:
            block = dict((k, v) for k, v in block.items() if k not in rows or v != rows[k].default)
        words = []
        if kind == "veth":
            if op == reconcile.CREATE and block.get("peer"):
                words += ["peer", "name", quote(block["peer"])]
                if block.get("peer_netns"):
                    words += ["netns", quote(block["peer_netns"])]
            return words
        for s in SETTINGS.get(kind, ()):
            v = block.get(s.name)
            if v is not None:
                words += [quote(w) for w in s.ip_words(v)]
        return words
