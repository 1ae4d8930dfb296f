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

Which current address a desired one stands for, and in what order the
changes go (IPv4 secondaries), is the plan's business: ``tasks/address.py``
(params -> desired objects, reads, plan).
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress
import os

from .. import reconcile
from ..netlink import const as C
from ..netlink.rtnl import addr as A
from ..netlink.socket import Request

FOREVER = "forever"
INFINITY = A.INFINITY_LIFE_TIME
# Lifetimes count down in the kernel; the one "as set" is rebuilt from the
# remaining one and IFA_CACHEINFO's tstamp, within this many seconds.
LIFETIME_TOLERANCE = 2

SCOPES = {"global": 0, "universe": 0, "site": 200, "link": 253, "host": 254, "nowhere": 255}
SCOPE_NAMES = {0: "global", 200: "site", 253: "link", 254: "host", 255: "nowhere"}

# IFA_PROTO values (linux/if_addr.h): addresses the kernel made itself.
IFAPROT_KERNEL_LO = 1
IFAPROT_KERNEL_RA = 2
IFAPROT_KERNEL_LL = 3

# Flags this module sets; flags the kernel owns (tentative, dadfailed,
# permanent, secondary, deprecated, optimistic) are never compared.
_MANAGED_FLAGS = A.IFA_F_NODAD | A.IFA_F_NOPREFIXROUTE
# Flags of an existing address an in-place update must carry over.
_KEPT_FLAGS = (A.IFA_F_MANAGETEMPADDR | A.IFA_F_MCAUTOJOIN | A.IFA_F_HOMEADDRESS
               | A.IFA_F_OPTIMISTIC | A.IFA_F_STABLE_PRIVACY)

# What NLM_F_REPLACE keeps of an existing IPv4 address (see fixed()).
IMMUTABLE_V4 = ("peer", "broadcast", "label", "scope", "noprefixroute")


def _kernel_has_ifa_proto():
    """IFA_PROTO exists since Linux 6.3 (absent on a message: unspecified)."""
    try:
        major, minor = os.uname()[2].split("-")[0].split(".")[:2]
        return (int(major), int(minor)) >= (6, 3)
    except ValueError:
        return False


def lft_value(v):
    """A lifetime as the kernel takes it (seconds; forever: INFINITY)."""
    return INFINITY if v in (None, FOREVER) else v


def family_of(obj):
    return 6 if ":" in obj["address"] else 4


def local_of(obj):
    return obj["address"].split("/")[0]


def prefixlen_of(obj):
    return int(obj["address"].split("/")[1])


# -- the object kind ---------------------------------------------------------

class AddressKind(reconcile.ObjectKind):
    name = "address"
    immutable_fields = ()  # per family: see fixed()
    control_fields = ("state", "dev")

    def __init__(self):
        self.index = {}   # dev -> ifindex, filled by reads
        self.extra = {}   # key -> {"flags", "proto", "remaining": (valid, preferred)}

    def key(self, obj):
        return (obj["dev"], obj["address"])

    def fixed(self, desired, current, fields):
        """What NLM_F_REPLACE silently keeps: for IPv4 peer, broadcast,
        label, scope and noprefixroute; nothing for IPv6."""
        return [f for f in fields if f in IMMUTABLE_V4] if family_of(current) == 4 else []

    def differs(self, desired, current):
        out = []
        for field in reconcile.ObjectKind.differs(self, desired, current):
            want, have = desired[field], current.get(field)
            if field in ("valid_lft", "preferred_lft") and isinstance(want, int) and isinstance(have, int) \
                    and abs(want - have) <= LIFETIME_TOLERANCE:
                continue
            if field in ("noprefixroute", "nodad") and not want and not have:
                continue
            if field == "metric" and not want and not have:
                continue
            if field == "scope" and want == "global" and have is None:
                continue
            out.append(field)
        return out

    def merged(self, desired, current):
        out = reconcile.ObjectKind.merged(self, desired, current)
        out["dev"] = desired.get("dev") or current.get("dev")
        return out

    def _ifindex(self, ctx, dev):
        idx = self.index.get(dev)
        if idx is None:
            idx = ctx.ifindex(dev)
            self.index[dev] = idx
        return idx

    def request(self, change, ctx):
        op = change["op"]
        obj = change["after"] if op != reconcile.DELETE else change["before"]
        fam = family_of(obj)
        header = {"family": C.AF_INET if fam == 4 else C.AF_INET6, "prefixlen": prefixlen_of(obj),
                  "index": self._ifindex(ctx, obj["dev"]), "scope": 0, "flags": 0}
        local = local_of(obj)
        attrs = {"local": local, "address": obj.get("peer") or local}
        label = self.command(change, ctx)
        if op == reconcile.DELETE:
            return Request(C.RTM_DELADDR, 0, header, attrs, label)
        extra = self.extra.get(self.key(obj), {})
        flags = 0
        if obj.get("nodad"):
            flags |= A.IFA_F_NODAD
        if obj.get("noprefixroute"):
            flags |= A.IFA_F_NOPREFIXROUTE
        if op == reconcile.UPDATE:
            flags |= extra.get("flags", 0) & _KEPT_FLAGS
            if extra.get("proto"):
                attrs["proto"] = extra["proto"]
        header["flags"] = flags & 0xFF
        attrs["flags"] = flags
        scope = obj.get("scope")
        header["scope"] = SCOPES.get(scope, scope) if scope is not None else 0
        if fam == 4:
            if obj.get("broadcast"):
                attrs["broadcast"] = obj["broadcast"]
            attrs["label"] = obj.get("label") or obj["dev"]
        if obj.get("metric"):
            attrs["rt_priority"] = obj["metric"]
        valid, preferred = obj.get("valid_lft"), obj.get("preferred_lft")
        if op == reconcile.UPDATE and change["before"] is not None and "remaining" in extra:
            # A lifetime the update does not change keeps counting down:
            # send what remains of it, not the value it was set to.
            before = change["before"]
            rv, rp = extra["remaining"]
            if valid == before.get("valid_lft") and valid != FOREVER:
                valid = rv
            if preferred == before.get("preferred_lft") and preferred != FOREVER:
                preferred = rp
        attrs["cacheinfo"] = {"valid": lft_value(valid), "preferred": lft_value(preferred),
                              "cstamp": 0, "tstamp": 0}
        flags = C.NLM_F_REPLACE if op == reconcile.UPDATE else C.NLM_F_CREATE | C.NLM_F_EXCL
        return Request(C.RTM_NEWADDR, flags, header, attrs, label)

    def command(self, change, ctx):
        op = change["op"]
        obj = change["after"] if op != reconcile.DELETE else change["before"]
        fam = family_of(obj)
        local, plen = local_of(obj), prefixlen_of(obj)
        if obj.get("peer"):
            words = [local, "peer", "%s/%d" % (obj["peer"], plen)]
        else:
            words = [obj["address"]]
        words += ["dev", obj["dev"]]
        ip = ["ip", "-n", ctx.netns] if getattr(ctx, "netns", None) else ["ip"]
        if op == reconcile.DELETE:
            return " ".join(ip + ["addr", "del"] + words)
        if fam == 4 and obj.get("broadcast"):
            words += ["broadcast", obj["broadcast"]]
        if fam == 4 and obj.get("label") and obj["label"] != obj["dev"]:
            words += ["label", obj["label"]]
        if obj.get("scope") not in (None, "global"):
            words += ["scope", str(obj["scope"])]
        if obj.get("valid_lft") not in (None, FOREVER) or obj.get("preferred_lft") not in (None, FOREVER):
            words += ["valid_lft", str(obj.get("valid_lft") or FOREVER),
                      "preferred_lft", str(obj.get("preferred_lft") if obj.get("preferred_lft") is not None else FOREVER)]
        if obj.get("noprefixroute"):
            words.append("noprefixroute")
        if obj.get("nodad"):
            words.append("nodad")
        if obj.get("metric"):
            words += ["metric", str(obj["metric"])]
        verb = "replace" if op == reconcile.UPDATE else "add"
        return " ".join(ip + ["addr", verb] + words)

    # -- kernel -> object --------------------------------------------------

    def from_msg(self, msg, dev, uptime):
        """The address object for one RTM_NEWADDR message, in input format,
        kernel defaults left out (None keys dropped)."""
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
        ci = a.get("cacheinfo")
        remaining = None
        if ci:
            elapsed = max(0.0, uptime - ci["tstamp"] / 100.0)
            obj["valid_lft"] = self._as_set(ci["valid"], elapsed)
            obj["preferred_lft"] = self._as_set(ci["preferred"], elapsed)
            remaining = (FOREVER if ci["valid"] == INFINITY else max(ci["valid"], 1),
                         FOREVER if ci["preferred"] == INFINITY else ci["preferred"])
        else:
            obj["valid_lft"] = obj["preferred_lft"] = FOREVER
        obj["noprefixroute"] = bool(flags & A.IFA_F_NOPREFIXROUTE)
        if fam == 6:
            obj["nodad"] = bool(flags & A.IFA_F_NODAD)
        obj["metric"] = a.get("rt_priority", 0)
        extra = {"flags": flags, "proto": a.get("proto"), "secondary": bool(flags & A.IFA_F_SECONDARY),
                 "index": h["index"]}
        if remaining is not None:
            extra["remaining"] = remaining
        self.extra[self.key(obj)] = extra
        return obj

    @staticmethod
    def _as_set(remaining, elapsed):
        if remaining == INFINITY:
            return FOREVER
        return int(remaining + elapsed + 0.5)

    def kernel_made(self, obj):
        """Addresses the kernel made itself: IPv6 link-local (and loopback),
        by IFA_PROTO where the kernel reports it (6.3+), else by address."""
        proto = self.extra.get(self.key(obj), {}).get("proto")
        if proto in (IFAPROT_KERNEL_LO, IFAPROT_KERNEL_LL):
            return True
        ip = ipaddress.ip_interface(obj["address"])
        if obj["dev"] == "lo" and str(ip) in ("127.0.0.1/8", "::1/128"):
            return True  # IPv4's is not marked (6.18)
        if proto or _kernel_has_ifa_proto():
            return False  # 6.3+ marks what it made; no mark: made by someone
        return ip.version == 6 and ip.ip in ipaddress.ip_network("fe80::/64") and ip.network.prefixlen == 64
