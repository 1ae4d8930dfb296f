# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""nl_nexthop's Task: params -> validated nexthops (tasks/nexthop_input.py);
one nexthop dump (nexthop tables are small beside route tables; a GET per
id would cost more for a task of many); a plan in the order the kernel
needs: single nexthops, then groups (a group's members must exist), then
the deletes, groups first, each with what goes with it (the routes using
it, the groups it leaves: engine/cascade.with_dependents).

Ownership.  A nexthop is the task's when its protocol is the task's
(default ``static``) or unset (``unspec``, ``ip nexthop add`` without
``proto``).  ``present`` refuses to overwrite another protocol's nexthop
(a routing daemon's); ``absent`` deletes only the task's; ``replaced``
also deletes the task's protocol's nexthops that are not listed.

A change the kernel cannot make in place (a nexthop turned into a group,
a group's type or bucket count, the fdb flag) is delete + create when
nothing uses the nexthop, and refused when routes do (the delete would
take them).
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from .. import contract
from ..engine import cascade
from ..objects import registry
from ..objects.nexthop import is_group
from .base import Task
from .nexthop_input import DEFAULT_PROTOCOL, ENTRY_OPTIONS, entry, item_raw, protocol
from .validate import fail

UNSPEC = "unspec"
NOTE_FIXED = "re-created: the kernel cannot change %s in place"
NOTE_REPLACED = "not listed (state=replaced)"


def _public(obj):
    return dict((k, v) for k, v in obj.items() if k != "state")


class NexthopTask(Task):
    """Desired nexthops carry their scope (``{"replaced": protocol or
    None}``); current ones are every nexthop, by key."""

    result_key = "nexthops"

    def __init__(self):
        self.kind = registry.kind("nexthop")

    def desired(self, params):
        state = params.get("state") or "present"
        many = params.get("nexthops")
        given = [k for k in ENTRY_OPTIONS if params.get(k) is not None and k != "protocol"]
        if state == "gathered":
            if given or many is not None:
                raise contract.ValidationError("%s: state=gathered takes no nexthop"
                                               % ", ".join(given + (["nexthops"] if many is not None else [])))
            return contract.Desired([], scope={"replaced": None})
        if many is not None:
            if given:
                raise contract.ValidationError("%s: given with nexthops; give them in each item" % ", ".join(given))
            if not isinstance(many, list):
                fail("nexthops", many, "not a list")
            items = [("nexthops[%d]" % i, item_raw("nexthops[%d]" % i, item)) for i, item in enumerate(many)]
        elif given:
            items = [(None, dict((k, params[k]) for k in ENTRY_OPTIONS if params.get(k) is not None))]
        elif state == "replaced":
            items = []
        else:
            raise contract.ValidationError("state=%s needs a nexthop (id and gateway, dev, blackhole or group) "
                                           "or nexthops" % state)
        out, seen = [], {}
        for where, raw in items:
            if many is not None and params.get("protocol") is not None and raw.get("protocol") is None:
                raw["protocol"] = params["protocol"]
            item_state = raw.pop("state", None) or ("absent" if state == "absent" else "present")
            if item_state not in ("present", "absent"):
                fail("%s.state" % where if where else "state", item_state, "an item's state is present or absent")
            obj = entry(raw, (lambda o, w=where: "%s.%s" % (w, o) if w else o), item_state)
            if obj["id"] in seen:
                fail("%s.id" % where if where else "id", obj["id"], "is listed twice (also %s)" % seen[obj["id"]])
            seen[obj["id"]] = where or "id"
            out.append(obj)
        replaced = protocol("protocol", params.get("protocol") or DEFAULT_PROTOCOL) if state == "replaced" else None
        return contract.Desired(out, scope={"replaced": replaced})

    def current(self, ctx, desired, params, mode):
        return contract.Current(dict((self.kind.key(o), o) for o in self.kind.dump(ctx)))

    def check(self, ctx, desired, current, params, mode):
        """Members must exist (now or created by the task) and not be
        groups; a device must exist."""
        present = dict((d["id"], d) for d in desired if d["state"] == "present")
        gone = set(d["id"] for d in desired if d["state"] == "absent")
        for d in present.values():
            if d.get("dev") and ctx.ifindex(d["dev"], required=False) is None:
                self.missing_in_check_mode(mode, "dev=%s" % d["dev"], "planned as if it existed",
                                           "dev: %r: no such device" % d["dev"], made=("link", (d["dev"],)))
            for i, m in enumerate(d.get("group") or ()):
                member = present.get(m["id"]) or (None if m["id"] in gone else current.get((m["id"],)))
                if member is None:
                    fail("group[%d].id" % i, m["id"], "no such nexthop (nor one the task creates)")
                if is_group(member):
                    fail("group[%d].id" % i, m["id"], "is a group; a group's members are single nexthops")
        return []

    def plan(self, ctx, desired, current, params, mode):
        kind = self.kind
        singles, groups, deletes = [], [], []
        listed = set()
        for d in desired:
            key = kind.key(d)
            listed.add(key)
            have = current.get(key)
            if d["state"] == "absent":
                if have is not None and have["protocol"] in (d["protocol"], UNSPEC):
                    deletes.append(contract.change(kind, contract.DELETE, have, None))
                elif have is not None:
                    mode.warnings.append("nexthop %s: left as it is: of protocol %s, not the task's"
                                         % (kind.label(have), have["protocol"]))
                continue
            if d.get("encap") and (have or {}).get("encap") != d["encap"]:
                raise contract.PlanError(
                    "nexthop %s: encap=%s: nl_nexthop does not model encapsulation (NHA_ENCAP); a nexthop given "
                    "with it (as gathered returns one) only matches the nexthop the kernel holds with it (%s). "
                    "Make or change it with ip nexthop ... encap"
                    % (kind.label(d), d["encap"], "it holds none" if have is None
                       else "it holds %s" % (have.get("encap") or "none")))
            after = _public(d)
            todo = groups if is_group(d) else singles
            if have is None:
                todo.append(contract.change(kind, contract.CREATE, None, after))
                continue
            if have["protocol"] not in (d["protocol"], UNSPEC):
                raise contract.PlanError("nexthop %s: is of protocol %s; the task (protocol %s) does not overwrite "
                                         "another protocol's nexthop: give protocol=%s to manage it"
                                         % (kind.label(have), have["protocol"], d["protocol"], have["protocol"]))
            fields = kind.differs(after, have)
            if not fields:
                continue
            if have.get("encap"):
                raise contract.PlanError("nexthop %s: has an encapsulation (%s) a replace would strip; delete it "
                                         "first" % (kind.label(have), have["encap"]))
            after = dict(after, kernel=have.get("kernel"))
            fixed = kind.fixed(after, have, fields)
            if fixed:
                gone = cascade.with_dependents(ctx, [contract.change(kind, contract.DELETE, have, None)])
                if len(gone) > 1:
                    raise contract.PlanError("nexthop %s: the kernel cannot change %s in place, and a delete would "
                                             "take %d object(s) using it (%s); delete it first (state=absent)"
                                             % (kind.label(have), ", ".join(fixed), len(gone) - 1,
                                                ", ".join("%s %s" % (c["kind"], c["key"]) for c in gone[:-1][:3])))
                note = NOTE_FIXED % ", ".join(fixed)
                todo.append(contract.change(kind, contract.DELETE, have, None, note))
                todo.append(contract.change(kind, contract.CREATE, None, after, note))
            else:
                todo.append(contract.change(kind, contract.UPDATE, have, after))
        owner = desired.scope["replaced"]
        if owner is not None:
            for key, have in sorted(current.items()):
                if key not in listed and have["protocol"] == owner:
                    deletes.append(contract.change(kind, contract.DELETE, have, None, NOTE_REPLACED))
        # groups before their members, each with what goes with it
        deletes.sort(key=lambda ch: not is_group(ch["before"]))
        planned = [contract.identity(ch) for ch in singles + groups]
        return singles + groups + cascade.with_dependents(ctx, deletes, planned)

    def after(self, ctx, desired, params, current):
        if ctx.write_requests:
            current = self.reread(ctx, desired, params)
        return [contract.public(current[self.kind.key(d)]) for d in desired
                if d["state"] == "present" and self.kind.key(d) in current]

    def gather(self, ctx, params):
        return [gathered_form(o) for o in sorted(self.kind.dump(ctx), key=lambda o: (is_group(o), o["id"]))]


def gathered_form(obj):
    """A nexthop in the shortest input form that makes it again (protocol
    always given: fed back without it, it would be the collection's)."""
    out = {"id": obj["id"]}
    if is_group(obj):
        out["group"] = [dict(m) if m["weight"] != 1 else {"id": m["id"]} for m in obj["group"]]
        if obj["type"] != "mpath":
            out["type"] = obj["type"]
            for field in ("buckets", "idle_timer", "unbalanced_timer"):
                if obj.get(field) is not None:
                    out[field] = obj[field]
    else:
        for field in ("gateway", "dev"):
            if obj.get(field):
                out[field] = obj[field]
        if not obj.get("gateway") and obj.get("family") == 6:
            out["family"] = 6
        for flag in ("onlink", "blackhole"):
            if obj.get(flag):
                out[flag] = True
        if obj.get("encap"):
            out["encap"] = obj["encap"]
    if obj.get("fdb"):
        out["fdb"] = True
    out["protocol"] = obj["protocol"]
    return out
