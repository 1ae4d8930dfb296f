# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every object kind by the name a plan's changes carry.

Kinds are stateless: a change holds everything its request needs, so any
process (a module, commit-confirmed's watchdog, the boot-time applier)
that has a plan's JSON can look its kinds up here and build the same
requests.  The kinds are those of objects/manifest.py, imported on first
use, so a task that never touches IPsec does not load the xfrm schemas.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from . import manifest


def _load(name):
    for entry in manifest.KINDS:
        if entry.name == name:
            return entry.load()
    raise KeyError("no object kind %r (known: %s)" % (name, ", ".join(manifest.kind_names())))


_loaded = {}


def register(kind_):
    """Add a kind that is not one of this collection's own (engine tests
    use made-up kinds); a name already taken is refused."""
    if kind_.name in manifest.kind_names() or kind_.name in _loaded:
        raise KeyError("object kind %r exists already" % kind_.name)
    _loaded[kind_.name] = kind_


def kind(name):
    """The (shared, stateless) kind object called ``name``."""
    found = _loaded.get(name)
    if found is None:
        found = _load(name)
        if found.name != name:
            raise KeyError("%s calls itself %r, not %r" % (type(found).__name__, found.name, name))
        _loaded[name] = found
    return found


def kinds():
    """Every kind: the manifest's in its order, then those registered
    (loads them all: for questions about every kind, such as which die
    with a link, asked only when the answer is needed)."""
    out = [kind(name) for name in manifest.kind_names()]
    out.extend(k for name, k in list(_loaded.items()) if name not in manifest.kind_names())
    return out
