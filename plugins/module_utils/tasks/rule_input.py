# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""nl_rule's input: one rule (top-level options or a ``rules`` item) ->
a validated rule object in the kind's format (objects/rule.py), names of
tables, realms, protocols and interface groups resolved through the
host's iproute2 files (objects/rt_names.py), so the object holds only
numbers and the reserved names every host knows.

Every error names the option (``rules[2].table``) and the value.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress
import os

from .. import contract
from ..netlink.ipproto import IPPROTO
from ..netlink.rtnl import rule as R
from ..netlink.rtnl.route import RT_TABLE, RTPROT
from ..objects import rt_names
from ..objects.enums import enum_number
from ..objects.route import table_name
from ..objects.rule import fwmark_text, realms_text
from .validate import fail, truth, validate_ifname

# The options that describe one rule (top level or a ``rules`` item).
RULE_OPTIONS = ("priority", "from", "to", "iif", "oif", "fwmark", "table", "action", "goto",
                "suppress_prefixlength", "suppress_ifgroup", "uidrange", "ipproto", "sport", "dport",
                "l3mdev", "tos", "dscp", "realms", "protocol", "family", "invert")
# The module's aliases, also taken in ``rules`` items.
ALIASES = {"not": "invert", "lookup": "table", "pref": "priority", "preference": "priority"}
ITEM_KEYS = RULE_OPTIONS + ("state",) + tuple(sorted(ALIASES))
DEFAULT_PROTOCOL = "static"
U32 = 0xFFFFFFFF
# FRA_DSCP: linux/fib_rules.h, first in Linux 6.12.  An older kernel
# parses rule requests leniently and drops an attribute it does not know,
# so it would make the rule without the DSCP match (matching every
# packet): refused here instead.
DSCP_SINCE = (6, 12)
FAMILY_WORDS = {"4": 4, "6": 6, "inet": 4, "inet6": 6, "ipv4": 4, "ipv6": 6}
ALL_WORDS = ("all", "any", "default")


def kernel_release():
    """(major, minor) of the running kernel (namespaces share it)."""
    parts = os.uname()[2].split(".")
    try:
        return int(parts[0]), int("".join(c for c in parts[1] if c.isdigit()) or 0)
    except (IndexError, ValueError):
        return (0, 0)


def number(option, value, lo, hi):
    """An integer option given as a number or as text (decimal or 0x)."""
    if isinstance(value, bool):
        fail(option, value, "not a number")
    if isinstance(value, str):
        try:
            value = int(value.strip(), 0)
        except ValueError:
            fail(option, value, "not a number")
    if not isinstance(value, int) or not lo <= value <= hi:
        fail(option, value, "out of range %d-%d" % (lo, hi))
    return value


def boolean(option, value):
    if value is None or isinstance(value, bool):
        return bool(value)
    word = truth(value)
    if word is None:
        fail(option, value, "not a boolean")
    return word


def family_word(option, value):
    fam = FAMILY_WORDS.get(str(value).strip().lower())
    if fam is None:
        fail(option, value, "not a family; use 4 (inet) or 6 (inet6)")
    return fam


def prefix(option, value, family):
    """``from``/``to``: a prefix (host bits cleared, as the rule matches
    them), a host address (/32, /128), or all/any/default (None)."""
    if value is None:
        return None, family
    text = str(value).strip()
    if text.lower() in ALL_WORDS:
        return None, family
    try:
        net = ipaddress.ip_network(text, strict=False)
    except ValueError:
        fail(option, value, "not an IP prefix (like 10.0.0.0/8, 2001:db8::/32, or all)")
    if family is not None and net.version != family:
        fail(option, value, "is IPv%d but the rule is IPv%d" % (net.version, family))
    if net.prefixlen == 0:
        return None, net.version
    return "%s/%d" % (net.network_address, net.prefixlen), net.version


def port_range(option, value, hi):
    """``N`` or ``N-M`` (uidrange, sport, dport), as the kind prints it."""
    text = str(value).strip()
    start, sep, end = text.partition("-")
    first = number(option, start, 0, hi) if start.strip() else fail(option, value, "not N or N-M")
    last = number(option, end, 0, hi) if sep else first
    if last < first:
        fail(option, value, "the range ends before it starts")
    return str(first) if first == last else "%d-%d" % (first, last)


def fwmark(option, value):
    """``VALUE[/MASK]`` (numbers, 0x allowed) -> the kind's text."""
    text = str(value).strip()
    mark_text, sep, mask_text = text.partition("/")
    mark = number(option, mark_text, 0, U32)
    mask = number(option, mask_text, 0, U32) if sep else U32
    if mark & ~mask & U32:
        fail(option, value, "the mark has bits outside the mask")
    if not sep and mark == 0:
        fail(option, value, "a mark of 0 without a mask matches every packet and the kernel keeps no "
                            "selector for it; write 0/0xffffffff to match unmarked packets")
    return fwmark_text(mark, mask)


def realms(option, value):
    """``TO`` or ``FROM/TO``: numbers or names of rt_realms -> the kind's
    text (None for 0)."""
    text = str(value).strip()
    frm, sep, to = text.partition("/")
    if not sep:
        frm, to = "0", frm
    flow = (rt_names.number("rt_realms", frm.strip(), option, limit=0xFFFF) << 16) | \
        rt_names.number("rt_realms", to.strip(), option, limit=0xFFFF)
    return realms_text(flow)


def table(option, value):
    tid = rt_names.number("rt_tables", value, option, builtin=RT_TABLE)
    if tid == 0:
        fail(option, value, "table 0 (unspec) is not a table a rule can look up")
    return table_name(tid)


def protocol(option, value):
    return RTPROT.name_of(rt_names.number("rt_protos", value, option, builtin=RTPROT, limit=255))


def action(option, value):
    try:
        return R.FR_ACTION.name_of(enum_number(R.FR_ACTION, str(value).strip(), option))
    except contract.ValidationError:
        fail(option, value, "not an action; use lookup, goto, nop, blackhole, unreachable or prohibit")


def rule(raw, where, state, defaults):
    """One rule from ``raw`` (option -> value) -> the kind's object with
    its ``state``.  ``where(option)`` is how the option is named in
    messages.  ``defaults``: top-level ``protocol``/``family``.  A
    present rule is complete (action lookup, table main, protocol static
    by default, compared whole); an absent one holds only what was given
    (what it must match)."""
    present = state == "present"
    get = raw.get
    family = None
    if get("family") is not None:
        family = family_word(where("family"), get("family"))
    elif defaults.get("family") is not None:
        family = defaults["family"]
    src, family = prefix(where("from"), get("from"), family)
    dst, family = prefix(where("to"), get("to"), family)
    family = family or 4
    out = {"family": family, "priority": None, "invert": boolean(where("invert"), get("invert")),
           "from": src, "to": dst, "tos": 0, "dscp": None, "iif": None, "oif": None, "fwmark": None,
           "uidrange": None, "ipproto": None, "sport": None, "dport": None,
           "l3mdev": boolean(where("l3mdev"), get("l3mdev")),
           "action": None, "table": None, "goto": None, "realms": None,
           "suppress_prefixlength": None, "suppress_ifgroup": None, "protocol": None, "state": state}
    if get("priority") is not None:
        out["priority"] = number(where("priority"), get("priority"), 0, U32)
    if get("tos") is not None:
        out["tos"] = number(where("tos"), get("tos"), 0, 255)
    if get("dscp") is not None:
        out["dscp"] = number(where("dscp"), get("dscp"), 0, 63)
        if out["tos"]:
            fail(where("dscp"), get("dscp"), "tos and dscp are mutually exclusive (the kernel takes one of them)")
        release = kernel_release()
        if release < DSCP_SINCE:
            fail(where("dscp"), get("dscp"), "the running kernel (%d.%d) has no DSCP selector for rules "
                 "(FRA_DSCP, Linux %d.%d+); it would make the rule without it. Use tos instead"
                 % (release + DSCP_SINCE))
    for opt in ("iif", "oif"):
        if get(opt) is not None:
            validate_ifname(get(opt), where(opt))
            out[opt] = get(opt)
    if get("fwmark") is not None:
        out["fwmark"] = fwmark(where("fwmark"), get("fwmark"))
    if get("uidrange") is not None:
        out["uidrange"] = port_range(where("uidrange"), get("uidrange"), U32)
    for opt in ("sport", "dport"):
        if get(opt) is not None:
            out[opt] = port_range(where(opt), get(opt), 0xFFFF)
    if get("ipproto") is not None:
        out["ipproto"] = IPPROTO.name_of(number(where("ipproto"), enum_number(IPPROTO, str(get("ipproto")).strip(),
                                                                              where("ipproto")), 0, 255))
    _outcome(raw, where, out, present, defaults)
    return out


def _outcome(raw, where, out, present, defaults):
    """The action and what goes with it."""
    get = raw.get
    act = action(where("action"), get("action")) if get("action") is not None else None
    if get("goto") is not None:
        out["goto"] = number(where("goto"), get("goto"), 0, U32)
        if act not in (None, "goto"):
            fail(where("goto"), get("goto"), "goto is an action of its own; action is %s" % act)
        act = "goto"
    elif act == "goto":
        fail(where("action"), act, "needs goto (the priority to jump to)")
    if act is None and present:
        act = "lookup"
    out["action"] = act
    if out["goto"] is not None and out["priority"] is not None and out["goto"] <= out["priority"]:
        fail(where("goto"), out["goto"],
             "must be after the rule's own priority %d (the kernel has no backward goto)" % out["priority"])
    if get("table") is not None:
        if act not in (None, "lookup"):
            fail(where("table"), get("table"), "a table goes with action lookup, not %s" % act)
        if out["l3mdev"]:
            fail(where("table"), get("table"), "a rule with l3mdev takes its table from the VRF device "
                                               "and cannot name one")
        out["table"] = table(where("table"), get("table"))
    elif act == "lookup" and present and not out["l3mdev"]:
        out["table"] = "main"   # what ``ip rule add`` looks up without a table
    if out["l3mdev"] and act not in (None, "lookup", "unreachable", "blackhole", "prohibit", "nop"):
        fail(where("l3mdev"), True, "l3mdev goes with a lookup in the VRF's table, not %s" % act)
    for opt, hi in (("suppress_prefixlength", 128), ("suppress_ifgroup", 0x7FFFFFFF)):
        if get(opt) is None:
            continue
        if act not in (None, "lookup"):
            fail(where(opt), get(opt), "applies to the result of a lookup, not to action %s" % act)
        if opt == "suppress_ifgroup":
            out[opt] = rt_names.number("group", get(opt), where(opt), limit=hi)
        else:
            out[opt] = number(where(opt), get(opt), 0, 32 if out["family"] == 4 else 128)
    if get("realms") is not None:
        if out["family"] != 4:
            fail(where("realms"), get("realms"), "realms are for IPv4 rules only")
        out["realms"] = realms(where("realms"), get("realms"))
    if get("protocol") is not None:
        out["protocol"] = protocol(where("protocol"), get("protocol"))
    elif defaults.get("protocol") is not None:
        out["protocol"] = defaults["protocol"]
    elif present:
        out["protocol"] = DEFAULT_PROTOCOL


def priority_ranges(option, values):
    """``priorities`` of state replaced: ``N`` or ``N-M`` items ->
    [(first, last)]."""
    out = []
    for i, value in enumerate(values or []):
        text = port_range("%s[%d]" % (option, i), value, U32)
        first, _sep, last = text.partition("-")
        out.append((int(first), int(last or first)))
    return out
