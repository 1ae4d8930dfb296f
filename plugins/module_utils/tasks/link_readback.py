# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""nl_link after applying: what the kernel shows against what was asked.

The kernel may accept a setting without applying it (an option of a feature
it was built without, a value a driver ignores).  Re-sending it on every run
would never converge and would hide the problem, so the run reads the links
back (it does anyway, for its result) and:

- warns for every field of a link that still differs from what was asked,
  naming the link, the field, the value asked and the value the kernel
  shows;
- reports ``changed`` only when the kernel's state really moved: an update
  whose link reads back exactly as it was before the run changed nothing.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from .. import contract


def _fields(kind, want, have):
    """Dotted names of the fields of ``want`` that ``have`` does not show."""
    out = []
    for field in kind.differs(want, have):
        block = want.get(field)
        if isinstance(block, dict) and isinstance(have.get(field), dict):
            out.extend("%s.%s" % (field, k) for k, v in sorted(block.items())
                       if v is not None and have[field].get(k) != v)
        else:
            out.append(field)
    return out


def _value(obj, dotted):
    for part in dotted.split("."):
        obj = obj.get(part) if isinstance(obj, dict) else None
    return obj


def read_back(kind, plan, desired, current, after):
    """(warnings, changed) for a run that applied ``plan``."""
    got = dict((kind.key(obj), obj) for obj in after)
    warnings = []
    for want in desired:
        have = got.get(kind.key(want))
        if want["state"] == "absent" or have is None:
            continue
        for dotted in _fields(kind, want, have):
            shown = _value(have, dotted)
            shown = "does not show it" if shown is None else "shows %s" % shown
            warnings.append("link %s: %s=%s was accepted by the kernel, but after the run it %s "
                            "(a setting this kernel ignores?)" % (want["name"], dotted, _value(want, dotted), shown))
    changed = False
    for ch in plan:
        key = tuple(ch["key"])
        if ch["op"] != contract.UPDATE or key not in got:
            changed = True
            break
        if contract.public(current.get(key)) != contract.public(got[key]):
            changed = True
            break
    return warnings, changed
