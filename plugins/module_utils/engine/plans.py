# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The engine's plans: the fewest changes from current to desired.

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
applying a plan (``engine/applier.py``), through the same code path.

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

import json
import os

from ..contract import CREATE, DELETE, PlanError, UPDATE, change


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
