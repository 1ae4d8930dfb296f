# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""nl_rule's Task: params -> validated rules (tasks/rule_input.py); one
rule dump per family the task names (the kernel filters rule dumps by
family only, and they are small); a plan that matches desired rules to
the kernel's the way an iproute2 user expects.

Matching.  A rule with a ``priority`` is the rule at that priority with
that selector (``objects.rule.slot``): if one there has the same outcome
(action, table, goto, realms, suppress_*, protocol), nothing changes;
otherwise the rules at that slot that no item of the task asks for are
replaced: the kernel has no in-place change for a rule, so the new rule
is added and the old one deleted (in that order, so packets always meet
one of them).  The kernel does not tell apart two rules that differ only
in ``not`` or in a goto's target (objects.rule.kernel_key): such a rule
is deleted before its successor is added.  A rule without a
priority is matched on its selector and outcome at any priority (the
lowest wins), so rerunning it changes nothing; when it is missing it is
added at the priority the kernel would give it (one below the rule after
priority 0, as ``ip rule add`` without a priority gets), sent explicitly
so that ``commands`` and stored plans replay to the same rule.

Ownership.  ``absent`` deletes the rules that match what the item gives
(selector exactly; priority and outcome fields where given).
``replaced`` also deletes the rules of the task's protocol (default
``static``) in the priority ranges (``priorities``) or tables
(``tables``, and those the listed rules look up) that are not listed.
Neither ever deletes the kernel's three default rules (priorities 0,
32766, 32767, protocol kernel); ``replaced`` never deletes another
protocol's rules.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from .. import contract
from .base import Task
from .validate import fail
from ..netlink import const as C
from ..objects import registry
from ..objects.route import AF, table_id
from ..objects.rule import OUTCOME, family_of, kernel_key, outcome, selector, slot
from .rule_input import (ALIASES, ITEM_KEYS, RULE_OPTIONS, family_word, priority_ranges, protocol, rule,
                         table, DEFAULT_PROTOCOL)

FILTERS = ("family", "protocol", "table")   # what state=gathered takes
SHARED = ("family", "protocol")             # top-level options that apply to every item
NOTE_REPLACED = "the kernel cannot change a rule in place: delete and add"


def _public(obj):
    return dict((k, v) for k, v in obj.items() if k != "state")


class RuleTask(Task):
    """nl_rule's view of the engine.  Desired rules carry their scope
    (``{"families": the families read, "replaced": (protocol, tables,
    priority ranges) or None}``); current rules carry every rule read, in
    the kernel's order (``seen``)."""

    result_key = "rules"

    def __init__(self):
        self.kind = registry.kind("rule")

    # -- params -> desired ---------------------------------------------------

    def desired(self, params):
        state = params.get("state") or "present"
        defaults = _shared_defaults(params)
        many = params.get("rules")
        given = [k for k in RULE_OPTIONS if k not in SHARED and params.get(k) is not None]
        if state != "replaced":
            for opt in ("tables", "priorities"):
                if params.get(opt):
                    fail(opt, params[opt], "goes with state=replaced only (it says which rules replaced may remove)")
        if state == "gathered":
            extra = [k for k in given if k not in FILTERS] + (["rules"] if many is not None else [])
            if extra:
                raise contract.ValidationError("%s: state=gathered takes only the filters %s"
                                               % (", ".join(extra), ", ".join(FILTERS)))
            _gather_filters(params, defaults)  # validated before anything is read
            return []
        if many is not None:
            if given:
                raise contract.ValidationError(
                    "%s: given with rules; give them in each item (only %s apply to every item)"
                    % (", ".join(given), " and ".join(SHARED)))
            if not isinstance(many, list):
                fail("rules", many, "not a list")
            items = [("rules[%d]" % i, item) for i, item in enumerate(many)]
        elif given:
            items = [(None, dict((k, params[k]) for k in given))]
        elif state == "replaced":
            items = []
        else:
            raise contract.ValidationError("state=%s needs a rule (priority, from, to, table, ...) or rules" % state)
        out = []
        seen = {}
        for where, item in items:
            obj = self._item(where, item, state, defaults)
            if obj["state"] == "present":
                # the kernel holds one rule per kernel_key: two items that
                # differ only in not/goto target cannot both exist
                key = kernel_key(self.kind, obj)
                if key in seen:
                    fail(where or "rule", item, "is listed twice (also %s; the kernel does not tell apart rules "
                         "that differ only in not or in a goto's target)" % seen[key])
                seen[key] = where
            out.append(obj)
        replaced = None
        if state == "replaced":
            replaced = self._replace_scope(params, defaults, out)
        fams = set(o["family"] for o in out)
        if state == "replaced":
            fams = set((defaults["family"],)) if "family" in defaults else set((4, 6))
        return contract.Desired(out, scope={"families": tuple(sorted(fams)), "replaced": replaced})

    def _item(self, where, item, state, defaults):
        if where is None:
            def name(opt):
                return opt
            raw = item
        else:
            if not isinstance(item, dict):
                fail(where, item, "not a dict of rule options")
            unknown = sorted(str(k) for k in item if k not in ITEM_KEYS)
            if unknown:
                fail(where, item, "unknown key(s) %s (known: %s)" % (", ".join(unknown), ", ".join(ITEM_KEYS)))
            raw = dict(item)
            for alias, option in ALIASES.items():
                if alias in raw:
                    if raw.get(option) is not None:
                        fail("%s.%s" % (where, alias), raw[alias], "%s and %s are the same option; give one"
                             % (alias, option))
                    raw[option] = raw.pop(alias)

            def name(opt):
                return "%s.%s" % (where, opt)
        item_state = raw.pop("state", None)
        if item_state is None:
            item_state = "absent" if state == "absent" else "present"
        if item_state not in ("present", "absent"):
            fail(name("state"), item_state, "an item's state is present or absent")
        return rule(raw, name, item_state, defaults)

    def _replace_scope(self, params, defaults, out):
        tables = set(table_id(table("tables[%d]" % i, t)) for i, t in enumerate(params.get("tables") or []))
        for obj in out:
            if obj["state"] == "present" and obj["action"] == "lookup" and obj["table"] is not None:
                tables.add(table_id(obj["table"]))
        ranges = priority_ranges("priorities", params.get("priorities"))
        if not tables and not ranges:
            raise contract.ValidationError(
                "state=replaced: names no table or priority range, so it could remove nothing; give tables, "
                "priorities or rules that look up a table")
        return (defaults.get("protocol", DEFAULT_PROTOCOL), tables, ranges)

    # -- kernel reads --------------------------------------------------------

    def _read(self, ctx, families):
        out = []
        for fam in families:
            for msg in ctx.socket().dump(C.RTM_GETRULE, {"family": AF[fam]}, label="ip -%d rule show" % fam):
                obj = self.kind.from_msg(msg, ctx)
                if obj is not None:
                    out.append(obj)
        return out

    def current(self, ctx, desired, params, mode):
        rules = self._read(ctx, desired.scope["families"])
        return contract.Current(((tuple(self.kind.key(o)), o) for o in rules), seen=rules)

    def gather(self, ctx, params):
        filters, families = _gather_filters(params, _shared_defaults(params))
        out = []
        for obj in self._read(ctx, families):
            if filters.get("protocol") is not None and obj["protocol"] != filters["protocol"]:
                continue
            if filters.get("table") is not None and (
                    obj["table"] is None or table_id(obj["table"]) != filters["table"]):
                continue
            out.append(gathered_form(obj))
        return out

    # -- matching ------------------------------------------------------------

    def _exact(self, want, index):
        """The current rule that is ``want``: same slot (or, without a
        priority, same family and selector at any priority, the lowest
        first) and outcome."""
        wanted = outcome(want)
        if want["priority"] is not None:
            found = index.by_slot.get(slot(want), ())
        else:
            found = sorted(index.by_selector.get(_selector_key(want), ()), key=lambda pair: pair[0]["priority"])
        for have, have_outcome in found:
            if have_outcome == wanted and not have.get("kernel"):   # unmodelled attributes: another rule
                return have
        return None

    def _absent_matches(self, want, index):
        given = [OUTCOME.index(f) for f in OUTCOME if want.get(f) is not None]
        need = outcome(want)
        out = []
        for c, have in index.by_selector.get(_selector_key(want), ()):
            if self.kind.kernel_made(c) or (want["priority"] is not None and c["priority"] != want["priority"]):
                continue
            if all(have[i] == need[i] for i in given):
                out.append(c)
        return out

    # -- plan ------------------------------------------------------------------

    def plan(self, ctx, desired, current, params, mode):
        kind = self.kind
        rules = current.seen
        replaced = desired.scope["replaced"]
        index = RuleIndex(kind, rules)
        matched = set()      # id() of current rules the task keeps
        gone = set()         # id() of current rules already planned for deletion
        creates, first, last = [], [], []
        pending = []         # (desired, current rules at its slot)
        for d in desired:
            if d["state"] == "absent":
                for c in self._absent_matches(d, index):
                    if id(c) not in gone:
                        gone.add(id(c))
                        last.append(contract.change(kind, contract.DELETE, c, None))
                continue
            have = self._exact(d, index)
            if have is not None:
                matched.add(id(have))
                continue
            same_slot = [c for c, _o in index.by_slot.get(slot(d), ()) if d["priority"] is not None
                         and not kind.kernel_made(c)]
            pending.append((d, same_slot))
        for d, same_slot in pending:
            # a rule the kernel takes for this one (it differs only in not
            # or a goto's target) must go before it is added
            for c in index.by_kernel_key.get(kernel_key(kind, d), ()):
                if id(c) not in matched and id(c) not in gone:
                    gone.add(id(c))
                    first.append(contract.change(kind, contract.DELETE, c, None, NOTE_REPLACED))
            olds = [c for c in same_slot if id(c) not in matched and id(c) not in gone]
            for c in olds:
                gone.add(id(c))
                last.append(contract.change(kind, contract.DELETE, c, None, NOTE_REPLACED))
            replaces = olds or [ch for ch in first if kernel_key(kind, ch["before"]) == kernel_key(kind, d)]
            creates.append(contract.change(kind, contract.CREATE, None, _public(d),
                                           NOTE_REPLACED if replaces else None))
        if replaced is not None:
            for c in rules:
                if id(c) not in matched and id(c) not in gone and self._owned(c, replaced):
                    gone.add(id(c))
                    last.append(contract.change(kind, contract.DELETE, c, None, "not listed (state=replaced)"))
        self._assign_priorities(creates, [ch["before"] for ch in first], rules)
        return first + creates + last

    def _owned(self, obj, replaced):
        """Under state=replaced: a rule of the task's protocol in the
        priority ranges or tables it names (never the kernel's own)."""
        proto, tables, ranges = replaced
        if self.kind.kernel_made(obj) or obj["protocol"] != proto:
            return False
        if obj["table"] is not None and table_id(obj["table"]) in tables:
            return True
        return any(lo <= obj["priority"] <= hi for lo, hi in ranges)

    def _assign_priorities(self, creates, deleted_first, rules):
        """Give each create without a priority the one the kernel would
        pick (fib_default_rule_pref: one below the second rule of the
        family's list, or 0), in plan order, after the deletes that run
        before the creates."""
        early = set(id(c) for c in deleted_first)
        prefs = {}
        for c in rules:
            if id(c) not in early:
                prefs.setdefault(family_of(c), []).append(c["priority"])
        for ch in creates:
            obj = ch["after"]
            fam_prefs = sorted(prefs.setdefault(obj["family"], []))
            if obj["priority"] is None:
                obj["priority"] = fam_prefs[1] - 1 if len(fam_prefs) > 1 and fam_prefs[1] else 0
                ch["key"] = list(self.kind.key(obj))
            prefs[obj["family"]].append(obj["priority"])

    # -- results ---------------------------------------------------------------

    def after(self, ctx, desired, params, current):
        rules = self._read(ctx, desired.scope["families"]) if ctx.write_requests else current.seen
        index = RuleIndex(self.kind, rules)
        out = []
        for d in desired:
            if d["state"] == "present":
                have = self._exact(d, index)
                if have is not None:
                    out.append(contract.public(have))
        return out


def _shared_defaults(params):
    """The top-level options that apply to every item, validated."""
    defaults = {}
    if params.get("family") is not None:
        defaults["family"] = family_word("family", params["family"])
    if params.get("protocol") is not None:
        defaults["protocol"] = protocol("protocol", params["protocol"])
    return defaults


def _gather_filters(params, defaults):
    """``state: gathered``'s filters (family, protocol, table) and the
    families it reads."""
    filters = dict(defaults)
    if params.get("table") is not None:
        filters["table"] = table_id(table("table", params["table"]))
    return filters, (defaults["family"],) if "family" in defaults else (4, 6)


def _selector_key(obj):
    return (family_of(obj),) + selector(obj)


class RuleIndex:
    """Current rules by slot, by (family, selector) and by kernel_key,
    each with its outcome, built once per plan: matching a thousand rules
    is then a thousand lookups, not a million comparisons."""

    def __init__(self, kind, rules):
        self.by_slot, self.by_selector, self.by_kernel_key = {}, {}, {}
        for c in rules:
            pair = (c, outcome(c))
            self.by_slot.setdefault(slot(c), []).append(pair)
            self.by_selector.setdefault(_selector_key(c), []).append(pair)
            self.by_kernel_key.setdefault(kernel_key(kind, c), []).append(c)


def gathered_form(obj):
    """A rule in the shortest input form that makes it again: what is
    off, empty or implied is left out; family, priority and protocol
    always stay (a rule fed back without its protocol would be the
    collection's own)."""
    out = {"family": obj["family"], "priority": obj["priority"]}
    for field in ("invert", "from", "to", "tos", "dscp", "iif", "oif", "fwmark", "uidrange", "ipproto",
                  "sport", "dport", "l3mdev", "action", "table", "goto", "realms",
                  "suppress_prefixlength", "suppress_ifgroup"):
        value = obj.get(field)
        if value is None or (field in ("invert", "l3mdev") and not value) or (field == "tos" and value == 0):
            continue
        if field == "action" and value == "lookup":
            continue
        out[field] = value
    out["protocol"] = obj["protocol"]
    return out
