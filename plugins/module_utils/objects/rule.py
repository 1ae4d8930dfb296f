# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Policy routing rules (RTM_NEWRULE / RTM_DELRULE / RTM_GETRULE) as
engine objects: kernel message <-> input format, requests and the
equivalent ``ip rule`` commands.

A rule object, in the module's own input format (plain data)::

    {"family": 4, "priority": 100, "not": False,
     "from": "10.0.0.0/8", "to": None, "tos": 0,
     "iif": "eth0", "oif": None, "fwmark": 1, "fwmask": 255,
     "uidrange": "1000-2000", "ipproto": "tcp", "sport": "80-90",
     "dport": "443", "l3mdev": False, "protocol": "static",
     "action": "table" | "goto" | "nop" | "blackhole" | "unreachable" | "prohibit",
     "table": "main" | 100, "goto": None,
     "suppress_prefixlength": None, "suppress_ifgroup": None}

Fields the kernel did not report are None (``from``/``to`` None: all).
``action`` is one of iproute2's words, or a number for the kernel's
actions without one (FR_ACT_UNSPEC 0, RES3 4, RES4 5; printed as ``type
N``, their uapi names are refused as ``ip rule`` refuses them).  An
``l3mdev`` rule takes its table from the VRF device: it has no ``table``
(giving one is refused, as by the kernel and ``ip rule``).  ``ipproto``
takes a name or a number and prints as a number (``ip`` resolves names
through /etc/protocols, which a host may lack).

Identity: (family, priority) and the selector (everything that decides
which packets the rule matches).  The kernel has no in-place change for a
rule (RTM_NEWRULE ignores NLM_F_REPLACE): changing the action or its
table means delete + add, so every non-key field is immutable here.

Equivalent to: ``ip rule add|del ...``.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from .. import reconcile
from ..netlink import const as C
from ..netlink.ipproto import IPPROTO
from ..netlink.rtnl import rule as R
from ..netlink.rtnl.route import RTPROT
from ..netlink.socket import Request
from .enums import enum_number
from .iproute2 import ip_words, quote
from .route import AF, FAMILIES, parse_prefix, protocol_word, table_id, table_name

FULL_MASK = 0xFFFFFFFF
UNSET = 0xFFFFFFFF  # suppress_* "not set" (-1)

SELECTOR = ("not", "from", "to", "tos", "iif", "oif", "fwmark", "fwmask", "uidrange",
            "ipproto", "sport", "dport", "l3mdev")
ACTION_FIELDS = ("action", "table", "goto", "protocol", "suppress_prefixlength", "suppress_ifgroup")


def family_of(obj):
    fam = obj.get("family")
    if fam:
        return fam
    for field in ("from", "to"):
        v = obj.get(field)
        if v and v not in ("all", "default"):
            return 6 if ":" in v else 4
    return 4


def _range_from(value):
    if not value:
        return None
    return str(value["start"]) if value["start"] == value["end"] else "%d-%d" % (value["start"], value["end"])


def _range_to(value):
    text = str(value)
    if "-" in text:
        start, end = text.split("-", 1)
        return {"start": int(start), "end": int(end)}
    return {"start": int(text), "end": int(text)}


def action_of(obj):
    """The rule's action: a name of R.FR_ACTION, or a number for the
    actions iproute2 has no word for (FR_ACT_UNSPEC/RES3/RES4, made with
    ``ip rule add ... type N``).  Their uapi names are refused, as ``ip``
    refuses them."""
    action = obj.get("action")
    if action is None or action == "":
        return "goto" if obj.get("goto") is not None else "table"
    number = enum_number(R.FR_ACTION, action)
    return R.FR_ACTION.name_of(number)


def check_l3mdev(obj):
    """An l3mdev rule looks up the table of the packet's VRF device: the
    kernel refuses a table with it (fib_nl2rule: "l3mdev and table are
    mutually exclusive"), as ``ip rule`` does."""
    if obj.get("l3mdev") and obj.get("table") is not None and table_id(obj["table"]) != 0:
        raise reconcile.ValidationError("table=%s: a rule with l3mdev takes its table from the VRF "
                                        "device and cannot name one" % (obj["table"],))


class RuleKind(reconcile.ObjectKind):
    name = "rule"
    immutable_fields = ACTION_FIELDS

    def key(self, obj):
        sel = []
        for field in SELECTOR:
            v = obj.get(field)
            if field in ("not", "l3mdev"):
                v = bool(v)
            elif field == "tos":
                v = v or 0
            elif field == "fwmask" and obj.get("fwmark") is not None and v is None:
                v = FULL_MASK
            sel.append(v)
        return (family_of(obj), obj.get("priority")) + tuple(sel)

    def label(self, obj):
        return "priority %s" % obj.get("priority")

    # -- kernel -> input format -------------------------------------------

    def from_msg(self, msg, ctx=None):
        h, a = msg.header, msg.attrs
        fam = FAMILIES.get(h["family"])
        if fam is None:
            return None
        action = R.FR_ACTION.name_of(h["action"])
        table = a.get("table", h["table"])
        obj = {
            "family": fam,
            "priority": a.get("priority", 0),
            "not": bool(h["flags"] & R.FIB_RULE_INVERT),
            "from": "%s/%d" % (a.get("src"), h["src_len"]) if h["src_len"] else None,
            "to": "%s/%d" % (a.get("dst"), h["dst_len"]) if h["dst_len"] else None,
            "tos": h["tos"],
            "iif": a.get("iifname"),
            "oif": a.get("oifname"),
            "fwmark": a.get("fwmark") if ("fwmark" in a or "fwmask" in a) else None,
            "fwmask": a.get("fwmask", FULL_MASK) if ("fwmark" in a or "fwmask" in a) else None,
            "uidrange": _range_from(a.get("uid_range")),
            "ipproto": IPPROTO.name_of(a["ip_proto"]) if a.get("ip_proto") else None,
            "sport": _range_from(a.get("sport_range")),
            "dport": _range_from(a.get("dport_range")),
            "l3mdev": bool(a.get("l3mdev")),
            "protocol": RTPROT.name_of(a.get("protocol", 0)),
            "action": action,
            "table": table_name(table) if action == "table" and table else None,
            "goto": a.get("goto") if action == "goto" else None,
            "suppress_prefixlength": a.get("suppress_prefixlen") if a.get("suppress_prefixlen", UNSET) != UNSET else None,
            "suppress_ifgroup": a.get("suppress_ifgroup") if a.get("suppress_ifgroup", UNSET) != UNSET else None,
        }
        if obj["fwmark"] is None and obj["fwmask"] is not None:
            obj["fwmark"] = 0
        return obj

    def kernel_made(self, obj):
        """The three rules every namespace starts with (local, main, default)."""
        return (obj["priority"], obj["table"], obj["from"], obj["protocol"]) in (
            (0, "local", None, "kernel"), (32766, "main", None, "kernel"), (32767, "default", None, "kernel"))

    # -- object -> kernel --------------------------------------------------

    def request(self, change, ctx):
        op = change["op"]
        if op == reconcile.UPDATE:
            raise reconcile.PlanError("rule %s: the kernel cannot change a rule in place "
                                      "(delete and add it)" % self.label(change["before"]))
        obj = change["after"] if op == reconcile.CREATE else change["before"]
        fam = family_of(obj)
        src, src_len = parse_prefix(obj.get("from"), fam)
        dst, dst_len = parse_prefix(obj.get("to"), fam)
        action = action_of(obj)
        check_l3mdev(obj)
        # l3mdev: the table comes from the device (FRA_TABLE absent, 0 in
        # the header), as ``ip rule add l3mdev`` sends it.
        table = table_id(obj.get("table")) if action == "table" and not obj.get("l3mdev") else 0
        header = {"family": AF[fam], "dst_len": dst_len, "src_len": src_len, "tos": obj.get("tos") or 0,
                  "table": table if table < 256 else 0, "res1": 0, "res2": 0,
                  "action": enum_number(R.FR_ACTION, action),
                  "flags": R.FIB_RULE_INVERT if obj.get("not") else 0}
        attrs = {}
        if obj.get("priority") is not None:
            attrs["priority"] = obj["priority"]
        if src is not None:
            attrs["src"] = src
        if dst is not None:
            attrs["dst"] = dst
        if obj.get("iif"):
            attrs["iifname"] = obj["iif"]
        if obj.get("oif"):
            attrs["oifname"] = obj["oif"]
        if obj.get("fwmark") is not None:
            attrs["fwmark"] = obj["fwmark"]
            attrs["fwmask"] = FULL_MASK if obj.get("fwmask") is None else obj["fwmask"]
        if obj.get("uidrange"):
            start_end = _range_to(obj["uidrange"])
            attrs["uid_range"] = start_end
        if obj.get("ipproto"):
            attrs["ip_proto"] = enum_number(IPPROTO, obj["ipproto"])
        if obj.get("sport"):
            attrs["sport_range"] = _range_to(obj["sport"])
        if obj.get("dport"):
            attrs["dport_range"] = _range_to(obj["dport"])
        if obj.get("l3mdev"):
            attrs["l3mdev"] = 1
        if obj.get("protocol") is not None:
            attrs["protocol"] = enum_number(RTPROT, obj["protocol"])
        if action == "table" and table:
            attrs["table"] = table
        if action == "goto":
            attrs["goto"] = obj["goto"]
        if obj.get("suppress_prefixlength") is not None:
            attrs["suppress_prefixlen"] = obj["suppress_prefixlength"]
        if obj.get("suppress_ifgroup") is not None:
            attrs["suppress_ifgroup"] = obj["suppress_ifgroup"]
        label = self.command(change, ctx)
        if op == reconcile.DELETE:
            return Request(C.RTM_DELRULE, 0, header, attrs, label)
        return Request(C.RTM_NEWRULE, C.NLM_F_CREATE | C.NLM_F_EXCL, header, attrs, label)

    # -- object -> iproute2 ------------------------------------------------

    def command(self, change, ctx):
        op = change["op"]
        obj = change["after"] if op != reconcile.DELETE else change["before"]
        if op == reconcile.UPDATE:
            # No in-place change exists: the equivalent is del + add.
            return "%s; %s" % (self.command(dict(change, op=reconcile.DELETE), ctx),
                               self.command(dict(change, op=reconcile.CREATE), ctx))
        fam = family_of(obj)
        words = ip_words(ctx, fam) + ["rule", "del" if op == reconcile.DELETE else "add"]
        if obj.get("not"):
            words.append("not")
        if obj.get("priority") is not None:
            words += ["priority", str(obj["priority"])]
        words += ["from", quote(obj.get("from") or "all")]
        if obj.get("to"):
            words += ["to", quote(obj["to"])]
        if obj.get("tos"):
            words += ["tos", "0x%02x" % obj["tos"]]
        if obj.get("fwmark") is not None:
            mark = "0x%x" % obj["fwmark"]
            if obj.get("fwmask") not in (None, FULL_MASK):
                mark += "/0x%x" % obj["fwmask"]
            words += ["fwmark", mark]
        if obj.get("iif"):
            words += ["iif", quote(obj["iif"])]
        if obj.get("oif"):
            words += ["oif", quote(obj["oif"])]
        if obj.get("l3mdev"):
            words.append("l3mdev")
        if obj.get("uidrange"):
            uids = str(obj["uidrange"])
            words += ["uidrange", quote(uids if "-" in uids else "%s-%s" % (uids, uids))]
        if obj.get("ipproto"):
            # a number: ip resolves protocol names through /etc/protocols
            words += ["ipproto", str(enum_number(IPPROTO, obj["ipproto"]))]
        if obj.get("sport"):
            words += ["sport", quote(obj["sport"])]
        if obj.get("dport"):
            words += ["dport", quote(obj["dport"])]
        if obj.get("protocol") is not None and enum_number(RTPROT, obj["protocol"]) != 0:
            words += ["protocol", protocol_word(obj["protocol"])]
        action = action_of(obj)
        check_l3mdev(obj)
        if action == "table":
            if not obj.get("l3mdev"):
                words += ["table", quote(table_name(table_id(obj.get("table"))))]
        elif action == "goto":
            words += ["goto", str(obj["goto"])]
        elif isinstance(action, int):
            words += ["type", str(action)]
        else:
            words.append(action)
        if obj.get("suppress_prefixlength") is not None:
            words += ["suppress_prefixlength", str(obj["suppress_prefixlength"])]
        if obj.get("suppress_ifgroup") is not None:
            words += ["suppress_ifgroup", quote(obj["suppress_ifgroup"])]
        return " ".join(words)
