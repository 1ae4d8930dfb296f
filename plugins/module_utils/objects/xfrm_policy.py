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
mark, if_id).  Every other field (action, priority, flags, lifetime,
templates) changes in place with UPDPOLICY.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from .. import contract
from ..netlink import const as C
from ..netlink.errors import NotFoundError
from ..netlink.socket import Request
from ..netlink.xfrm import common as X
from ..netlink.xfrm.common import addr_family, addr_to_text, text_to_addr
from .enums import enum_number, flags_value
from .iproute2 import ip_prefix
from .xfrm_state import (
    lifetime_words, lifetimes_from_kernel, lifetimes_to_kernel, mark_from_kernel, mark_text, mark_to_kernel,
    mark_words, mode_number, selector_from_kernel, selector_to_kernel, selector_words,
)

ALL_ALGOS = 0xFFFFFFFF


class XfrmPolicyKind(contract.ObjectKind):
    name = "xfrm_policy"

    def protocol(self):
        return C.NETLINK_XFRM

    def key(self, obj):
        return (" ".join(selector_words(obj["selector"])), obj["dir"], obj.get("ptype") or "main",
                mark_text(obj.get("mark")), obj.get("if_id") or 0)

    def label(self, obj):
        words = selector_words(obj["selector"]) + ["dir", str(obj["dir"])]
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
            "dir": X.XFRM_POLICY_DIR.name_of(h["dir"]),
            "ptype": X.XFRM_POLICY_TYPE.name_of(ptype),
            "action": X.XFRM_POLICY_ACTION.name_of(h["action"]),
            "priority": h["priority"],
            "flags": X.XFRM_POLICY_FLAGS.names_of(h["flags"]),
            "mark": mark_from_kernel(a.get("mark")),
            "if_id": a.get("if_id", 0),
            "lifetime": lifetimes_from_kernel(h["lft"]),
            "templates": [],
        }
        for t in a.get("tmpl") or ():
            fam = t["family"] or h["sel"]["family"]
            obj["templates"].append({
                "src": addr_to_text(t["saddr"], fam),
                "dst": addr_to_text(t["id"]["daddr"], fam),
                "proto": X.XFRM_PROTO.name_of(t["id"]["proto"]),
                "spi": t["id"]["spi"],
                "reqid": t["reqid"],
                "mode": X.XFRM_MODE.name_of(t["mode"]),
                "level": "use" if t["optional"] else "required",
            })
        return obj

    def read(self, ctx, objs):
        """The policies with the keys of ``objs``, one XFRM_MSG_GETPOLICY
        each: the kernel's own lookup (selector, dir, ptype, mark,
        if_id).  A policy whose selector names a link that is gone cannot
        exist, so it is not there."""
        out = {}
        sock = ctx.socket(C.NETLINK_XFRM)
        for obj in objs:
            try:
                header = {"sel": selector_to_kernel(obj["selector"], ctx), "index": 0,
                          "dir": enum_number(X.XFRM_POLICY_DIR, obj["dir"])}
            except contract.PlanError:
                continue
            try:
                msg = sock.get(C.XFRM_MSG_GETPOLICY, header, self._id_attrs(obj),
                               label="ip xfrm policy get " + self.label(obj))
            except NotFoundError:
                continue
            found = self.from_msg(msg, ctx)
            out[self.key(found)] = found
        return out

    # -- requests ---------------------------------------------------------

    def request(self, change, ctx):
        op, before, after = change["op"], change["before"], change["after"]
        label = self.command(change, ctx)
        if op == contract.DELETE:
            header = {"sel": selector_to_kernel(before["selector"], ctx), "index": 0,
                      "dir": enum_number(X.XFRM_POLICY_DIR, before["dir"])}
            return Request(C.XFRM_MSG_DELPOLICY, 0, header, self._id_attrs(before), label=label)
        header = {"sel": selector_to_kernel(after["selector"], ctx),
                  "lft": lifetimes_to_kernel(after.get("lifetime")),
                  "priority": after.get("priority") or 0, "index": 0,
                  "dir": enum_number(X.XFRM_POLICY_DIR, after["dir"]),
                  "action": enum_number(X.XFRM_POLICY_ACTION, after.get("action") or "allow"),
                  "flags": flags_value(X.XFRM_POLICY_FLAGS, after.get("flags"), "flags"), "share": 0}
        attrs = self._id_attrs(after)
        tmpls = [self._tmpl(t, header["sel"]["family"]) for t in after.get("templates") or ()]
        if tmpls:
            attrs["tmpl"] = tmpls
        if op == contract.CREATE:
            return Request(C.XFRM_MSG_NEWPOLICY, C.NLM_F_CREATE | C.NLM_F_EXCL, header, attrs, label=label)
        return Request(C.XFRM_MSG_UPDPOLICY, 0, header, attrs, label=label)

    def _id_attrs(self, obj):
        """What the kernel matches a policy on besides selector and dir."""
        attrs = {"policy_type": {"type": enum_number(X.XFRM_POLICY_TYPE, obj.get("ptype") or "main")}}
        if obj.get("mark"):
            attrs["mark"] = mark_to_kernel(obj["mark"])
        if obj.get("if_id"):
            attrs["if_id"] = obj["if_id"]
        return attrs

    def _tmpl(self, t, sel_family):
        src, dst = t.get("src"), t.get("dst")
        fam = addr_family(dst or src) if (dst or src) else sel_family
        return {"id": {"daddr": text_to_addr(dst), "spi": t.get("spi") or 0,
                       "proto": enum_number(X.XFRM_PROTO, t.get("proto") or "esp", "tmpl.proto")},
                "family": fam, "saddr": text_to_addr(src), "reqid": t.get("reqid") or 0,
                "mode": mode_number(t.get("mode"), "tmpl.mode"),
                "share": 0, "optional": 1 if t.get("level") == "use" else 0,
                "aalgos": ALL_ALGOS, "ealgos": ALL_ALGOS, "calgos": ALL_ALGOS}

    # -- commands ---------------------------------------------------------

    def command(self, change, ctx):
        op, before, after = change["op"], change["before"], change["after"]
        obj = before if op == contract.DELETE else after
        verb = {contract.CREATE: "add", contract.UPDATE: "update", contract.DELETE: "delete"}[op]
        direction = X.XFRM_POLICY_DIR.name_of(enum_number(X.XFRM_POLICY_DIR, obj["dir"]))
        words = ["xfrm", "policy", verb] + selector_words(obj["selector"], ctx) + ["dir", str(direction)]
        words += mark_words("mark", obj.get("mark"))
        ptype = enum_number(X.XFRM_POLICY_TYPE, obj.get("ptype") or "main")
        if ptype != X.XFRM_POLICY_TYPE_MAIN:
            words += ["ptype", str(X.XFRM_POLICY_TYPE.name_of(ptype))]
        if op != contract.DELETE:
            action = enum_number(X.XFRM_POLICY_ACTION, obj.get("action") or "allow")
            if action != X.XFRM_POLICY_ALLOW:
                words += ["action", str(X.XFRM_POLICY_ACTION.name_of(action))]
            if obj.get("priority"):
                words += ["priority", str(obj["priority"])]
            if obj.get("flags"):
                bits = flags_value(X.XFRM_POLICY_FLAGS, obj["flags"], "flags")
                words += ["flag"] + X.XFRM_POLICY_FLAGS.names_of(bits)
        if obj.get("if_id"):
            words += ["if_id", str(obj["if_id"])]
        if op != contract.DELETE:
            words += lifetime_words(obj.get("lifetime"))
            for t in obj.get("templates") or ():
                words.append("tmpl")
                if t.get("src"):
                    words += ["src", t["src"]]
                if t.get("dst"):
                    words += ["dst", t["dst"]]
                proto = enum_number(X.XFRM_PROTO, t.get("proto") or "esp", "tmpl.proto")
                words += ["proto", str(X.XFRM_PROTO.name_of(proto))]
                if t.get("spi"):
                    words += ["spi", "0x%08x" % t["spi"]]
                mode = X.XFRM_MODE.name_of(mode_number(t.get("mode"), "tmpl.mode"))
                words += ["reqid", str(t.get("reqid") or 0), "mode", mode]
                if t.get("level") == "use":
                    words += ["level", "use"]
        return "%s %s" % (ip_prefix(ctx), " ".join(words))
