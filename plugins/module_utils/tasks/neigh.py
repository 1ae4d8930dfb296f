# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""nl_neigh's Task: params -> validated entries (tasks/neigh_input.py);
per device the task names one link GET and one neighbour dump filtered by
the kernel on the device (NDA_IFINDEX), plus one of its proxy table when
the task has proxy entries or replaces the device's; a plan the way an
``ip neigh`` user expects.

Ownership.  An entry is the task's when its protocol is the task's
(default ``static``) or unset (``unspec``: made by ``ip neigh add``
without one, nobody's); a learned (dynamic) entry is nobody's either.
``present`` writes such an entry as listed (``ip neigh replace``: a
learned entry is taken over, which is what a static entry is for), but
refuses to overwrite a permanent or noarp entry of another protocol (a
routing daemon's, EVPN's) and changes nothing.  ``absent`` deletes the
entry when it is a static one the task owns; a learned entry is left to
the kernel (deleting it would only make the kernel learn it again).
``replaced`` also deletes, on the devices it names, the static entries of
the task's protocol that are not listed (``owned: permanent``: every
permanent and proxy entry of any protocol); learned entries and the
kernel's own noarp entries are never touched.

Dynamic states.  ``nud: reachable`` or ``stale`` only seed the cache:
the kernel moves the entry on by itself (reachable turns stale, a used
stale one is probed).  Such an entry is as listed while it is still
dynamic and not failed, with the listed lladdr, flags and protocol, so a
rerun does not rewrite it.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from .. import contract
from ..objects import registry
from ..objects.neigh import DYNAMIC_NUD, UNSPEC, family_of, is_static
from .base import Task
from .entry_list import ListOf, given, listed, present_after
from .neigh_input import ENTRY_OPTIONS, ITEM_KEYS, SHARED, entry, family_word, gathered_nud, protocol, DEFAULT_PROTOCOL
from .validate import fail, validate_ifname

FILTERS = ("dev", "family", "nud")         # what state=gathered takes
# Dynamic states that still hold a usable lladdr (what a reachable/stale
# entry the task set may have become since).
LIVE_NUD = ("reachable", "stale", "delay", "probe")
NOTE_PROTOCOL = "re-created: the kernel keeps an entry's protocol when none is sent"
NOTE_REPLACED = "not listed (state=replaced)"
NEIGH_LIST = ListOf("neighbours", ENTRY_OPTIONS, ITEM_KEYS, SHARED, ("dev", "protocol"), "dev, dst, lladdr", "dst", entry)


def _public(obj):
    return dict((k, v) for k, v in obj.items() if k != "state")


def _gather_filters(params, family):
    """state=gathered's filters, validated: dev, family, nud."""
    if params.get("dev") is not None:
        validate_ifname(params["dev"], "dev")
    return {"dev": params.get("dev"), "family": family, "nud": gathered_nud("nud", params.get("nud") or "permanent")}


def _family(params, state):
    family = params.get("family")
    if family is None:
        return None
    if state not in ("replaced", "gathered"):
        fail("family", family, "goes with state=replaced or gathered (the family whose entries they take)")
    return family_word("family", family)


class NeighTask(Task):
    """nl_neigh's view of the engine.  Desired entries carry their scope
    (``{"devs": the devices read, in order, "proxy_devs": those whose
    proxy table is read too, "replaced": (protocol, owned, family or
    None) or None}``); current entries carry what the read saw
    (``{"links": dev -> link message or None, "all": dev -> entries}``)."""

    result_key = "neighbours"

    def __init__(self):
        self.kind = registry.kind("neigh")

    # -- params -> desired ---------------------------------------------------

    def desired(self, params):
        state = params.get("state") or "present"
        family = _family(params, state)
        if params.get("owned") is not None and state != "replaced":
            fail("owned", params["owned"], "goes with state=replaced only (it says which entries replaced may remove)")
        if state == "gathered":
            extra = ([k for k in given(params, NEIGH_LIST) if k not in FILTERS]
                     + (["neighbours"] if params.get("neighbours") is not None else []))
            if extra:
                raise contract.ValidationError("%s: state=gathered takes only the filters %s"
                                               % (", ".join(extra), ", ".join(FILTERS)))
            _gather_filters(params, family)  # validated before anything is read
            return contract.Desired([], scope={"devs": [], "proxy_devs": [], "replaced": None})
        out = listed(params, state, self.kind, NEIGH_LIST)
        devs = [o["dev"] for o in out]
        replaced = None
        if state == "replaced":
            if params.get("dev") is not None:
                validate_ifname(params["dev"], "dev")
                devs.insert(0, params["dev"])
            if not devs:
                raise contract.ValidationError("state=replaced: names no device (give dev, or neighbours whose "
                                               "items name theirs); it replaces the entries of the devices named")
            owner = protocol("protocol", params.get("protocol") or DEFAULT_PROTOCOL)
            replaced = (owner, params.get("owned") or "protocol", family)
        devs = sorted(set(devs), key=devs.index)
        proxy_devs = devs if replaced else sorted(set(o["dev"] for o in out if o["proxy"]))
        return contract.Desired(out, scope={"devs": devs, "proxy_devs": proxy_devs, "replaced": replaced})

    # -- kernel reads --------------------------------------------------------

    def _read_dev(self, ctx, dev, proxy):
        """(link message or None, the device's entries; ``proxy``: of its
        proxy table too)."""
        link = ctx.link_named(dev)
        if link is None:
            return None, []
        index = link.header["index"]
        objs = self.kind.dump_dev(ctx, dev, index)
        if proxy:
            objs += self.kind.dump_dev(ctx, dev, index, proxy=True)
        return link, objs

    def current(self, ctx, desired, params, mode):
        scope = desired.scope
        cur, links, entries = {}, {}, {}
        for dev in scope["devs"]:
            link, objs = self._read_dev(ctx, dev, dev in scope["proxy_devs"])
            links[dev], entries[dev] = link, objs
            if link is None and (scope["replaced"] or any(d["dev"] == dev and d["state"] == "present" for d in desired)):
                self.missing_in_check_mode(mode, "dev=%s" % dev, "its entries are planned as if it had none",
                                           "dev: %r: no such device" % dev, made=("link", (dev,)))
            for obj in objs:
                cur[self.kind.key(obj)] = obj
        return contract.Current(cur, seen={"links": links, "all": entries})

    def check(self, ctx, desired, current, params, mode):
        """An lladdr the device cannot hold: the kernel refuses a short one
        and silently cuts a long one (every run would then differ)."""
        for d in desired:
            link = current.seen["links"].get(d["dev"])
            if link is None or d["state"] != "present" or d["lladdr"] is None:
                continue
            own = link.attrs.get("address")
            size = len(own.split(":")) if isinstance(own, str) and own else 0
            if not size:
                fail("lladdr", d["lladdr"], "%s has no link-layer address, so its entries have none" % d["dev"])
            if len(d["lladdr"].split(":")) != size:
                fail("lladdr", d["lladdr"], "%s's link-layer addresses are %d bytes (like %s)" % (d["dev"], size, own))
        return []

    # -- plan ------------------------------------------------------------------

    def plan(self, ctx, desired, current, params, mode):
        kind = self.kind
        replaced = desired.scope["replaced"]
        first, writes, last = [], [], []
        listed = set()
        for d in desired:
            key = kind.key(d)
            listed.add(key)
            have = current.get(key)
            if d["state"] == "absent":
                if have is not None and self._owns(have, d.get("protocol")):
                    last.append(contract.change(kind, contract.DELETE, have, None))
                elif have is not None and self._static(have):
                    mode.warnings.append("neigh %s: left as it is: a %s entry of protocol %s, not the task's"
                                         % (kind.label(have), have["nud"] or "proxy", have["protocol"]))
                continue
            after = _public(d)
            if have is None:
                writes.append(contract.change(kind, contract.CREATE, None, after))
                continue
            if self._static(have) and have["protocol"] not in (d["protocol"], UNSPEC):
                raise contract.PlanError(
                    "neigh %s: is a %s entry of protocol %s; the task (protocol %s) does not overwrite another "
                    "protocol's entry: give protocol=%s to manage it" % (
                        kind.label(have), have["nud"] or "proxy", have["protocol"], d["protocol"], have["protocol"]))
            if self._same(d, have):
                continue
            after = dict(after, kernel=have.get("kernel"))
            fields = kind.differs(after, have)
            if kind.fixed(after, have, fields):
                first.append(contract.change(kind, contract.DELETE, have, None, NOTE_PROTOCOL))
                writes.append(contract.change(kind, contract.CREATE, None, after, NOTE_PROTOCOL))
            else:
                writes.append(contract.change(kind, contract.UPDATE, have, after))
        if replaced is not None:
            for dev in desired.scope["devs"]:
                for have in current.seen["all"].get(dev, ()):
                    if kind.key(have) not in listed and self._replaceable(have, replaced):
                        last.append(contract.change(kind, contract.DELETE, have, None, NOTE_REPLACED))
        return first + writes + last

    @staticmethod
    def _static(obj):
        return obj.get("proxy") or is_static(obj)

    def _owns(self, obj, task_protocol):
        """A static entry of the task's protocol or of none."""
        return self._static(obj) and obj["protocol"] in (task_protocol or DEFAULT_PROTOCOL, UNSPEC)

    def _replaceable(self, obj, replaced):
        """Under state=replaced (``replaced``: the scope's (protocol, owned,
        family)), an entry not listed that goes: a static one of the task's
        protocol; with owned=permanent also every permanent and proxy
        entry.  Of the task's family, if it names one."""
        proto, owned, family = replaced
        if family is not None and family_of(obj) != family:
            return False
        if self._static(obj) and obj["protocol"] == proto:
            return True
        return owned == "permanent" and (obj.get("proxy") or obj.get("nud") == "permanent")

    def _same(self, desired, have):
        """Whether ``have`` is the entry ``desired`` lists: every field
        equal; a dynamic state stands for any live dynamic one."""
        want = _public(desired)
        if want.get("nud") in DYNAMIC_NUD and have.get("nud") in LIVE_NUD:
            want.pop("nud")
        return not self.kind.differs(want, have)

    # -- results ---------------------------------------------------------------

    after = present_after

    def gather(self, ctx, params):
        wanted = _gather_filters(params, _family(params, "gathered"))
        if wanted["dev"] is not None:
            link = ctx.link_named(wanted["dev"])
            if link is None:
                raise contract.ValidationError("dev: %r: no such device" % wanted["dev"])
            devs = [(link.header["index"], wanted["dev"])]
        else:
            devs = sorted((i, m.attrs.get("ifname")) for i, m in ctx.links().items())
        out = []
        for index, dev in devs:
            objs = self.kind.dump_dev(ctx, dev, index)
            if wanted["nud"] in ("permanent", "all"):
                objs += self.kind.dump_dev(ctx, dev, index, proxy=True)
            for obj in objs:
                if wanted["family"] is not None and family_of(obj) != wanted["family"]:
                    continue
                if wanted["nud"] != "all" and not obj["proxy"] and obj["nud"] != wanted["nud"]:
                    continue
                out.append(gathered_form(obj))
        return out


def gathered_form(obj):
    """An entry in the shortest input form that makes it again: flags that
    are off and the default nud left out; protocol always given (an entry
    fed back without it would be the collection's own)."""
    out = {"dev": obj["dev"], "dst": obj["dst"]}
    if obj["proxy"]:
        out["proxy"] = True
    else:
        out["lladdr"] = obj["lladdr"]
        if obj["nud"] != "permanent":
            out["nud"] = obj["nud"]
    for flag in ("router", "extern_learn"):
        if obj.get(flag):
            out[flag] = True
    out["protocol"] = obj["protocol"]
    return out
