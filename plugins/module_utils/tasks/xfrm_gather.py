# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""nl_xfrm's ``state: gathered`` forms: each SA and policy in the shortest
input that reproduces it (fields at the kernel's defaults left out), so
that the output can be fed back as ``states:`` / ``policies:``."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

# Values a field takes when it is not given (left out of gathered output).
_SA_DEFAULTS = {"reqid": 0, "replay_window": 0, "if_id": 0, "flags": [], "extra_flags": []}
_POLICY_DEFAULTS = {"ptype": "main", "action": "allow", "priority": 0, "if_id": 0, "flags": [],
                    "templates": []}
_LIFETIME_DEFAULTS = {"byte_soft": "inf", "byte_hard": "inf", "packet_soft": "inf", "packet_hard": "inf"}


def _compact(value):
    """A copy with nested None entries dropped (a new dict or list at every
    level, so the result shares nothing with the kernel's object)."""
    if isinstance(value, dict):
        return dict((k, _compact(v)) for k, v in value.items() if v is not None)
    if isinstance(value, list):
        return [_compact(v) for v in value]
    return value


def _lifetime(lft):
    out = dict((k, v) for k, v in (lft or {}).items() if v not in (None, 0) and _LIFETIME_DEFAULTS.get(k) != v)
    return out or None


def _shortest(obj, defaults):
    out = {}
    for k, v in obj.items():
        if k == "kernel" or v is None or (k in defaults and v == defaults[k]):
            continue
        if k == "lifetime":
            v = _lifetime(v)
            if v is None:
                continue
        out[k] = _compact(v)
    return out


def gathered_sa(obj):
    out = _shortest(obj, _SA_DEFAULTS)
    # "any to any" of the SA's own family is what an SA made without a
    # selector holds: left out, as the input that makes it leaves it out.
    anyaddr = "::/0" if ":" in obj["dst"] else "0.0.0.0/0"
    if out.get("selector") == {"src": anyaddr, "dst": anyaddr}:
        del out["selector"]
    return out


def gathered_policy(obj):
    return _shortest(obj, _POLICY_DEFAULTS)


def gathered_default(obj):
    return dict(obj)
