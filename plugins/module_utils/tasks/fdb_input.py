# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""nl_fdb's input: one entry (top-level options or an ``entries`` item)
-> a validated FDB entry in the kind's format (objects/fdb.py).  Every
error names the option (``entries[2].vlan``) and the value.  What needs
the device (is it a VXLAN device, a bridge port) is checked once it is
read (tasks/fdb.py)."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ..objects.fdb import ENTRY_STATES
from .neigh_input import address, boolean, lladdr
from .validate import fail, validate_ifname

# The options that describe one entry (top level or an ``entries`` item).
ENTRY_OPTIONS = ("dev", "mac", "master", "vlan", "src_vni", "dst", "vni", "port", "entry_state", "sticky")
ITEM_KEYS = ENTRY_OPTIONS + ("state",)
# Top-level options that are defaults for every item that does not set them.
SHARED = ("dev", "master", "entry_state")
# The fields a VXLAN device's entry has (its remote, its source VNI).
VXLAN_FIELDS = ("dst", "vni", "port", "src_vni")
DEFAULT_STATE = "permanent"     # as ``bridge fdb add`` assumes
# (lowest, highest) of each number: VLAN IDs 1-4094 (0 and 4095 are
# reserved, 802.1Q), 24-bit VNIs, UDP ports.
LIMITS = {"vlan": (1, 4094), "vni": (0, (1 << 24) - 1), "src_vni": (0, (1 << 24) - 1), "port": (1, 65535)}


def mac(option, value):
    """An Ethernet address, lowercase (``02:00:00:00:00:09``)."""
    text = lladdr(option, value)
    if len(text.split(":")) != 6:
        fail(option, value, "not a MAC address (six hex octets like 02:00:00:00:00:09)")
    return text


def number(option, value, field):
    low, high = LIMITS[field]
    try:
        out = int(value, 0) if isinstance(value, str) else value
    except ValueError:
        out = None
    if isinstance(out, bool) or not isinstance(out, int) or not low <= out <= high:
        fail(option, value, "not a %s (%d to %d)" % (field.replace("_", " "), low, high))
    return out


def entry_state(option, value):
    word = str(value).strip().lower()
    if word not in ENTRY_STATES:
        fail(option, value, "not an entry state; use %s" % ", ".join(ENTRY_STATES))
    return word


def entry(raw, where, state, defaults):
    """One entry from ``raw`` (option -> value) -> the kind's object with
    its ``state``.  ``where(option)`` is how the option is named in
    messages; ``defaults`` the shared top-level options.  A present entry
    is complete (``permanent``, not sticky by default); an absent one
    needs only its identity."""
    def get(option):
        value = raw.get(option)
        return defaults.get(option) if value is None and option in SHARED else value
    dev = get("dev")
    if dev is None:
        fail(where("dev"), None, "required: the device of the entry")
    validate_ifname(dev, where("dev"))
    if get("mac") is None:
        fail(where("mac"), None, "required: the MAC address of the entry")
    obj = {"dev": dev, "mac": mac(where("mac"), get("mac")), "master": boolean(where("master"), get("master"))}
    for field in ("vlan", "src_vni"):
        obj[field] = None if get(field) is None else number(where(field), get(field), field)
    obj["dst"] = None if get("dst") is None else address(where("dst"), get("dst"))
    for field in ("vni", "port"):
        obj[field] = None if get(field) is None else number(where(field), get(field), field)
    if obj["master"]:
        for field in VXLAN_FIELDS:
            if obj[field] is not None:
                fail(where(field), get(field), "a bridge's entry (master=true) has no %s: it is a VXLAN device's "
                                               "own (master=false)" % field)
    elif obj["dst"] is None and (obj["vni"] is not None or obj["port"] is not None):
        fail(where("vni" if obj["vni"] is not None else "port"), get("vni") or get("port"),
             "goes with dst (the remote it is for)")
    given = get("entry_state")
    obj["entry_state"] = entry_state(where("entry_state"), given) if given is not None else DEFAULT_STATE
    obj["sticky"] = boolean(where("sticky"), get("sticky"))
    obj["state"] = state
    if state != "present":
        # absent: the identity is what counts, the rest is not compared
        obj.update(vni=None, port=None, entry_state=None, sticky=None)
    return obj
