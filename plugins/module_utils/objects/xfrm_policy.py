# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""IPsec security policies (xfrm policies) as engine objects: kernel
message <-> the nl_xfrm input format, requests and equivalent ``ip xfrm
policy`` commands.

Equivalent to: ``ip xfrm policy add SELECTOR dir DIR ... tmpl ...``
(XFRM_MSG_NEWPOLICY), ``ip xfrm policy update ...`` (XFRM_MSG_UPDPOLICY:
the whole policy is replaced, index kept), ``ip xfrm policy delete
SELECTOR dir DIR [ptype P] [mark M mask M] [if_id N]``
(XFRM_MSG_DELPOLICY).

A policy is identified as the kernel looks it up: (selector, dir, ptype,
mark, if_id).  Every other field (action, priority, flags, lifetimes,
templates) changes in place with UPDPOLICY.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from .. import reconcile
from ..netlink import const as C
from ..netlink.socket import Request
from ..netlink.xfrm import common as X
from ..netlink.xfrm.common import addr_family, addr_to_text, text_to_addr
from .iproute2 import ip_prefix
from .xfrm_state import (
    MODE_BY_NAME, PROTO_BY_NAME, flags_from_kernel, flags_to_kernel, lifetime_words,
    lifetimes_from_kernel, lifetimes_to_kernel, mark_from_kernel, mark_text, mark_to_kernel,
    mark_words, selector_from_kernel, selector_to_kernel, selector_words,
)

DIR_BY_NAME = dict((v, k) for k, v in X.XFRM_POLICY_DIRS.items())
ACTION_BY_NAME = dict((v, k) for k, v in X.XFRM_POLICY_ACTIONS.items())
POLICY_FLAGS = {X.XFRM_POLICY_LOCALOK: "localok", X.XFRM_POLICY_ICMP: "icmp"}
PTYPES = {X.XFRM_POLICY_TYPE_MAIN: "main", X.XFRM_POLICY_TYPE_SUB: "sub"}
PTYPE_BY_NAME = dict((v, k) for k, v in PTYPES.items())
ALL_ALGOS = 0xFFFFFFFF


def _num(value, table, option):
    if isinstance(value, int):
        return value
    if value not in table:
        raise reconcile.ValidationError("%s: unknown value %r" % (option, value))
    return table[value]


class XfrmPolicyKind(reconcile.ObjectKind):
    name = "xfrm_policy"

    def protocol(self):
        return C.NETLINK_XFRM

    def key(self, obj):
        return (" ".join(selector_words(obj["selector"])), obj["dir"], obj.get("ptype") or "main",
                mark_text(obj.get("mark")), obj.get("if_id") or 0)

    def label(self, obj):
        words = selector_words(obj["selector"]) + ["dir", obj["dir"]]
        if (obj.get("ptype") or "main") != "main":
            words += ["ptype", obj["ptype"]]
        words += mark_words("mark", obj.get("mark"))
        if obj.get("if_id"):
            words += ["if_id", str(obj["if_id"])]
        return " ".join(words)

    # -- kernel -> input format -------------------------------------------

    def from_msg(self, msg, ctx):
        h, a = msg.header, msg.attrs
        ptype = (a.get("policy_type") or {}).get("type", X.XFRM_POLICY_TYPE_MAIN)
        obj = {
            "selector": selector_from_kernel(h["sel"], ctx),
            "dir": X.XFRM_POLICY_DIRS.get(h["dir"], h["dir"]),
            "ptype": PTYPES.get(ptype, ptype),
            "action": X.XFRM_POLICY_ACTIONS.get(h["action"], h["action"]),
            "priority": h["priority"],
            "flags": flags_from_kernel(h["flags"], POLICY_FLAGS),
            "mark": mark_from_kernel(a.get("mark")),
            "if_id": a.get("if_id", 0),
            "lifetimes": lifetimes_from_kernel(h["lft"]),
            "tmpl": [],
        }
        for t in a.get("tmpl") or ():
            fam = t["family"] or h["sel"]["family"]
            obj["tmpl"].append({
                "src": addr_to_text(t["saddr"], fam),
                "dst": addr_to_text(t["id"]["daddr"], fam),
                "proto": X.XFRM_PROTOS.get(t["id"]["proto"], t["id"]["proto"]),
                "spi": t["id"]["spi"],
                "reqid": t["reqid"],
                "mode": X.XFRM_MODES.get(t["mode"], t["mode"]),
                "level": "use" if t["optional"] else "required",
            })
        return obj

    # -- requests ---------------------------------------------------------

    def request(self, change, ctx):
        op, before, after = change["op"], change["before"], change["after"]
        label = self.command(change, ctx)
        if op == reconcile.DELETE:
            header = {"sel": selector_to_kernel(before["selector"], ctx), "index": 0,
                      "dir": _num(before["dir"], DIR_BY_NAME, "dir")}
            return Request(C.XFRM_MSG_DELPOLICY, 0, header, self._id_attrs(before), label=label)
        header = {"sel": selector_to_kernel(after["selector"], ctx),
                  "lft": lifetimes_to_kernel(after.get("lifetimes")),
                  "priority": after.get("priority") or 0, "index": 0,
                  "dir": _num(after["dir"], DIR_BY_NAME, "dir"),
                  "action": _num(after.get("action") or "allow", ACTION_BY_NAME, "action"),
                  "flags": flags_to_kernel(after.get("flags"), POLICY_FLAGS, "flags"), "share": 0}
        attrs = self._id_attrs(after)
        tmpls = [self._tmpl(t, header["sel"]["family"]) for t in after.get("tmpl") or ()]
        if tmpls:
            attrs["tmpl"] = tmpls
        if op == reconcile.CREATE:
            return Request(C.XFRM_MSG_NEWPOLICY, C.NLM_F_CREATE | C.NLM_F_EXCL, header, attrs, label=label)
        return Request(C.XFRM_MSG_UPDPOLICY, 0, header, attrs, label=label)

    def _id_attrs(self, obj):
        """What the kernel matches a policy on besides selector and dir."""
        attrs = {"policy_type": {"type": _num(obj.get("ptype") or "main", PTYPE_BY_NAME, "ptype")}}
        if obj.get("mark"):
            attrs["mark"] = mark_to_kernel(obj["mark"])
        if obj.get("if_id"):
            attrs["if_id"] = obj["if_id"]
        return attrs

    def _tmpl(self, t, sel_family):
        src, dst = t.get("src"), t.get("dst")
        fam = addr_family(dst or src) if (dst or src) else sel_family
        return {"id": {"daddr": text_to_addr(dst), "spi": t.get("spi") or 0,
                       "proto": _num(t.get("proto") or "esp", PROTO_BY_NAME, "tmpl.proto")},
                "family": fam, "saddr": text_to_addr(src), "reqid": t.get("reqid") or 0,
                "mode": _num(t.get("mode") or "transport", MODE_BY_NAME, "tmpl.mode"),
                "share": 0, "optional": 1 if t.get("level") == "use" else 0,
                "aalgos": ALL_ALGOS, "ealgos": ALL_ALGOS, "calgos": ALL_ALGOS}

    # -- commands ---------------------------------------------------------

    def command(self, change, ctx):
        op, before, after = change["op"], change["before"], change["after"]
        obj = before if op == reconcile.DELETE else after
        verb = {reconcile.CREATE: "add", reconcile.UPDATE: "update", reconcile.DELETE: "delete"}[op]
        words = ["xfrm", "policy", verb] + selector_words(obj["selector"]) + ["dir", str(obj["dir"])]
        words += mark_words("mark", obj.get("mark"))
        if (obj.get("ptype") or "main") != "main":
            words += ["ptype", str(obj["ptype"])]
        if op != reconcile.DELETE:
            if (obj.get("action") or "allow") != "allow":
                words += ["action", str(obj["action"])]
            if obj.get("priority"):
                words += ["priority", str(obj["priority"])]
            if obj.get("flags"):
                words += ["flag"] + list(obj["flags"])
        if obj.get("if_id"):
            words += ["if_id", str(obj["if_id"])]
        if op != reconcile.DELETE:
            words += lifetime_words(obj.get("lifetimes"))
            for t in obj.get("tmpl") or ():
                words.append("tmpl")
                if t.get("src"):
                    words += ["src", t["src"]]
                if t.get("dst"):
                    words += ["dst", t["dst"]]
                words += ["proto", str(t.get("proto") or "esp")]
                if t.get("spi"):
                    words += ["spi", "0x%08x" % t["spi"]]
                words += ["reqid", str(t.get("reqid") or 0), "mode", str(t.get("mode") or "transport")]
                if t.get("level") == "use":
                    words += ["level", "use"]
        return "%s %s" % (ip_prefix(ctx), " ".join(words))
