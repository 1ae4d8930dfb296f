# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the kernel deletes with objects of a parent kind, as the kinds
declare it (``ObjectKind.dies_with``, contract/cascade.py), planned as
implied changes of the change that makes the kernel do it.

A parent kind's cascade (tasks/link_cascade.py for links) reads what goes
with its gone objects (``read``), ties each change to its cause (``tie``)
and places them among its own steps (``placed``).  A task that deletes
objects some kind dies with, and has no steps of its own, takes its
deletes with what goes with them in plan order (``with_dependents``).
Nothing here knows a kind by name: a kind that dies with a link, or a
route that dies with a nexthop object, is a declaration in its own file.

Chains: what goes may take more with it (a link takes its nexthops, a
nexthop its routes and the groups it leaves, a group left empty its
routes).  Both entry points follow them the same way, level by level:
the deletes found at one level are the gone parents of the next, read
once for all of them (one read per declaring kind and level, not per
object), and each object is planned once, by the first level that finds
it.  What a level finds goes just before the delete that takes it, so an
undo (the reverse order) brings the parent back before what depends on
it.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from .. import contract
from ..objects import registry


def declared(parent):
    """(kind, declaration) of every kind that declares dying with the
    kind named ``parent``, in the manifest's order."""
    return [(kind, dies) for kind in registry.kinds() for dies in kind.dies_with if dies.parent == parent]


def read(parent, ctx, gone):
    """What goes with the ``parent``-kind objects ``gone`` (name -> object):
    [(declaration, {parent name: [changes]})], one entry per declaring
    kind, in the manifest's order (the order of the reads); each list with
    what goes with its deletes in turn (chains) before them."""
    found = [(dies, dies.read(kind, ctx, gone)) for kind, dies in declared(parent)]
    flat = [ch for _dies, by_name in found for chs in by_name.values() for ch in chs]
    seen = set(contract.identity(ch) for ch in flat)
    if not any(_has_dependents(ch) for ch in flat):
        return found
    blocks = iter(_expanded(ctx, flat, seen))
    out = []
    for dies, by_name in found:
        out.append((dies, dict((name, [ch for _each in chs for ch in next(blocks)]) for name, chs in by_name.items())))
    return out


def with_dependents(ctx, changes, planned=()):
    """``changes`` (a task's plan) in plan order with what goes with each
    of its deletes just before it, followed down chains, each tied to the
    delete whose request makes the kernel do it.  ``planned``: identities
    the task plans itself (never planned again as a dependent)."""
    seen = set(contract.identity(ch) for ch in changes) | set(planned)
    if not any(_has_dependents(ch) for ch in changes):
        return list(changes)
    return [ch for block in _expanded(ctx, changes, seen) for ch in block]


def _has_dependents(ch):
    return ch["op"] == contract.DELETE and bool(declared(ch["kind"]))


def _cause_of(ch):
    """The change whose request makes ``ch`` happen: itself, or what it is
    implied by."""
    by = (ch.get("implied") or {}).get("by")
    return dict(by, stage=ch["stage"]) if by else ch


def _expanded(ctx, items, seen):
    """Per item of ``items``, a block: what goes with it (already followed
    down) and then the item.  ``seen``: identities planned already."""
    direct = _direct(ctx, items, seen)
    flat = [d for deps in direct for d in deps]
    nested = iter(_expanded(ctx, flat, seen) if flat else ())
    out = []
    for item, deps in zip(items, direct):
        block = []
        for _dep in deps:
            block.extend(next(nested))
        out.append(block + [item])
    return out


def _direct(ctx, items, seen):
    """Per item, what goes with it directly (one read per declaring kind
    for all the deletes of one parent kind), tied to its cause."""
    deps = [[] for _item in items]
    by_kind = {}
    for i, item in enumerate(items):
        if _has_dependents(item):
            by_kind.setdefault(item["kind"], []).append(i)
    for name in sorted(by_kind, key=lambda n: by_kind[n][0]):
        parent = registry.kind(name)
        gone, index_of = {}, {}
        for i in by_kind[name]:
            ref = parent.ref(items[i]["before"])
            if ref not in gone:
                gone[ref], index_of[ref] = items[i]["before"], i
        for kind, dies in declared(name):
            found = dies.read(kind, ctx, gone)
            for ref in gone:
                for ch in found.get(ref, ()):
                    if contract.identity(ch) in seen:
                        continue
                    seen.add(contract.identity(ch))
                    cause = _cause_of(items[index_of[ref]])
                    deps[index_of[ref]].append(tie(ch, cause, dies.role, parent=name))
    return deps


def tie(ch, cause, role, parent=None):
    """``ch`` as implied by ``cause`` (see contract.implied), in its stage;
    marked ``returns`` when the kind declares the kernel brings it back by
    itself with a parent of ``cause``'s kind (``parent``: of that kind
    instead, for a change further down a chain)."""
    ch = contract.implied(dict(ch), cause, role, returns=_returns(ch, parent or cause["kind"]))
    ch["stage"] = cause["stage"]
    return ch


def _returns(ch, parent):
    for dies in registry.kind(ch["kind"]).dies_with:
        if dies.parent == parent:
            return bool(dies.returns(ch))
    return False


def placed(steps, dying, names, cause, note=None):
    """The cascade of ``cause`` in plan order: for each of the parent's own
    steps, ``steps`` ((step name, [its changes, tied already]) in order),
    what the declarations place just before it, its changes, what they
    place just after it; then what names no step.  ``dying``: from read();
    ``names``: the gone parents whose dependents belong to ``cause``, in
    order; ``note``: replaces the dependents' own notes (a move rather
    than a delete)."""
    known = [name for name, _changes in steps]
    for dies, _found in dying:
        for anchor in (dies.before, dies.after):
            if anchor is not None and anchor not in known:
                # a declaration's mistake, found by the first plan that uses it
                raise ValueError("%s: no step %r in the %s cascade (its steps: %s)" % (
                    type(dies).__name__, anchor, dies.parent, ", ".join(known)))

    def dependents(at):
        out = []
        for dies, found in dying:
            if at(dies):
                for name in names:
                    for ch in found.get(name, ()):
                        # one found down a chain keeps the role it was found in
                        role = ch["implied"]["as"] if ch.get("implied") else dies.role
                        out.append(tie(ch if note is None else dict(ch, note=note), cause, role))
        return out

    out = []
    for step, changes in steps:
        out.extend(dependents(lambda d, s=step: d.before == s))
        out.extend(changes)
        out.extend(dependents(lambda d, s=step: d.after == s))
    out.extend(dependents(lambda d: d.before is None and d.after is None))
    return out
