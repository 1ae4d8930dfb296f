# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Which links NetworkManager manages, from its own files (no nmcli, no
D-Bus): the host program refuses to change them unless told to, since NM
would undo the change (or the change would break NM's).

Two sources, both GLib keyfiles:
- ``/run/NetworkManager/devices/<ifindex>``: NM's run state of each device
  it knows, group ``[device]``, key ``managed`` (true/false; NM's
  nm-config.c, DEVICE_RUN_STATE_KEYFILE_KEY_DEVICE_MANAGED).  Present
  while NM runs (or ran since boot).
- connection profiles in ``/etc/NetworkManager/system-connections`` and
  ``/run/NetworkManager/system-connections``: ``[connection]
  interface-name=`` binds a profile to a link by name.  At boot, before NM
  starts, this is the only sign that NM will take the link.

``root`` prefixes every path (tests point it at a fake tree).  NM manages
the initial network namespace only: the caller asks only for that one.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

RUN_DEVICES = "run/NetworkManager/devices"
PROFILE_DIRS = ("etc/NetworkManager/system-connections", "run/NetworkManager/system-connections")
# GLib's g_key_file_get_boolean accepts these spellings.
_TRUE = ("true", "1")


def _keyfile(path):
    """group -> {key: value} of a GLib keyfile (comments and blank lines
    skipped; unreadable file: {})."""
    out = {}
    group = None
    try:
        with open(path) as f:
            lines = f.read().splitlines()
    except (IOError, OSError, UnicodeDecodeError):
        return out
    for line in lines:
        line = line.strip()
        if not line or line[0] in "#;":
            continue
        if line.startswith("[") and line.endswith("]"):
            group = out.setdefault(line[1:-1], {})
        elif "=" in line and group is not None:
            key, _sep, value = line.partition("=")
            group[key.strip()] = value.strip()
    return out


def managed(names, ifindex, root="/"):
    """name -> why NetworkManager has it (a sentence naming the file), for
    the link names ``names``; ``ifindex(name)`` is the link's index or None
    (a link not created yet)."""
    out = {}
    run_dir = os.path.join(root, RUN_DEVICES)
    for name in sorted(names):
        index = ifindex(name)
        path = os.path.join(run_dir, str(index))
        if index is not None and os.path.isfile(path):
            value = _keyfile(path).get("device", {}).get("managed", "").lower()
            if value in _TRUE:
                out[name] = "NetworkManager manages it (%s: managed=%s)" % (path, value)
    for rel in PROFILE_DIRS:
        pdir = os.path.join(root, rel)
        if not os.path.isdir(pdir):
            continue
        for fname in sorted(os.listdir(pdir)):
            path = os.path.join(pdir, fname)
            bound = _keyfile(path).get("connection", {}).get("interface-name")
            if bound in names and bound not in out:
                out[bound] = "a NetworkManager profile is bound to it (%s: interface-name=%s)" % (path, bound)
    return out


def touched(plan, registry):
    """Names of the links a plan changes (a link itself, or what lives on
    it: each kind says which links its objects live on, ``kind.devices``)."""
    out = set()
    for ch in plan:
        if ch.get("implied"):
            continue
        obj = ch["after"] if ch["after"] is not None else ch["before"]
        out.update(registry.kind(ch["kind"]).devices(obj))
    return out
