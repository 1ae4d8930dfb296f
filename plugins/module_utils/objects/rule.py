# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Policy routing rules (RTM_NEWRULE / RTM_DELRULE / RTM_GETRULE) as
engine objects: kernel message <-> the nl_rule input format, requests and
the equivalent ``ip rule`` commands.

A rule object, in the module's own input format (plain data)::

    {"family": 4, "priority": 100, "invert": False,
     "from": "10.0.0.0/8", "to": None, "tos": 0, "dscp": None,
     "iif": "eth0", "oif": None, "fwmark": "0x1/0xff",
     "uidrange": "1000-2000", "ipproto": "tcp", "sport": "80-90",
     "dport": "443", "l3mdev": False,
     "action": "lookup" | "goto" | "nop" | "blackhole" | "unreachable" | "prohibit",
     "table": "main" | 100, "goto": None, "realms": "3/4" | "4" | None,
     "suppress_prefixlength": None, "suppress_ifgroup": None,
     "protocol": "static"}

Fields the kernel did not report are None (``from``/``to`` None: all).
Numbers and names: ``table`` is a number or the name of a reserved table
(main, local, default), ``protocol`` a number or a name of the schema's
enum, ``realms`` numbers (``FROM/TO``, or ``TO`` when FROM is 0): names
from the host's rt_tables/rt_protos/rt_realms files are resolved by the
task (objects/rt_names.py), never here, so a plan replays the same on any
host.  ``fwmark`` is ``0xVALUE`` or ``0xVALUE/0xMASK`` (a full mask is
not written).  ``action`` is iproute2's word (``lookup``, whose synonym
``table`` is accepted), or a number for the kernel's actions without one
(FR_ACT_UNSPEC 0, RES3 4, RES4 5; printed as ``type N``).  An ``l3mdev``
rule takes its table from the VRF device: it has no ``table``.
``ipproto`` takes a name or a number and prints as a number (``ip``
resolves names through /etc/protocols, which a host may lack).

Identity: the kernel keeps two rules apart when anything it compares
differs (its ``rule_exists()``: priority, every selector, the action and
its table, realms, suppress_*, protocol), so the key is all of that, plus
the attributes this collection does not model (``tun_id``, flow label,
port and DSCP masks), carried in the hidden ``kernel`` block: two rules
the kernel holds apart are never read as one object.  ``slot()`` (family,
priority, selector) and ``outcome()`` (what a matching packet gets) are
the parts a task matches on.  The kernel has no in-place change for a
rule (RTM_NEWRULE ignores NLM_F_REPLACE): a change is delete + add.

Equivalent to: ``ip rule add|del ...``.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from .. import contract
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

# What decides which packets a rule matches, in ``ip rule`` order.
SELECTOR = ("invert", "from", "to", "tos", "dscp", "iif", "oif", "fwmark", "uidrange",
            "ipproto", "sport", "dport", "l3mdev")
# What a matching packet gets.
OUTCOME = ("action", "table", "goto", "realms", "suppress_prefixlength", "suppress_ifgroup", "protocol")
# FRA_* this collection reads but does not model: kept (kernel block) so a
# rule carrying them is told apart, deleted exactly and restored whole.
EXTRA_ATTRS = ("tun_id", "flowlabel", "flowlabel_mask", "sport_mask", "dport_mask", "dscp_mask")
# Masks the kernel reports at their full width for a rule made without
# one (6.15+ reports FRA_DSCP_MASK 0x3f with every FRA_DSCP): no extra.
FULL_MASKS = {"dscp_mask": 0x3F, "sport_mask": 0xFFFF, "dport_mask": 0xFFFF}


def family_of(obj):
    fam = obj.get("family")
    if fam:
        return fam
    for field in ("from", "to"):
        v = obj.get(field)
        if v and v not in ("all", "default"):
            return 6 if ":" in v else 4
    return 4


def range_text(value):
    """A fib_rule_uid/port_range as the input format: ``N`` or ``N-M``."""
    if not value:
        return None
    return str(value["start"]) if value["start"] == value["end"] else "%d-%d" % (value["start"], value["end"])


def range_value(text):
    text = str(text)
    if "-" in text:
        start, end = text.split("-", 1)
        return {"start": int(start), "end": int(end)}
    return {"start": int(text), "end": int(text)}


def fwmark_text(mark, mask):
    """``0xMARK`` or ``0xMARK/0xMASK`` (a full mask is the default)."""
    if mask is None or mask == FULL_MASK:
        return "0x%x" % mark
    return "0x%x/0x%x" % (mark, mask)


def fwmark_value(text):
    """``fwmark_text`` (or a plain number) -> (mark, mask)."""
    if isinstance(text, int):
        return text, FULL_MASK
    mark, _sep, mask = str(text).partition("/")
    return int(mark, 0), int(mask, 0) if mask else FULL_MASK


def realms_text(flow):
    """FRA_FLOW (``to | from << 16``) as ``FROM/TO``, or ``TO`` when FROM
    is 0 (as ``ip rule`` prints it); 0 is no realms."""
    if not flow:
        return None
    frm, to = flow >> 16, flow & 0xFFFF
    return "%d/%d" % (frm, to) if frm else str(to)


def realms_value(text):
    if text is None:
        return 0
    frm, sep, to = str(text).partition("/")
    if not sep:
        return int(frm)
    return (int(frm) << 16) | int(to)


def action_of(obj):
    """The rule's action: a name of R.FR_ACTION (``lookup`` for the
    synonym ``table``), or a number for the actions iproute2 has no word
    for.  Their uapi names are refused, as ``ip`` refuses them."""
    action = obj.get("action")
    if action is None or action == "":
        return "goto" if obj.get("goto") is not None else "lookup"
    return R.FR_ACTION.name_of(enum_number(R.FR_ACTION, action))


def check_l3mdev(obj):
    """An l3mdev rule looks up the table of the packet's VRF device: the
    kernel refuses a table with it (fib_nl2rule: "l3mdev and table are
    mutually exclusive"), as ``ip rule`` does."""
    if obj.get("l3mdev") and obj.get("table") is not None and table_id(obj["table"]) != 0:
        raise contract.ValidationError("table=%s: a rule with l3mdev takes its table from the VRF "
                                       "device and cannot name one" % (obj["table"],))


def lookup_table(obj):
    """The table a lookup rule names (main when none is given, as ``ip
    rule add`` sends it); None for other actions and l3mdev rules."""
    if action_of(obj) != "lookup" or obj.get("l3mdev"):
        return None
    return table_id(obj.get("table"))


def extras_of(obj):
    """The unmodelled FRA_* a rule carries, as attrs (name -> value)."""
    return dict(((obj.get("kernel") or {}).get("extra") or {}))


def selector(obj):
    """The selector, normalised: two rules with the same one match the
    same packets."""
    out = []
    for field in SELECTOR:
        v = obj.get(field)
        if field in ("invert", "l3mdev"):
            v = bool(v)
        elif field == "tos":
            v = v or 0
        elif field == "fwmark" and v is not None:
            v = fwmark_text(*fwmark_value(v))
        elif field == "ipproto" and v is not None:
            v = enum_number(IPPROTO, v)
        elif field in ("uidrange", "sport", "dport") and v is not None:
            v = range_text(range_value(v))
        out.append(v)
    return tuple(out)


def outcome(obj):
    """What a matching packet gets, normalised (the action and its table,
    realms, suppress_*, protocol)."""
    action = action_of(obj)
    return (action, lookup_table(obj), obj.get("goto") if action == "goto" else None,
            realms_value(obj.get("realms")), obj.get("suppress_prefixlength"),
            obj.get("suppress_ifgroup"), enum_number(RTPROT, obj.get("protocol")) or 0)


def slot(obj):
    """(family, priority, selector): where a rule sits and what it
    matches."""
    return (family_of(obj), obj.get("priority")) + selector(obj)


def kernel_key(kind, obj):
    """What the kernel compares to refuse a duplicate rule (NLM_F_EXCL,
    its ``rule_exists()``): everything but ``not`` and a goto's target
    (measured on 6.18).  Two rules with the same kernel_key cannot both
    exist."""
    return tuple(kind.key(dict(obj, invert=False, goto=None)))


class RuleKind(contract.ObjectKind):
    name = "rule"
    immutable_fields = OUTCOME

    def key(self, obj):
        # flat (a key goes through JSON and back into a tuple)
        extra = tuple("%s=%s" % item for item in sorted(extras_of(obj).items()))
        return slot(obj) + outcome(obj) + extra

    def label(self, obj):
        return " ".join(self.words(obj))

    # -- kernel -> input format -------------------------------------------

    def from_msg(self, msg, ctx=None):
        h, a = msg.header, msg.attrs
        fam = FAMILIES.get(h["family"])
        if fam is None:
            return None
        action = R.FR_ACTION.name_of(h["action"])
        table = a.get("table", h["table"])
        marked = "fwmark" in a or "fwmask" in a
        obj = {
            "family": fam,
            "priority": a.get("priority", 0),
            "invert": bool(h["flags"] & R.FIB_RULE_INVERT),
            "from": "%s/%d" % (a.get("src"), h["src_len"]) if h["src_len"] else None,
            "to": "%s/%d" % (a.get("dst"), h["dst_len"]) if h["dst_len"] else None,
            "tos": h["tos"],
            "dscp": a.get("dscp"),
            "iif": a.get("iifname"),
            "oif": a.get("oifname"),
            "fwmark": fwmark_text(a.get("fwmark", 0), a.get("fwmask", FULL_MASK)) if marked else None,
            "uidrange": range_text(a.get("uid_range")),
            "ipproto": IPPROTO.name_of(a["ip_proto"]) if a.get("ip_proto") else None,
            "sport": range_text(a.get("sport_range")),
            "dport": range_text(a.get("dport_range")),
            "l3mdev": bool(a.get("l3mdev")),
            "action": action,
            "table": table_name(table) if action == "lookup" and table else None,
            "goto": a.get("goto") if action == "goto" else None,
            "realms": realms_text(a.get("flow")),
            "suppress_prefixlength": a.get("suppress_prefixlen") if a.get("suppress_prefixlen", UNSET) != UNSET else None,
            "suppress_ifgroup": a.get("suppress_ifgroup") if a.get("suppress_ifgroup", UNSET) != UNSET else None,
            "protocol": RTPROT.name_of(a.get("protocol", 0)),
        }
        extra = dict((k, a[k]) for k in EXTRA_ATTRS if a.get(k) and a[k] != FULL_MASKS.get(k))
        if extra:
            obj["kernel"] = {"extra": extra}
        return obj

    def kernel_made(self, obj):
        """Rules the kernel made itself (protocol kernel): the three every
        namespace starts with (local, main, default) and the l3mdev rule
        the first VRF device brings (priority 1000)."""
        return obj.get("protocol") == "kernel"

    def read(self, ctx, objs):
        """The rules of the families of ``objs``: one dump per family
        (the kernel filters rule dumps by family only)."""
        out = {}
        for fam in sorted(set(family_of(o) for o in objs)):
            for msg in ctx.socket().dump(C.RTM_GETRULE, {"family": AF[fam]}, label="ip -%d rule show" % fam):
                obj = self.from_msg(msg, ctx)
                if obj is not None:
                    out[self.key(obj)] = obj
        return out

    # -- object -> kernel --------------------------------------------------

    def request(self, change, ctx):
        op = change["op"]
        if op == contract.UPDATE:
            raise contract.PlanError("rule %s: the kernel cannot change a rule in place "
                                     "(delete and add it)" % self.label(change["before"]))
        obj = change["after"] if op == contract.CREATE else change["before"]
        fam = family_of(obj)
        src, src_len = parse_prefix(obj.get("from"), fam)
        dst, dst_len = parse_prefix(obj.get("to"), fam)
        action = action_of(obj)
        check_l3mdev(obj)
        # l3mdev: the table comes from the device (FRA_TABLE absent, 0 in
        # the header), as ``ip rule add l3mdev`` sends it.
        table = lookup_table(obj) or 0
        header = {"family": AF[fam], "dst_len": dst_len, "src_len": src_len, "tos": obj.get("tos") or 0,
                  "table": table if table < 256 else 0, "res1": 0, "res2": 0,
                  "action": enum_number(R.FR_ACTION, action),
                  "flags": R.FIB_RULE_INVERT if obj.get("invert") else 0}
        attrs = {}
        if obj.get("priority") is not None:
            attrs["priority"] = obj["priority"]
        if src is not None:
            attrs["src"] = src
        if dst is not None:
            attrs["dst"] = dst
        if obj.get("dscp") is not None:
            attrs["dscp"] = obj["dscp"]
        if obj.get("iif"):
            attrs["iifname"] = obj["iif"]
        if obj.get("oif"):
            attrs["oifname"] = obj["oif"]
        if obj.get("fwmark") is not None:
            attrs["fwmark"], attrs["fwmask"] = fwmark_value(obj["fwmark"])
        if obj.get("uidrange"):
            attrs["uid_range"] = range_value(obj["uidrange"])
        if obj.get("ipproto"):
            attrs["ip_proto"] = enum_number(IPPROTO, obj["ipproto"])
        if obj.get("sport"):
            attrs["sport_range"] = range_value(obj["sport"])
        if obj.get("dport"):
            attrs["dport_range"] = range_value(obj["dport"])
        if obj.get("l3mdev"):
            attrs["l3mdev"] = 1
        if obj.get("protocol") is not None:
            attrs["protocol"] = enum_number(RTPROT, obj["protocol"])
        if table:
            attrs["table"] = table
        if action == "goto":
            attrs["goto"] = obj["goto"]
        if obj.get("realms"):
            attrs["flow"] = realms_value(obj["realms"])
        if obj.get("suppress_prefixlength") is not None:
            attrs["suppress_prefixlen"] = obj["suppress_prefixlength"]
        if obj.get("suppress_ifgroup") is not None:
            attrs["suppress_ifgroup"] = obj["suppress_ifgroup"]
        attrs.update(extras_of(obj))
        label = self.command(change, ctx)
        if op == contract.DELETE:
            return Request(C.RTM_DELRULE, 0, header, attrs, label)
        return Request(C.RTM_NEWRULE, C.NLM_F_CREATE | C.NLM_F_EXCL, header, attrs, label)

    # -- object -> iproute2 ------------------------------------------------

    def command(self, change, ctx):
        op = change["op"]
        obj = change["after"] if op != contract.DELETE else change["before"]
        if op == contract.UPDATE:
            # No in-place change exists: the equivalent is del + add.
            return "%s; %s" % (self.command(dict(change, op=contract.DELETE), ctx),
                               self.command(dict(change, op=contract.CREATE), ctx))
        words = ip_words(ctx, family_of(obj)) + ["rule", "del" if op == contract.DELETE else "add"]
        return " ".join(words + self.words(obj))

    def words(self, obj):
        """The rule in ``ip rule`` words (after ``ip rule add``)."""
        words = []
        if obj.get("invert"):
            words.append("not")
        if obj.get("priority") is not None:
            words += ["priority", str(obj["priority"])]
        words += ["from", quote(obj.get("from") or "all")]
        if obj.get("to"):
            words += ["to", quote(obj["to"])]
        if obj.get("tos"):
            words += ["tos", "0x%02x" % obj["tos"]]
        if obj.get("dscp") is not None:
            words += ["dscp", str(obj["dscp"])]
        if obj.get("fwmark") is not None:
            words += ["fwmark", fwmark_text(*fwmark_value(obj["fwmark"]))]
        if obj.get("iif"):
            words += ["iif", quote(obj["iif"])]
        if obj.get("oif"):
            words += ["oif", quote(obj["oif"])]
        if obj.get("l3mdev"):
            words.append("l3mdev")
        if obj.get("uidrange"):
            uids = range_value(obj["uidrange"])
            words += ["uidrange", "%d-%d" % (uids["start"], uids["end"])]
        if obj.get("ipproto"):
            # a number: ip resolves protocol names through /etc/protocols
            words += ["ipproto", str(enum_number(IPPROTO, obj["ipproto"]))]
        if obj.get("sport"):
            words += ["sport", quote(obj["sport"])]
        if obj.get("dport"):
            words += ["dport", quote(obj["dport"])]
        if obj.get("protocol") is not None and enum_number(RTPROT, obj["protocol"]) != 0:
            words += ["protocol", protocol_word(obj["protocol"])]
        if obj.get("realms"):
            words += ["realms", str(obj["realms"])]
        action = action_of(obj)
        check_l3mdev(obj)
        if action == "lookup":
            if not obj.get("l3mdev"):
                words += ["lookup", quote(table_name(lookup_table(obj)))]
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
        return words
