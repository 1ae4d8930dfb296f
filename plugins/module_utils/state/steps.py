# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A saved state (section name -> value, and a mode) as the modules'
tasks: one task per run of sections of one module (sections.groups),
additions in the table's order, then removals (items with ``state:
absent``) in the reverse order, as a play of the network role runs them.
netlink-host (one task after the other) and nl_state (one transaction,
state/whole.py) both start here.

An error names the section and the item's index in the section as given
(``routes[3].gateway: ...``): a task numbers the items of its own option
(nl_addr's ``devices[0]``), and of the part of the list its run holds (a
removal run holds only the absent items), so its words are renumbered.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ..tasks import argspec
from .sections import argument_spec, groups


def label(run):
    return "%s (%s %s)" % ("+".join(s.name for s in run), run[0].module,
                           ", ".join(s.option for s in run))


def split(values, mode):
    """(sections, values, state, indices) for each task, in the order they
    run; ``indices``: section name -> the index in the section as given of
    each item the run holds (None for a mapping)."""
    kept, gone = {}, {}
    for name, value in values.items():
        if isinstance(value, list):
            kept[name] = [(i, v) for i, v in enumerate(value) if not _absent(v)]
            gone[name] = [(i, v) for i, v in enumerate(value) if _absent(v)]
        else:
            kept[name] = value
    out = []
    for run in groups([n for n, v in kept.items() if v]):
        out.append(_run(run, kept, mode))
    for run in reversed(groups([n for n, v in gone.items() if v])):
        out.append(_run(run, gone, "absent"))
    return out


def _absent(item):
    return isinstance(item, dict) and item.get("state") == "absent"


def _run(run, parts, state):
    values, indices = {}, {}
    for s in run:
        part = parts[s.name]
        if isinstance(part, list):
            values[s.name] = [v for _i, v in part]
            indices[s.name] = [i for i, _v in part]
        else:
            values[s.name], indices[s.name] = part, None
    return run, values, state, indices


def make_params(run, values, state, netns, extra=None):
    """The params of ``run``'s module for ``values`` (its sections'), as
    AnsibleModule would hand them to the module."""
    spec = argument_spec(run[0])
    data = dict(extra or {})
    for section in run:
        if section.name in values:
            data[section.option] = values[section.name]
    choices = spec.get("state", {}).get("choices") or ()
    if state in choices:
        data["state"] = state
    data["netns"] = netns
    return argspec.normalize(spec, data)


def worded(run, text, indices=None):
    """A task's error or warning ``text`` in the state's words: each
    ``option[i]`` becomes ``section[index as given]``; a text that names
    no item is said of the run's sections (``rules: ...``)."""
    out, named = text, 0
    for section in run:
        given = (indices or {}).get(section.name)

        def renamed(found, name=section.name, given=given):
            i = int(found.group(1))
            return "%s[%d]" % (name, given[i] if given is not None and i < len(given) else i)
        out, count = re.subn(r"(?<![\w.])%s\[(\d+)\]" % re.escape(section.option), renamed, out)
        named += count
    if named:
        return out
    for section in run:
        if text.startswith(section.option + ":") or text.startswith(section.option + "."):
            return section.name + text[len(section.option):]
    return "%s: %s" % ("+".join(s.name for s in run), text)


def reworded(run, exc, indices=None):
    """``exc`` (contract.ValidationError or PlanError) of the same type, in
    the state's words."""
    return type(exc)(worded(run, str(exc), indices))


__all__ = ["label", "make_params", "reworded", "split", "worded"]
