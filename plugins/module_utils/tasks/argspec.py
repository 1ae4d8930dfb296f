# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A module's argument spec applied to plain data, without Ansible.

The host program (host_cli/) runs the modules' tasks on params read from
a state file, on hosts where Ansible is not installed; nl_link's
per-type blocks use it there too (tasks/link.py).  A task expects what AnsibleModule hands a module: every option of
the spec present (None or its default), aliases resolved, values of the
declared type, choices checked, unknown options refused.  This file does
those steps for the types the collection's specs use (str, int, bool,
list, dict, raw, with ``elements`` and nested ``options``), with the
conversions AnsibleModule makes, so a state file means what the same
data means to the module.  What a task validates itself is left to it.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from .. import contract

# ansible.module_utils.parsing.convert_bool's words.
_TRUE = ("y", "yes", "on", "1", "true", "t")
_FALSE = ("n", "no", "off", "0", "false", "f")


def _fail(where, value, why):
    raise contract.ValidationError("%s: %r: %s" % (where, value, why))


def _str(where, value):
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)  # AnsibleModule converts numbers too
    return _fail(where, value, "must be a string")


def _int(where, value):
    if isinstance(value, bool):
        return _fail(where, value, "must be an integer")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            pass
    return _fail(where, value, "must be an integer")


def _bool(where, value):
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower() if isinstance(value, (str, int, float)) else None
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    return _fail(where, value, "must be a boolean (true or false)")


def _list(where, value):
    if isinstance(value, list):
        return value
    if isinstance(value, str):
        return [v.strip() for v in value.split(",")]  # as AnsibleModule does
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return [str(value)]
    return _fail(where, value, "must be a list")


def _dict(where, value):
    if isinstance(value, dict):
        return value
    return _fail(where, value, "must be a mapping")


_CONVERT = {"str": _str, "int": _int, "bool": _bool, "list": _list, "dict": _dict,
            "raw": lambda where, value: value, "path": _str}


def _typed(where, value, spec):
    kind = spec.get("type", "str")
    if kind not in _CONVERT:
        raise contract.ValidationError("%s: the host program cannot check options of type %s" % (where, kind))
    value = _CONVERT[kind](where, value)
    if kind == "list":
        elements = spec.get("elements")
        out = []
        for i, item in enumerate(value):
            at = "%s[%d]" % (where, i)
            if elements:
                item = _typed(at, item, {"type": elements, "options": spec.get("options")})
            out.append(item)
        return out
    if kind == "dict" and spec.get("options") is not None:
        return normalize(spec["options"], value, where + ".")
    if spec.get("choices") is not None and value not in spec["choices"]:
        _fail(where, value, "must be one of %s" % ", ".join(str(c) for c in spec["choices"]))
    return value


def normalize(spec, data, prefix=""):
    """``data`` (a dict) checked against ``spec`` (an AnsibleModule argument
    spec): every option present, typed, defaulted; raises
    contract.ValidationError naming the option (``prefix`` + name)."""
    if not isinstance(data, dict):
        _fail(prefix.rstrip(".") or "params", data, "must be a mapping")
    names = {}
    for name, opt in spec.items():
        names[name] = name
        for alias in opt.get("aliases", ()):
            names[alias] = name
    unknown = sorted(k for k in data if k not in names)
    if unknown:
        raise contract.ValidationError("%s: unsupported option(s) %s (supported: %s)" % (
            prefix.rstrip(".") or "params", ", ".join(unknown), ", ".join(sorted(spec))))
    out = {}
    for key, value in data.items():
        name = names[key]
        if name in out and key != name:
            raise contract.ValidationError("%s%s: given twice (as %s and an alias)" % (prefix, name, key))
        out[name] = value
    for name, opt in spec.items():
        value = out.get(name)
        if value is None:
            if opt.get("required"):
                raise contract.ValidationError("%s%s: required" % (prefix, name))
            out[name] = opt.get("default")
            continue
        out[name] = _typed(prefix + name, value, opt)
    return out
