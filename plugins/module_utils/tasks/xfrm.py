# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""nl_xfrm's Task: IPsec SAs, policies and the default policies of a
namespace, three object kinds in one plan.

Reads: one SA dump and one policy dump (the kernel has no filter that
would select SAs or policies by what a task names), one GETDEFAULT.

Order (stages), so that traffic never meets a policy without its SA:
SAs are created or updated first, then policies, then the defaults; then
policies are deleted, and SAs last.  An SA whose SPI stays but whose key,
algorithm, mode or other field XFRM_MSG_UPDSA cannot change is deleted and
re-added right there (the kernel holds one SA per dst/SPI/proto/mark); a
rekey to a new SPI is make-before-break: the new SA is added in the first
stage and the old one (removed with ``state: absent`` or ``replaced``)
goes in the last.

``replaced`` removes, per kind, the SAs (policies) not listed that share
a reqid, a mark or an if_id with a listed SA (policy; a policy's reqids
are its templates'); never anything else of the SAD/SPD.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import functools

from .. import contract
from ..engine import plans
from ..netlink import const as C
from ..netlink.errors import NetlinkError
from ..objects import registry
from ..objects.xfrm_state import mark_text
from .base import Task
from .xfrm_gather import gathered_default, gathered_policy, gathered_sa
from . import xfrm_validate as V

SA, POLICY, DEFAULT = "xfrm_state", "xfrm_policy", "xfrm_default"
MANAGED_PROTOS = ("esp", "ah", "comp")
# Stages (see the module docstring).
SA_WRITE, POLICY_WRITE, DEFAULT_WRITE, POLICY_DELETE, SA_DELETE = range(5)


def _stage(ch):
    if ch["kind"] == DEFAULT:
        return DEFAULT_WRITE
    if ch["op"] == contract.DELETE and not ch.get("note"):
        return POLICY_DELETE if ch["kind"] == POLICY else SA_DELETE
    return SA_WRITE if ch["kind"] == SA else POLICY_WRITE


class XfrmTask(Task):

    def __init__(self):
        self.sa = registry.kind(SA)
        self.policy = registry.kind(POLICY)
        self.default = registry.kind(DEFAULT)

    # defaults: the namespace's one default-policy object (a dict), not a list
    single_results = ("defaults",)

    def result_keys(self):
        return {SA: "states", POLICY: "policies", DEFAULT: "defaults"}

    # -- params -> desired ---------------------------------------------------

    def desired(self, params):
        state = params.get("state") or "present"
        states, policies = params.get("states"), params.get("policies")
        if state == "gathered":
            if states or policies or params.get("defaults"):
                raise contract.ValidationError("state=gathered takes no states, policies or defaults")
            return []
        if params.get("show_keys"):
            raise contract.ValidationError("show_keys=true is for state=gathered only")
        if state == "absent" and params.get("defaults"):
            raise contract.ValidationError("defaults: cannot be absent (every namespace has them); "
                                           "set them to allow")
        out = []
        seen = {}
        for i, item in enumerate(states or ()):
            obj = V.sa(item, "states[%d]" % i, state)
            self._unique(seen, SA, self.sa, obj, "states[%d]" % i)
            out.append((SA, obj))
        for i, item in enumerate(policies or ()):
            obj = V.policy(item, "policies[%d]" % i, state)
            self._unique(seen, POLICY, self.policy, obj, "policies[%d]" % i)
            out.append((POLICY, obj))
        defaults = V.defaults(params.get("defaults"))
        if defaults is not None:
            out.append((DEFAULT, dict(defaults, state="present")))
        return out

    @staticmethod
    def _unique(seen, name, kind, obj, where):
        key = (name,) + tuple(kind.key(obj))
        if key in seen:
            raise contract.ValidationError("%s: the same %s as %s (%s)" % (where, "SA" if name == SA else "policy",
                                                                           seen[key], kind.label(obj)))
        seen[key] = where

    # -- the kernel's side -----------------------------------------------------

    def _read(self, ctx, defaults=True):
        out = {}
        sock = ctx.socket(C.NETLINK_XFRM)
        for msg in sock.dump(C.XFRM_MSG_GETSA, label="ip xfrm state list"):
            obj = self.sa.from_msg(msg, ctx)
            if obj["proto"] in MANAGED_PROTOS:
                out[(SA,) + tuple(self.sa.key(obj))] = obj
        for msg in sock.dump(C.XFRM_MSG_GETPOLICY, label="ip xfrm policy list"):
            obj = self.policy.from_msg(msg, ctx)
            out[(POLICY,) + tuple(self.policy.key(obj))] = obj
        if defaults:
            try:
                found = self.default.read(ctx, None)
                out[(DEFAULT,) + self.default.key(None)] = found[self.default.key(None)]
            except NetlinkError:
                pass  # a kernel before 5.16 has no default policies
        return out

    def current(self, ctx, desired, params, mode):
        return self._read(ctx, defaults=any(name == DEFAULT for name, _obj in desired))

    def kind_of(self, name):
        return {SA: self.sa, POLICY: self.policy, DEFAULT: self.default}[name]

    # -- planning --------------------------------------------------------------

    def plan(self, ctx, desired, current, params, mode):
        _check_devices(ctx, desired, functools.partial(self.missing_in_check_mode, mode))
        changes = []
        for name, item in desired:
            kind = self.kind_of(name)
            have = current.get((name,) + tuple(kind.key(item)))
            if name == DEFAULT and have is None:
                raise contract.ValidationError("defaults: this kernel has no default policies (5.16+)")
            for ch in plans.plan_item(kind, item, have, recreate=True):
                if ch.get("note"):
                    ch["note"] = ("re-created (delete + add, same SPI): %s cannot be changed by an SA update"
                                  % ch["note"].split(": ", 1)[1].replace(" cannot be changed in place", ""))
                changes.append(ch)
        if params.get("state") == "replaced":
            changes += self._replaced(desired, current)
        for ch in changes:
            ch["stage"] = _stage(ch)
        return plans.order(changes)

    def _replaced(self, desired, current):
        out = []
        for name, ties in ((SA, _sa_ties), (POLICY, _policy_ties)):
            kind = self.kind_of(name)
            listed = [obj for n, obj in desired if n == name]
            keys = set(tuple(kind.key(obj)) for obj in listed)
            scope = [set(), set(), set()]
            for obj in listed:
                for i, values in enumerate(ties(obj)):
                    scope[i] |= values
            for key, obj in sorted(current.items(), key=lambda kv: repr(kv[0])):
                if key[0] != name or tuple(key[1:]) in keys:
                    continue
                if any(values & scope[i] for i, values in enumerate(ties(obj))):
                    out.append(contract.change(kind, contract.DELETE, obj, None))
        return out

    # -- results ---------------------------------------------------------------

    def results(self, ctx, desired, params, current):
        now = self._read(ctx, defaults=any(n == DEFAULT for n, _o in desired)) if ctx.write_requests else current
        out = {"states": [], "policies": []}
        for name, item in desired:
            found = now.get((name,) + tuple(self.kind_of(name).key(item)))
            if name == DEFAULT:
                out["defaults"] = found
            elif found is not None:
                out["states" if name == SA else "policies"].append(found)
        return out

    def planned(self, plan, current):
        out = Task.planned(self, plan, current)
        out.pop("defaults")
        for ch in plan:
            if ch["kind"] == DEFAULT:
                out["defaults"] = ch["after"]
        if "defaults" not in out and current and current.get((DEFAULT, "default")):
            out["defaults"] = current[(DEFAULT, "default")]
        return out

    def gather(self, ctx, params):
        now = self._read(ctx)
        show = bool(params.get("show_keys"))
        out = {"states": [], "policies": []}
        for key in sorted(now, key=repr):
            obj = now[key]
            if key[0] == SA:
                sa = gathered_sa(obj)
                out["states"].append(sa if show else contract.mask(self.sa, sa))
            elif key[0] == POLICY:
                out["policies"].append(gathered_policy(obj))
            else:
                out["defaults"] = gathered_default(obj)
        return out


def _check_devices(ctx, desired, missing):
    """The devices the SAs and policies to create or update name must exist:
    the request could not be built otherwise.  In check mode an earlier
    task of the play may create one: ``missing`` (the task's
    missing_in_check_mode) warns, and the SA or policy is planned as if it
    were there (it names the device, not its ifindex, until its request is
    built)."""
    count = {SA: 0, POLICY: 0}
    for name, obj in desired:
        if name == DEFAULT:
            continue
        where = "%s[%d]" % ("states" if name == SA else "policies", count[name])
        count[name] += 1
        if obj.get("state") == "absent":
            continue
        for option, dev in (("selector.dev", (obj.get("selector") or {}).get("dev")),
                            ("offload.dev", (obj.get("offload") or {}).get("dev"))):
            if dev and not isinstance(dev, int) and ctx.ifindex(dev, required=False) is None:
                missing("%s.%s=%s" % (where, option, dev), "%s is planned as if it did" % where,
                        "%s.%s=%s: no such link" % (where, option, dev), made=("link", (dev,)))


def _sa_ties(obj):
    return ({obj["reqid"]} - {0, None} if obj.get("reqid") else set(),
            {mark_text(obj["mark"])} if obj.get("mark") else set(),
            {obj["if_id"]} if obj.get("if_id") else set())


def _policy_ties(obj):
    return (set(t["reqid"] for t in obj.get("templates") or () if t.get("reqid")),
            {mark_text(obj["mark"])} if obj.get("mark") else set(),
            {obj["if_id"]} if obj.get("if_id") else set())
