# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The reconcile engine's plans: the fewest changes from current to desired.

A plan is plain data (JSON-serialisable) so that it can be shown in check
mode, stored, or handed to another process (commit-confirmed's watchdog
applies an *undo plan* later).  Stored, it is ``plan_document()``:
``{"version", "netns", "changes"}``.  A change looks like::

    {"kind": "link", "op": "create" | "update" | "delete",
     "key": [...], "before": {...} | None, "after": {...} | None,
     "stage": 0, "note": "why, when not obvious",
     "implied": {"by": {"kind", "key"}, "returns": bool},  # optional
     "rewritten": True}  # optional: an earlier undo step changes it by itself

``before``/``after`` are whole objects in the module's own input format;
the request for an ``update`` carries only the fields that differ.  An
object may also carry a ``kernel`` block: what the kernel holds that the
input format does not express but a faithful request needs (an address's
flags and IFA_PROTO, remaining lifetimes and when they were read; a link's
ifindex).  It is never compared and never shown (``public()`` drops it).

Kinds are stateless (``objects/registry.py`` finds them by name): a change
carries everything its request needs, so another process can replay a
stored plan byte for byte.  An ``implied`` change is one the kernel makes
by itself when another change of the plan (``by``) is applied: a veth's
peer goes with it; a link's addresses, routes and stacked links go with
the link.  It is planned, shown and undone like any other, but sends no
request.  ``kind.inverse()`` of a change is a change, so undoing is
applying a plan (``applier.py``), through the same code path.

Changes run in ascending ``stage`` (ties: plan order).  Tasks put deletes
in the last stages, after every create and update, wherever the kernel
allows it: a refused create or update then never has to resurrect what a
delete took.

What is specific to one kind of object (links, addresses, routes, SAs)
lives in its ``ObjectKind`` class (``objects/*.py``); nothing here knows
about any of them.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import json
import os

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
        out = plain_copy(current)
        for field, want in desired.items():
            if want is None or field in self.control_fields:
                continue
            if isinstance(want, dict) and isinstance(out.get(field), dict):
                out[field].update((k, v) for k, v in want.items() if v is not None)
            else:
                out[field] = plain_copy(want)
        return out

    def inverse(self, change):
        """The change that undoes ``change``: before and after swapped.
        What the kernel did by itself must be restored by a request,
        unless it comes back by itself (``implied.returns``).  Kinds may
        return a list of changes instead (a link's alias needs an update
        after its re-creation)."""
        op = {CREATE: DELETE, DELETE: CREATE, UPDATE: UPDATE}[change["op"]]
        out = dict(change, op=op, before=change["after"], after=change["before"])
        out.pop("note", None)
        out.pop("implied", None)
        if (change.get("implied") or {}).get("returns"):
            out["implied"] = change["implied"]
        return out

    def read(self, ctx, objs):
        """The current objects with the keys of ``objs`` (key -> object),
        read narrowly; undo checks what it restored with it.  None: this
        kind cannot read back (undo then trusts the kernel's acks)."""
        return None

    def mismatch(self, expected, actual):
        """Fields in which ``actual`` (read back) is not ``expected`` (the
        object as it was): what an undo did not restore exactly."""
        return self.differs(public(expected), actual)

    def stage(self, change):
        """Ordering: changes run in ascending stage; one stage is one batch."""
        return 0

    def after_stage(self, ctx, changes):
        """Called after a batch was applied (refresh name -> index maps)."""

    def request(self, change, ctx):
        """The one netlink Request that carries out ``change``."""
        raise NotImplementedError

    def command(self, change, ctx):
        """The equivalent iproute2 command line for ``change``."""
        raise NotImplementedError

    def protocol(self):
        from .netlink import const
        return const.NETLINK_ROUTE

    def sent_in(self, change):
        """The namespace whose socket sends ``change``'s request: None for
        the task's own.  Another only to move a link back from the
        namespace it was moved into (undoing ``ip link set X netns Y``)."""
        return None

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


def implied(change_, cause, role, returns=False):
    """Mark ``change_`` as made by the kernel when ``cause`` (a change of
    the same plan that sends a request) is applied; ``role`` says how it
    is tied to the cause (``peer``, ``stacked``, ``port``, ``address``,
    ``route``).  ``returns``: the kernel also brings it back when the cause
    is undone (a kernel-made address or route of a re-created link), so
    its undo sends nothing either; it is only checked."""
    change_["implied"] = {"by": {"kind": cause["kind"], "key": list(cause["key"])}, "as": role}
    if returns:
        change_["implied"]["returns"] = True
    return change_


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


PLAN_VERSION = 1


def plan_document(changes, netns=None):
    """A plan as stored or handed to another process."""
    return {"version": PLAN_VERSION, "netns": netns, "changes": changes}


def load_plan(doc):
    """The changes of a stored plan; refuses a plan of a newer format."""
    version = doc.get("version") if isinstance(doc, dict) else None
    if not isinstance(version, int) or not 1 <= version <= PLAN_VERSION:
        raise ValueError("plan version %r: this code reads plan versions 1 to %d" % (version, PLAN_VERSION))
    if not isinstance(doc.get("changes"), list):
        raise ValueError("plan without a list of changes")
    return doc["changes"]


def save_plan(path, doc):
    """Write a plan document where only root can read it: plans hold
    secrets in clear (an undo must restore an SA's real key).  The file is
    created 0600 (never widened by the umask, never left half-written:
    written beside and renamed), in a directory that must not be group- or
    world-accessible."""
    folder = os.path.dirname(os.path.abspath(path))
    mode = os.stat(folder).st_mode
    if mode & 0o077:
        raise ValueError("%s: a plan may hold secrets; its directory must be private (mode %o)"
                         % (folder, mode & 0o777))
    tmp = "%s.%d.tmp" % (path, os.getpid())
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w") as f:
            json.dump(doc, f, sort_keys=True)
        os.rename(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def order(plan):
    """Stable sort by stage (a plan's natural order breaks ties)."""
    return [item[2] for item in sorted((ch["stage"], i, ch) for i, ch in enumerate(plan))]


_ATOMS = (str, int, float, bool, type(None))


def plain_copy(value):
    """A deep copy of plain data (what objects are made of), without
    copy.deepcopy's memo and dispatch per scalar: a plan of 10,000 routes
    copies 200,000 fields.  Anything else is left to copy.deepcopy."""
    cls = type(value)
    if cls in _ATOMS:
        return value
    if cls is dict:
        return {k: plain_copy(v) for k, v in value.items()}
    if cls is list:
        return [plain_copy(v) for v in value]
    return copy.deepcopy(value)


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
