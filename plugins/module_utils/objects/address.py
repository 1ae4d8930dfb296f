# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""IP addresses (RTM_NEWADDR / RTM_DELADDR / RTM_GETADDR) for nl_addr.

An address object, in the module's own input format (plain data)::

    {"dev": "br0", "address": "192.0.2.10/24", "peer": None,
     "broadcast": None, "label": None, "scope": "global",
     "valid_lft": "forever", "preferred_lft": "forever",
     "noprefixroute": False, "nodad": False, "metric": 0}

Identity follows the kernel: (device, family, local, prefixlen), written
here as ``(dev, "local/prefixlen")`` (the family is the address's).

What the kernel can change in place (measured on 6.18, ``ip addr replace``):

- IPv4: lifetimes and metric only.  Peer, broadcast, label, scope and
  noprefixroute of an existing address are silently kept by
  NLM_F_REPLACE, so they are *immutable* here: changing one needs
  ``recreate: true`` (delete + add, said so in the diff).  A different
  peer is even a different kernel object (two ``10.0.0.1 peer X``
  addresses can coexist).
- IPv6: lifetimes, metric, flags (nodad, noprefixroute) and peer change in
  place.  The prefix length does not (``replace`` keeps the old one, ``add``
  says "address already assigned"): an IPv6 local has one prefix length, so
  a new prefix length for a listed local deletes the old one first.
- IPv6 has no labels, no broadcast, and its scope is derived from the
  address by the kernel: those options are refused for IPv6.

The kind is stateless.  What a faithful request needs that the input
format does not say lives in the object's ``kernel`` block, filled by
``from_msg`` (never compared, never shown)::

    "kernel": {"ifindex": 7, "flags": 0x300, "proto": 7, "secondary": False,
               "remaining": [valid, preferred], "age": 12.3, "read_at": 5021.7}

``remaining`` is what the kernel reported (seconds or "forever"; None for
a lifetime a change sets anew), ``age`` the seconds since the kernel last
set the lifetimes, ``read_at`` the CLOCK_BOOTTIME second of the read.  A
request re-sends an unchanged finite lifetime as ``remaining`` minus the
time elapsed since ``read_at`` (so a plan replayed later, by another
process, gives back what is left, not the full lifetime), and carries the
flags the module has no option for (mngtmpaddr, home, autojoin) and
IFA_PROTO over, on an update and on a create that re-adds an address that
was read.  The device goes by name (``ctx.ifindex``): an undo may have
re-created it with another index.

Which current address a desired one stands for, and in what order the
changes go (IPv4 secondaries), is the plan's business: ``tasks/address.py``
(params -> desired objects, reads, plan).
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress
import os
import time

from .. import contract
from ..netlink import const as C
from ..netlink.rtnl import addr as A
from ..netlink.socket import Request
from .dies_with_link import DiesWithLink
from .iproute2 import ip_words, quote

FOREVER = "forever"
INFINITY = A.INFINITY_LIFE_TIME
# Lifetimes count down in the kernel; the one "as set" is rebuilt from the
# remaining one and IFA_CACHEINFO's tstamp, within this many seconds.
LIFETIME_TOLERANCE = 2
LIFETIMES = ("valid_lft", "preferred_lft")

SCOPES = {"global": 0, "universe": 0, "site": 200, "link": 253, "host": 254, "nowhere": 255}
SCOPE_NAMES = {0: "global", 200: "site", 253: "link", 254: "host", 255: "nowhere"}

# IFA_PROTO values (linux/if_addr.h): addresses the kernel made itself.
IFAPROT_KERNEL_LO = 1
IFAPROT_KERNEL_RA = 2
IFAPROT_KERNEL_LL = 3

# iproute2's verbs and the netlink flags each one sends (ip/ipaddress.c,
# do_ipaddr): one table, so a command always names what its request did.
VERB_FLAGS = {
    "add": C.NLM_F_CREATE | C.NLM_F_EXCL,
    "change": C.NLM_F_REPLACE,
    "replace": C.NLM_F_CREATE | C.NLM_F_REPLACE,
}
# An update changes an address that exists (the kernel would create a
# missing one either way: neither family checks NLM_F_CREATE).
VERB_OF_OP = {contract.CREATE: "add", contract.UPDATE: "change"}

# Flags userspace may set that the module has no option for: carried over
# from the kernel block, with the word iproute2 takes for each.  The ones
# the kernel owns (secondary, tentative, dadfailed, deprecated, permanent,
# optimistic, stable-privacy) are not sent back.
CARRIED_FLAGS = ((A.IFA_F_MANAGETEMPADDR, "mngtmpaddr"), (A.IFA_F_HOMEADDRESS, "home"),
                 (A.IFA_F_MCAUTOJOIN, "autojoin"))

# What NLM_F_REPLACE keeps of an existing IPv4 address (see fixed()).
IMMUTABLE_V4 = ("peer", "broadcast", "label", "scope", "noprefixroute")


def _kernel_has_ifa_proto():
    """IFA_PROTO exists since Linux 6.3 (absent on a message: unspecified)."""
    try:
        major, minor = os.uname()[2].split("-")[0].split(".")[:2]
        return (int(major), int(minor)) >= (6, 3)
    except ValueError:
        return False


def boottime():
    """Seconds since boot on CLOCK_BOOTTIME (the clock of /proc/uptime),
    which the kernel's address timestamps also count in."""
    clock = getattr(time, "CLOCK_BOOTTIME", None)
    if clock is not None:
        try:
            return time.clock_gettime(clock)
        except OSError:
            pass
    with open("/proc/uptime") as f:
        return float(f.read().split()[0])


def lft_value(v):
    """A lifetime as the kernel takes it (seconds; forever: INFINITY)."""
    return INFINITY if v in (None, FOREVER) else v


def family_of(obj):
    return 6 if ":" in obj["address"] else 4


def local_of(obj):
    return obj["address"].split("/")[0]


def prefixlen_of(obj):
    return int(obj["address"].split("/")[1])


def default_scope(obj):
    """The scope iproute2 gives an address added without one
    (ip/ipaddress.c default_scope): host for IPv4 127.0.0.0/8, else
    global.  None for IPv6 (the kernel derives it)."""
    if family_of(obj) != 4:
        return None
    return "host" if local_of(obj).split(".")[0] == "127" else "global"


def kernel_of(obj):
    return (obj or {}).get("kernel") or {}


# -- what goes with a link ---------------------------------------------------

class GoesWithLink(DiesWithLink):
    """A link's addresses go with it.  None comes back by itself: even the
    kernel-made IPv6 link-locals are added back as they were (the link
    cascade's ``down`` step keeps them from being made anew; see
    tasks/link_cascade.goes_down)."""

    role = "address"
    after = "down"

    def read(self, kind, ctx, gone):
        uptime = boottime()
        out = {}
        for index, name in self.by_index(gone):
            for msg in ctx.socket().dump(C.RTM_GETADDR, {"family": C.AF_UNSPEC, "index": index},
                                         label="ip addr show dev %s" % name):
                obj = kind.from_msg(msg, name, uptime) if msg.header["index"] == index else None
                if obj is not None:
                    out.setdefault(name, []).append(contract.change(kind, contract.DELETE, obj, None,
                                                                    "goes with link %s" % name))
        # Undo re-adds in reverse plan order.  IPv4: in dump order (the primary
        # of a subnet first, so it is primary again); IPv6: oldest first (the
        # kernel lists an address before older ones of the same scope).
        for name, changes in out.items():
            v4 = [ch for ch in changes if ":" not in ch["before"]["address"]]
            v6 = [ch for ch in changes if ":" in ch["before"]["address"]]
            out[name] = list(reversed(v4)) + v6
        return out


# -- the object kind ---------------------------------------------------------

class AddressKind(contract.ObjectKind):
    name = "address"
    dies_with = (GoesWithLink(),)
    immutable_fields = ()  # per family: see fixed()
    control_fields = ("state", "dev", "kernel")

    def key(self, obj):
        return (obj["dev"], obj["address"])

    def devices(self, obj):
        return tuple(n for n in (obj.get("dev"),) if isinstance(n, str))

    def fixed(self, desired, current, fields):
        """What NLM_F_REPLACE silently keeps: for IPv4 peer, broadcast,
        label, scope and noprefixroute; nothing for IPv6."""
        return [f for f in fields if f in IMMUTABLE_V4] if family_of(current) == 4 else []

    def differs(self, desired, current):
        out = []
        for field in contract.ObjectKind.differs(self, desired, current):
            want, have = desired[field], current.get(field)
            if field in LIFETIMES and self._same_lifetime(field, want, current):
                continue
            if field in ("noprefixroute", "nodad") and not want and not have:
                continue
            if field == "metric" and not want and not have:
                continue
            if field == "scope" and have is None and want == default_scope(current):
                continue
            out.append(field)
        return out

    @staticmethod
    def _same_lifetime(field, want, current):
        """A lifetime as set ``want`` against the current one, which the
        kernel counts down: equal within LIFETIME_TOLERANCE; and a lifetime
        that has run out (remaining 0: the kernel no longer knows what it
        was set to) stands for any value that would have run out by now,
        so it is not re-sent on every run."""
        have = current.get(field)
        if not isinstance(want, int) or not isinstance(have, int):
            return False
        if abs(want - have) <= LIFETIME_TOLERANCE:
            return True
        k = kernel_of(current)
        remaining = (k.get("remaining") or [None, None])[LIFETIMES.index(field)]
        return remaining == 0 and want <= k.get("age", 0) + LIFETIME_TOLERANCE

    def merged(self, desired, current):
        """``current`` with ``desired`` applied.  A lifetime the change sets
        anew loses its remaining time in the kernel block (it is sent as
        given); one it keeps goes on counting down."""
        out = contract.ObjectKind.merged(self, desired, current)
        out["dev"] = desired.get("dev") or current.get("dev")
        remaining = kernel_of(out).get("remaining")
        if remaining:
            remaining = list(remaining)
            for i, field in enumerate(LIFETIMES):
                want = desired.get(field)
                if want is not None and want != current.get(field) and not self._same_lifetime(field, want, current):
                    remaining[i] = None
            out["kernel"]["remaining"] = remaining
        return out

    # -- what a change sends ---------------------------------------------------

    def wire(self, change):
        """What the request for ``change`` carries, as plain values: the
        one source of both ``request()`` and ``command()``."""
        op = change["op"]
        obj = change["after"] if op != contract.DELETE else change["before"]
        out = {"op": op, "obj": obj, "family": family_of(obj), "verb": VERB_OF_OP.get(op, "del")}
        if op == contract.DELETE:
            return out
        k = kernel_of(obj)
        flags = 0
        if obj.get("nodad"):
            flags |= A.IFA_F_NODAD
        if obj.get("noprefixroute"):
            flags |= A.IFA_F_NOPREFIXROUTE
        for bit, _word in CARRIED_FLAGS:
            flags |= k.get("flags", 0) & bit
        out["flags"] = flags
        out["proto"] = k.get("proto") or None
        scope = obj.get("scope")
        out["scope"] = default_scope(obj) if scope is None else scope
        valid, preferred = obj.get("valid_lft"), obj.get("preferred_lft")
        remaining = k.get("remaining")
        if remaining:
            # What is left of a lifetime the kernel was counting down,
            # now: the plan may be replayed long after it was read.
            elapsed = int(max(0.0, boottime() - k.get("read_at", 0.0)))
            if remaining[0] not in (None, FOREVER):
                valid = max(1, remaining[0] - elapsed)
            if remaining[1] not in (None, FOREVER):
                preferred = max(0, remaining[1] - elapsed)
        if lft_value(preferred) > lft_value(valid):
            preferred = valid
        out["valid"], out["preferred"] = valid or FOREVER, FOREVER if preferred is None else preferred
        return out

    def request(self, change, ctx):
        w = self.wire(change)
        obj = w["obj"]
        try:
            index = ctx.ifindex(obj["dev"])
        except KeyError:
            raise contract.PlanError("dev: %r: no such device" % obj["dev"])
        header = {"family": C.AF_INET if w["family"] == 4 else C.AF_INET6, "prefixlen": prefixlen_of(obj),
                  "index": index, "scope": 0, "flags": 0}
        local = local_of(obj)
        attrs = {"local": local, "address": obj.get("peer") or local}
        label = self.command(change, ctx)
        if w["op"] == contract.DELETE:
            return Request(C.RTM_DELADDR, 0, header, attrs, label)
        header["flags"] = w["flags"] & 0xFF
        attrs["flags"] = w["flags"]
        if w["proto"]:
            attrs["proto"] = w["proto"]
        scope = w["scope"]
        header["scope"] = SCOPES.get(scope, scope) if scope is not None else 0
        if w["family"] == 4:
            if obj.get("broadcast"):
                attrs["broadcast"] = obj["broadcast"]
            attrs["label"] = obj.get("label") or obj["dev"]
        if obj.get("metric"):
            attrs["rt_priority"] = obj["metric"]
        attrs["cacheinfo"] = {"valid": lft_value(w["valid"]), "preferred": lft_value(w["preferred"]),
                              "cstamp": 0, "tstamp": 0}
        return Request(C.RTM_NEWADDR, VERB_FLAGS[w["verb"]], header, attrs, label)

    def command(self, change, ctx):
        w = self.wire(change)
        obj = w["obj"]
        local, plen = local_of(obj), prefixlen_of(obj)
        if obj.get("peer"):
            words = [local, "peer", "%s/%d" % (obj["peer"], plen)]
        else:
            words = [obj["address"]]
        words += ["dev", quote(obj["dev"])]
        ip = ip_words(ctx) + ["addr", w["verb"]]
        if w["op"] == contract.DELETE:
            return " ".join(ip + words)
        if w["family"] == 4 and obj.get("broadcast"):
            words += ["broadcast", obj["broadcast"]]
        if w["family"] == 4 and obj.get("label") and obj["label"] != obj["dev"]:
            words += ["label", quote(obj["label"])]
        if w["scope"] != default_scope(obj):
            words += ["scope", str(w["scope"])]
        if (w["valid"], w["preferred"]) != (FOREVER, FOREVER):
            words += ["valid_lft", str(w["valid"]), "preferred_lft", str(w["preferred"])]
        if obj.get("noprefixroute"):
            words.append("noprefixroute")
        if obj.get("nodad"):
            words.append("nodad")
        words += [word for bit, word in CARRIED_FLAGS if w["flags"] & bit]
        if w["proto"]:
            words += ["proto", str(w["proto"])]
        if obj.get("metric"):
            words += ["metric", str(obj["metric"])]
        return " ".join(ip + words)

    # -- kernel -> object --------------------------------------------------

    def from_msg(self, msg, dev, uptime):
        """The address object for one RTM_NEWADDR message, in input format,
        kernel defaults left out, with its ``kernel`` block.  ``uptime`` is
        boottime() when the message was read."""
        h, a = msg.header, msg.attrs
        fam = 4 if h["family"] == C.AF_INET else 6 if h["family"] == C.AF_INET6 else None
        if fam is None:
            return None
        local = a.get("local") or a.get("address")
        peer = a.get("address") if a.get("local") is not None and a.get("address") not in (None, a.get("local")) else None
        flags = a.get("flags", h["flags"])
        obj = {"dev": dev, "address": "%s/%d" % (local, h["prefixlen"])}
        if peer:
            obj["peer"] = peer
        if fam == 4:
            if a.get("broadcast"):
                obj["broadcast"] = a["broadcast"]
            obj["label"] = a.get("label") or dev
            obj["scope"] = SCOPE_NAMES.get(h["scope"], h["scope"])
        kernel = {"ifindex": h["index"], "flags": flags, "proto": a.get("proto"),
                  "secondary": bool(flags & A.IFA_F_SECONDARY), "read_at": uptime}
        ci = a.get("cacheinfo")
        if ci and (ci["valid"], ci["preferred"]) != (INFINITY, INFINITY):
            age = max(0.0, uptime - ci["tstamp"] / 100.0)
            kernel["age"] = round(age, 2)
            remaining = [FOREVER if v == INFINITY else v for v in (ci["valid"], ci["preferred"])]
            kernel["remaining"] = remaining
            obj["valid_lft"] = self._as_set(remaining[0], age, 1)
            # A preferred lifetime that ran out (deprecated) reads 0: what
            # it was set to is gone, and 0 is what reproduces it.
            obj["preferred_lft"] = self._as_set(remaining[1], age, 0) if remaining[1] != 0 else 0
        else:
            obj["valid_lft"] = obj["preferred_lft"] = FOREVER
            if fam == 4 and flags & A.IFA_F_DEPRECATED:
                # IPv4 reports no lifetimes for a permanent address; set
                # with preferred_lft 0, it carries the deprecated flag.
                obj["preferred_lft"] = 0
                kernel["remaining"] = [FOREVER, 0]
                kernel["age"] = 0.0
        obj["noprefixroute"] = bool(flags & A.IFA_F_NOPREFIXROUTE)
        if fam == 6:
            obj["nodad"] = bool(flags & A.IFA_F_NODAD)
        obj["metric"] = a.get("rt_priority", 0)
        obj["kernel"] = kernel
        return obj

    @staticmethod
    def _as_set(remaining, age, least):
        if remaining == FOREVER:
            return FOREVER
        return max(least, int(remaining + age + 0.5))

    # -- read back (undo checks what it restored) ---------------------------

    def read(self, ctx, objs):
        """The addresses of the devices of ``objs``: one dump filtered by
        ifindex per device that exists."""
        out = {}
        now = boottime()
        for dev in sorted(set(o["dev"] for o in objs)):
            index = ctx.ifindex(dev, required=False)
            if index is None:
                continue
            for msg in ctx.socket().dump(C.RTM_GETADDR, {"family": C.AF_UNSPEC, "index": index},
                                         label="ip addr show dev %s" % dev):
                if msg.header["index"] != index:
                    continue
                obj = self.from_msg(msg, dev, now)
                if obj is not None:
                    out[self.key(obj)] = obj
        return out

    def mismatch(self, expected, actual):
        """What a restore left different.  Lifetimes are compared by what
        remains (a restored address counts down from what remained, so its
        lifetime "as set" is shorter); flags and IFA_PROTO the request
        carries are compared too."""
        want = dict((k, v) for k, v in contract.public(expected).items() if k not in LIFETIMES)
        out = self.differs(want, actual)
        wk, hk = kernel_of(expected), kernel_of(actual)
        spent = max(0.0, hk.get("read_at", 0.0) - wk.get("read_at", 0.0))
        for field, was, now in zip(LIFETIMES, wk.get("remaining") or (), hk.get("remaining") or ()):
            if was == FOREVER or now == FOREVER:
                if was != now:
                    out.append(field)
            elif abs((was - spent) - now) > LIFETIME_TOLERANCE + 1:
                out.append(field)
        carried = 0
        for bit, _word in CARRIED_FLAGS:
            carried |= bit
        if (wk.get("flags", 0) ^ hk.get("flags", 0)) & carried:
            out.append("flags")
        if wk.get("proto") != hk.get("proto"):
            out.append("proto")
        return out

    def kernel_made(self, obj):
        """Addresses the kernel made itself: IPv6 link-local (and loopback),
        by IFA_PROTO where the kernel reports it (6.3+), else by address."""
        proto = kernel_of(obj).get("proto")
        if proto in (IFAPROT_KERNEL_LO, IFAPROT_KERNEL_LL):
            return True
        ip = ipaddress.ip_interface(obj["address"])
        if obj["dev"] == "lo" and str(ip) in ("127.0.0.1/8", "::1/128"):
            return True  # IPv4's is not marked (6.18)
        if proto or _kernel_has_ifa_proto():
            return False  # 6.3+ marks what it made; no mark: made by someone
        return ip.version == 6 and ip.ip in ipaddress.ip_network("fe80::/64") and ip.network.prefixlen == 64
