# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the kernel deletes with objects of a parent kind, as the kinds
declare it (``ObjectKind.dies_with``, contract/cascade.py), planned as
implied changes of the change that makes the kernel do it.

A parent kind's cascade (tasks/link_cascade.py for links) reads what goes
with its gone objects (``read``), ties each change to its cause (``tie``)
and places them among its own steps (``placed``).  Nothing here knows a
kind by name: a kind that dies with a link, or a route that dies with a
nexthop object, is a declaration in its own file.
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
    kind, in the manifest's order (the order of the reads)."""
    return [(dies, dies.read(kind, ctx, gone)) for kind, dies in declared(parent)]


def tie(ch, cause, role):
    """``ch`` as implied by ``cause`` (see contract.implied), in its stage;
    marked ``returns`` when the kind declares the kernel brings it back by
    itself with a parent of ``cause``'s kind."""
    ch = contract.implied(dict(ch), cause, role, returns=_returns(ch, cause["kind"]))
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
                        out.append(tie(ch if note is None else dict(ch, note=note), cause, dies.role))
        return out

    out = []
    for step, changes in steps:
        out.extend(dependents(lambda d, s=step: d.before == s))
        out.extend(changes)
        out.extend(dependents(lambda d, s=step: d.after == s))
    out.extend(dependents(lambda d: d.before is None and d.after is None))
    return out
