# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""nl_fdb's Task: params -> validated entries (tasks/fdb_input.py); per
device the task names one link GET and one FDB dump filtered by the
kernel on the device (NDA_IFINDEX: its bridge's entries on it and its
own); a plan the way a ``bridge fdb`` user expects.

Ownership.  The entries the task may delete are the ``permanent`` and
``static`` ones someone added: ``absent`` deletes a listed one,
``replaced`` every one on the devices it names that is not listed.
Learned (``dynamic``) entries are never deleted (the bridge or the VXLAN
device learns them again), nor the entries the kernel makes by itself (a
device's own address in its bridge, the multicast addresses a device
joined).  ``present`` writes a listed entry as listed, taking over a
learned one for the same MAC (``bridge fdb replace``).

VXLAN defaults.  The kernel does not report a remote's ``vni`` or
``port`` when they are the device's own (its ``id`` and ``dstport``):
a listed value equal to it is compared as not given, so a rerun is
silent.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from .. import contract
from ..objects import registry
from ..objects.fdb import is_owned
from .base import Task
from .entry_list import ListOf, given, listed, present_after
from .fdb_input import ENTRY_OPTIONS, ITEM_KEYS, SHARED, VXLAN_FIELDS, entry
from .validate import fail, validate_ifname

FDB_LIST = ListOf("entries", ENTRY_OPTIONS, ITEM_KEYS, SHARED, ("dev",), "dev, mac", "mac", entry)
NOTE_REPLACED = "not listed (state=replaced)"
# The VXLAN device's own values a remote's vni and port default to
# (its linkinfo data).
VXLAN_DEFAULTS = (("vni", "id"), ("port", "port"))


def _public(obj):
    return dict((k, v) for k, v in obj.items() if k != "state")


def _link_kind(link):
    return ((link.attrs.get("linkinfo") or {}) if link is not None else {}).get("kind")


def _other_family(dst, data):
    """A remote of the other family than the VXLAN device's own address
    (the kernel refuses it)."""
    six = ":" in dst
    return ("local6" in data and not six) or ("local" in data and six)


class FdbTask(Task):
    """nl_fdb's view of the engine.  Desired entries carry their scope
    (``{"devs": the devices read, in order, "replaced": bool}``); current
    entries what the read saw (``{"links": dev -> link message or None,
    "all": dev -> entries}``)."""

    result_key = "entries"

    def __init__(self):
        self.kind = registry.kind("fdb")

    # -- params -> desired ---------------------------------------------------

    def desired(self, params):
        state = params.get("state") or "present"
        if state == "gathered":
            extra = [k for k in given(params, FDB_LIST) if k != "dev"] + (
                ["entries"] if params.get("entries") is not None else [])
            if extra:
                raise contract.ValidationError("%s: state=gathered takes only the filter dev" % ", ".join(extra))
            if params.get("dev") is not None:
                validate_ifname(params["dev"], "dev")
            return contract.Desired([], scope={"devs": [], "replaced": False})
        out = listed(params, state, self.kind, FDB_LIST)
        devs = [o["dev"] for o in out]
        if state == "replaced":
            if params.get("dev") is not None:
                validate_ifname(params["dev"], "dev")
                devs.insert(0, params["dev"])
            if not devs:
                raise contract.ValidationError("state=replaced: names no device (give dev, or entries whose "
                                               "items name theirs); it replaces the entries of the devices named")
        devs = sorted(set(devs), key=devs.index)
        return contract.Desired(out, scope={"devs": devs, "replaced": state == "replaced"})

    # -- kernel reads --------------------------------------------------------

    def current(self, ctx, desired, params, mode):
        scope = desired.scope
        cur, links, entries = {}, {}, {}
        for dev in scope["devs"]:
            link = ctx.link_named(dev)
            objs = [] if link is None else self.kind.dump_dev(ctx, dev, link.header["index"], link.attrs.get("address"))
            links[dev], entries[dev] = link, objs
            if link is None and (scope["replaced"] or any(d["dev"] == dev and d["state"] == "present" for d in desired)):
                self.missing_in_check_mode(mode, "dev=%s" % dev, "its entries are planned as if it had none",
                                           "dev: %r: no such device" % dev, made=("link", (dev,)))
            for obj in objs:
                cur[self.kind.key(obj)] = obj
        return contract.Current(cur, seen={"links": links, "all": entries})

    def check(self, ctx, desired, current, params, mode):
        """What the device decides: a bridge's entry needs a bridge port
        (or the bridge), a remote a VXLAN device; a VXLAN device's own vni
        and port are compared as not given."""
        for d in desired:
            link = current.seen["links"].get(d["dev"])
            if link is None or d["state"] != "present":
                continue
            vxlan = _link_kind(link) == "vxlan"
            if d["master"] and link.attrs.get("master") is None:
                fail("master", True, "%s has no master (it is not a bridge port): its entries are its own "
                                     "(master=false)" % d["dev"])
            for field in VXLAN_FIELDS:
                if d[field] is not None and not vxlan and not d["master"]:
                    fail(field, d[field], "%s is not a VXLAN device (%s is a VXLAN remote's)" % (d["dev"], field))
            if vxlan and not d["master"]:
                if d["vlan"] is not None:
                    fail("vlan", d["vlan"], "a VXLAN device's own entries have no VLAN (give master=true for its "
                                            "bridge's)")
                data = link.attrs["linkinfo"].get("data") or {}
                if d["dst"] is not None and _other_family(d["dst"], data):
                    fail("dst", d["dst"], "%s sends from an %s address: its remotes are of that family"
                                          % (d["dev"], "IPv6" if "local6" in data else "IPv4"))
                for field, attr in VXLAN_DEFAULTS:
                    if d[field] is not None and d[field] == data.get(attr):
                        d[field] = None
        return []

    # -- plan ------------------------------------------------------------------

    def plan(self, ctx, desired, current, params, mode):
        kind = self.kind
        writes, last = [], []
        listed_keys = set()
        for d in desired:
            key = kind.key(d)
            listed_keys.add(key)
            have = current.get(key)
            if d["state"] == "absent":
                if have is not None and is_owned(have):
                    last.append(contract.change(kind, contract.DELETE, have, None))
                continue
            after = _public(d)
            if have is None:
                writes.append(contract.change(kind, contract.CREATE, None, after))
            elif kind.differs(after, have):
                kernel = dict((k, v) for k, v in have["kernel"].items() if k != "own")
                writes.append(contract.change(kind, contract.UPDATE, have, dict(after, kernel=kernel)))
        if desired.scope["replaced"]:
            for dev in desired.scope["devs"]:
                for have in current.seen["all"].get(dev, ()):
                    if kind.key(have) not in listed_keys and is_owned(have):
                        last.append(contract.change(kind, contract.DELETE, have, None, NOTE_REPLACED))
        return writes + last

    # -- results ---------------------------------------------------------------

    after = present_after

    def gather(self, ctx, params):
        """The owned entries (permanent and static, not the kernel's own)
        of ``dev`` (one dump filtered on it) or of every device (one
        dump)."""
        dev = params.get("dev")
        if dev is not None:
            validate_ifname(dev, "dev")
            link = ctx.link_named(dev)
            if link is None:
                raise contract.ValidationError("dev: %r: no such device" % dev)
            objs = self.kind.dump_dev(ctx, dev, link.header["index"], link.attrs.get("address"))
        else:
            objs = self.kind.dump_all(ctx)
        return [gathered_form(obj) for obj in objs if is_owned(obj)]


def gathered_form(obj):
    """An entry in the shortest input form that makes it again: what is
    off or the default left out."""
    out = {"dev": obj["dev"], "mac": obj["mac"]}
    if obj["master"]:
        out["master"] = True
    for field in ("vlan", "src_vni", "dst", "vni", "port"):
        if obj.get(field) is not None:
            out[field] = obj[field]
    if obj["entry_state"] != "permanent":
        out["entry_state"] = obj["entry_state"]
    if obj["sticky"]:
        out["sticky"] = True
    return out
