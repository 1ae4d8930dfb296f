# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The reconcile engine: plan the fewest changes from current to desired,
apply them as batched netlink requests, undo them if the kernel refuses one.

A plan is plain data (a list of dicts, JSON-serialisable) so that it can be
shown in check mode, stored, or handed to another process (commit-confirmed
will apply an *undo plan* later, from a watchdog).  One change is one
request.  A change looks like::

    {"kind": "link", "op": "create" | "update" | "delete",
     "key": [...], "before": {...} | None, "after": {...} | None,
     "stage": 0, "note": "why, when not obvious"}

``before``/``after`` are whole objects in the module's own input format;
the request for an ``update`` carries only the fields that differ.  An
object may also carry a ``kernel`` block: what the kernel holds that the
input format does not express but a faithful request needs (an address's
flags and IFA_PROTO, remaining lifetimes and when they were read; a link's
ifindex).  It is never compared and never shown (``public()`` drops it).

Kinds are stateless (``objects/registry.py`` finds them by name): a change
carries everything its request needs, so another process can replay a
stored plan byte for byte.  A change with ``"implied": true`` is one the
kernel makes by itself as a consequence of another change of the plan (a
veth's peer goes with it; a link's addresses and routes go with the link):
it is planned, shown and undone like any other, but sends no request.  The
inverse of a change swaps ``before`` and ``after`` (and create/delete), so
undoing is applying a plan, through the same code path.

What is specific to one kind of object (links, addresses, routes, SAs)
lives in its ``ObjectKind`` class (``objects/*.py``); nothing here knows
about any of them.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import os

from .netlink.errors import NetlinkError, NetlinkLibraryError

CREATE = "create"
UPDATE = "update"
DELETE = "delete"
MASK = "********"


class ValidationError(Exception):
    """Bad input: the message names the option and the value."""


class PlanError(Exception):
    """The desired state cannot be reached without a step the user did not
    allow (e.g. a field the kernel cannot change in place, without
    ``recreate: true``)."""


class ApplyError(Exception):
    """The kernel refused a change.  ``undone`` says whether the changes
    applied before it were rolled back; ``undo_error`` is set when the
    rollback itself failed."""

    def __init__(self, message, change=None, error=None, undone=True, undo_error=None):
        super(ApplyError, self).__init__(message)
        self.change = change
        self.error = error
        self.undone = undone
        self.undo_error = undo_error


class ObjectKind:
    """What the engine needs to know about one kind of kernel object.

    Subclasses declare ``name``, ``secret_fields`` and ``immutable_fields``
    and implement ``key``, ``request`` and ``command``; they may refine
    ``differs``, ``stage`` and ``after_stage``.
    """

    name = None
    # Fields compared with real bytes but never shown: masked in diff,
    # commands, results and error messages.
    secret_fields = ()
    # Fields the kernel cannot change on an existing object: changing one
    # needs delete + create.
    immutable_fields = ()
    # Fields that only steer the module, never compared with the kernel.
    control_fields = ("state", "kernel")

    def key(self, obj):
        raise NotImplementedError

    def differs(self, desired, current):
        """Names of the fields of ``desired`` whose values differ from
        ``current``.  Fields the user did not give (None) are not compared.
        """
        out = []
        for field, want in desired.items():
            if want is None or field in self.control_fields:
                continue
            have = current.get(field)
            if isinstance(want, dict) and isinstance(have, dict):
                if any(v is not None and have.get(k) != v for k, v in want.items()):
                    out.append(field)
            elif have != want:
                out.append(field)
        return out

    def fixed(self, desired, current, fields):
        """The differing ``fields`` the kernel cannot change in place."""
        return [f for f in fields if f in self.immutable_fields]

    def merged(self, desired, current):
        """``current`` with the fields of ``desired`` applied: the object as
        it will be after an update."""
        out = copy.deepcopy(current)
        for field, want in desired.items():
            if want is None or field in self.control_fields:
                continue
            if isinstance(want, dict) and isinstance(out.get(field), dict):
                out[field].update((k, v) for k, v in want.items() if v is not None)
            else:
                out[field] = copy.deepcopy(want)
        return out

    def stage(self, change):
        """Ordering: changes run in ascending stage; one stage is one batch."""
        return 0

    def after_stage(self, ctx, changes):
        """Called after a stage was applied (refresh name -> index maps)."""

    def request(self, change, ctx):
        """The one netlink Request that carries out ``change``."""
        raise NotImplementedError

    def command(self, change, ctx):
        """The equivalent iproute2 command line for ``change``."""
        raise NotImplementedError

    def protocol(self):
        from .netlink import const
        return const.NETLINK_ROUTE

    def label(self, obj):
        """Short human name of an object, for messages."""
        return " ".join(str(k) for k in self.key(obj) if k not in (None, ""))


def change(kind, op, before, after, note=None):
    obj = after if after is not None else before
    ch = {"kind": kind.name, "op": op, "key": list(kind.key(obj)),
          "before": before, "after": after, "stage": 0}
    if note:
        ch["note"] = note
    ch["stage"] = kind.stage(ch)
    return ch


def inverse(ch):
    """The change that undoes ``ch``."""
    op = {CREATE: DELETE, DELETE: CREATE, UPDATE: UPDATE}[ch["op"]]
    out = dict(ch, op=op, before=ch["after"], after=ch["before"])
    out.pop("note", None)
    return out


def undo_plan(applied):
    """Plain-data undo plan for a list of applied changes."""
    return [inverse(ch) for ch in reversed(applied)]


def plan_item(kind, desired, current, recreate=False):
    """Changes that take one object from ``current`` (or None) to
    ``desired`` (whose ``state`` says present or absent)."""
    if desired.get("state") == "absent":
        return [change(kind, DELETE, current, None)] if current is not None else []
    if current is None:
        return [change(kind, CREATE, None, kind.merged(desired, {}))]
    fields = kind.differs(desired, current)
    if not fields:
        return []
    after = kind.merged(desired, current)
    fixed = kind.fixed(desired, current, fields)
    if fixed:
        what = ", ".join(fixed)
        if not recreate:
            raise PlanError("%s %s: %s cannot be changed in place; set recreate=true to "
                            "delete and re-create it" % (kind.name, kind.label(current), what))
        note = "re-created: %s cannot be changed in place" % what
        return [change(kind, DELETE, current, None, note), change(kind, CREATE, None, after, note)]
    return [change(kind, UPDATE, current, after)]


def order(plan):
    """Stable sort by stage (a plan's natural order breaks ties)."""
    return [item[2] for item in sorted((ch["stage"], i, ch) for i, ch in enumerate(plan))]


def apply(plan, kinds, ctx):
    """Apply ``plan`` (already ordered).  Each run of changes with the same
    stage goes out as one batch.  On the first refusal everything applied
    so far is undone in reverse and ApplyError is raised.  Returns the list
    of applied changes."""
    applied = []
    try:
        _apply_stages(plan, kinds, ctx, applied)
    except _Refused as refused:
        undo_error = None
        try:
            _apply_stages(undo_plan(applied), kinds, ctx, [], one_by_one=True)
        except (_Refused, NetlinkLibraryError) as exc:
            undo_error = exc
        ch = refused.change
        kind = kinds[ch["kind"]]
        msg = "kernel refused %s: %s" % (kind.command(mask_change(kind, ch), ctx), _reason(refused.error))
        if applied:
            if undo_error is None:
                msg += " (the %d change(s) already applied were undone)" % len(applied)
            else:
                msg += " (undoing the %d change(s) already applied FAILED: %s)" % (len(applied), undo_error)
        raise ApplyError(msg, change=ch, error=refused.error, undone=undo_error is None,
                         undo_error=undo_error)
    return applied


def _reason(error):
    """The kernel's words for a refusal, without the request label the
    caller prints already."""
    if isinstance(error, NetlinkError):
        text = os.strerror(error.errno)
        return "%s (%s)" % (text, error.extack) if error.extack else text
    return str(error)


class _Refused(Exception):
    def __init__(self, change, error):
        Exception.__init__(self, str(error))
        self.change = change
        self.error = error


def _stages(plan, one_by_one):
    if one_by_one:
        return [[ch] for ch in plan]
    out = []
    for ch in plan:
        if out and out[-1][0]["stage"] == ch["stage"] and out[-1][0]["kind"] == ch["kind"]:
            out[-1].append(ch)
        else:
            out.append([ch])
    return out


def _apply_stages(plan, kinds, ctx, applied, one_by_one=False):
    for stage in _stages(plan, one_by_one):
        kind = kinds[stage[0]["kind"]]
        requests = []
        for ch in stage:
            # Requests are built stage by stage because they may name
            # objects made by earlier stages (a new bridge's ifindex).
            try:
                requests.append(kind.request(ch, ctx))
            except (PlanError, NetlinkLibraryError) as exc:
                raise _Refused(ch, exc)
        result = ctx.socket(kind.protocol()).batch(requests)
        applied.extend(stage[i] for i in result.applied)
        if not result.ok:
            # Order of "applied" matters for undo: keep plan order.
            raise _Refused(stage[result.failed], result.error)
        kind.after_stage(ctx, stage)


def public(obj):
    """``obj`` without its ``kernel`` block (for results and diffs)."""
    if not isinstance(obj, dict) or "kernel" not in obj:
        return obj
    return dict((k, v) for k, v in obj.items() if k != "kernel")


def mask(kind, obj):
    """A copy of ``obj`` with its secret fields masked, ``kernel`` block
    dropped."""
    obj = public(obj)
    if obj is None or not kind.secret_fields:
        return obj
    out = copy.deepcopy(obj)
    for path in kind.secret_fields:
        node = out
        parts = path.split(".")
        for p in parts[:-1]:
            node = node.get(p) if isinstance(node, dict) else None
            if node is None:
                break
        if isinstance(node, dict) and node.get(parts[-1]) is not None:
            node[parts[-1]] = MASK
    return out


def mask_change(kind, ch):
    if not kind.secret_fields:
        return ch
    return dict(ch, before=mask(kind, ch["before"]), after=mask(kind, ch["after"]))
