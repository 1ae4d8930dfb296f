# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""nl_xfrm's input -> desired SAs, policies and default policies, in the
form the xfrm kinds read back from the kernel (canonical addresses, names
of enums as the kernel's decoding spells them, keys as lowercase hex), so
that a second run compares equal.  A field not given stays None: not
compared, and the kernel's default when created.  Every error names the
option (``states[2].aead.key``) and the value, except a key's value."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import socket

from ..netlink import ipproto as P
from ..netlink.xfrm import common as X
from ..objects.enums import enum_number, flags_value
from ..objects.xfrm_state import LIFETIMES, TYPE_CODE_PROTOS
from . import xfrm_keys
from .validate import fail

U32 = 0xFFFFFFFF
SA_MODES = ("transport", "tunnel", "beet")
# include/uapi/linux/xfrm.h: the most templates a policy may have
XFRM_MAX_DEPTH = 6
PORT_PROTOS = (P.IPPROTO_TCP, P.IPPROTO_UDP, P.IPPROTO_SCTP, P.IPPROTO_DCCP) + TYPE_CODE_PROTOS


def given(d):
    """A dict option with nothing set is no option at all."""
    if isinstance(d, dict) and all(v is None for v in d.values()):
        return None
    return d


def number(value, option, lo=0, hi=U32):
    """An integer option given as a number or as text (decimal or 0x hex)."""
    if isinstance(value, bool):
        fail(option, value, "not a number")
    if isinstance(value, str):
        text = value.strip().lower()
        try:
            value = int(text, 16) if text.startswith("0x") else int(text)
        except ValueError:
            fail(option, value, "not a number")
    if not isinstance(value, int) or not lo <= value <= hi:
        fail(option, value, "out of range (%d-%d)" % (lo, hi))
    return value


def choice(value, option, choices, default=None):
    if value is None:
        return default
    if value not in choices:
        fail(option, value, "unknown value; known: %s" % ", ".join(choices))
    return value


def _parse(text):
    """(version, the kernel's text form) of an address, or None.  inet_pton
    rather than ipaddress: a task may name 10,000 policies."""
    for version, fam in ((4, socket.AF_INET), (6, socket.AF_INET6)):
        try:
            return version, socket.inet_ntop(fam, socket.inet_pton(fam, text))
        except (OSError, ValueError):
            continue
    return None


def address(value, option, family=None):
    """A plain address (no prefix) in the kernel's text form."""
    parsed = _parse(str(value).strip())
    if parsed is None:
        fail(option, value, "not an IP address")
    if family is not None and parsed[0] != family:
        fail(option, value, "is IPv%d where IPv%d is expected (mixed address families)" % (parsed[0], family))
    return parsed[1]


def prefix(value, option, family=None):
    """ADDR[/LEN] as "addr/len" (a host without /LEN); the address is kept
    as given (the kernel keeps host bits in a selector)."""
    text = str(value).strip()
    addr, _sep, plen = text.partition("/")
    parsed = _parse(addr)
    if parsed is None:
        fail(option, value, "not an IP prefix (ADDRESS[/LENGTH])")
    version, canonical = parsed
    width = 32 if version == 4 else 128
    if not plen:
        plen = width
    elif not plen.isdigit() or int(plen) > width:
        fail(option, value, "bad prefix length (0-%d for IPv%d)" % (width, version))
    if family is not None and version != family:
        fail(option, value, "is IPv%d where IPv%d is expected (mixed address families)" % (version, family))
    return "%s/%d" % (canonical, int(plen)), version


def version_of(text):
    """4 or 6 for an address or prefix already validated."""
    return 6 if ":" in text else 4


def mark(value, option):
    value = given(value)
    if value is None:
        return None
    if value.get("value") is None:
        fail(option, value, "needs a value")
    mask = value.get("mask")
    return {"value": number(value["value"], option + ".value"),
            "mask": U32 if mask is None else number(mask, option + ".mask")}


def flag_names(flags, names, option):
    if names is None:
        return None
    if isinstance(names, str):
        names = [names]
    return flags.names_of(flags_value(flags, list(names), option))


def selector(value, option):
    """A traffic selector; both prefixes default to the whole family."""
    value = given(value)
    if value is None:
        return None
    fam = None
    out = {"src": None, "dst": None, "proto": None, "sport": None, "dport": None, "type": None,
           "code": None, "dev": None}
    for side in ("src", "dst"):
        if value.get(side) is not None:
            out[side], fam = prefix(value[side], "%s.%s" % (option, side), fam)
    if fam is None:
        fail(option, value, "needs src or dst (a prefix; 0.0.0.0/0 or ::/0 for any)")
    for side in ("src", "dst"):
        if out[side] is None:
            out[side] = "0.0.0.0/0" if fam == 4 else "::/0"
    proto = value.get("proto")
    if proto is not None:
        num = enum_number(P.IPPROTO, proto if not str(proto).isdigit() else int(proto), option + ".proto")
        if not 0 < num < 256:
            fail(option + ".proto", proto, "not an upper-layer protocol (1-255 or a name)")
        out["proto"] = P.IPPROTO.name_of(num)
    for f in ("sport", "dport", "type", "code"):
        if value.get(f) is None:
            continue
        num = enum_number(P.IPPROTO, out["proto"], option + ".proto") if out["proto"] else None
        if num not in PORT_PROTOS:
            fail("%s.%s" % (option, f), value[f], "needs proto tcp, udp, sctp, dccp (ports) or icmp, "
                 "ipv6-icmp, mobility-header (type/code)")
        if (f in ("type", "code")) != (num in TYPE_CODE_PROTOS):
            fail("%s.%s" % (option, f), value[f], "does not go with proto %s" % out["proto"])
        out[f] = number(value[f], "%s.%s" % (option, f), 0, 0xFFFF if f in ("sport", "dport") else 255)
    if value.get("dev") is not None:
        out["dev"] = str(value["dev"])
    return out


def lifetime(value, option):
    value = given(value)
    if value is None:
        return None
    out = {}
    for name, _field, _word in LIFETIMES:
        v = value.get(name)
        if v is None:
            out[name] = None
        elif name.startswith(("byte", "packet")) and str(v).strip().lower() in ("inf", "infinity"):
            out[name] = "inf"
        else:
            out[name] = number(v, "%s.%s" % (option, name), 0, 0xFFFFFFFFFFFFFFFE)
    return out


def item_state(item, where, state):
    st = item.get("state")
    if st is None:
        return "present" if state in ("present", "replaced") else state
    return choice(st, where + ".state", ("present", "absent"))


# -- SAs ---------------------------------------------------------------------

def sa(item, where, state):
    """One desired SA."""
    st = item_state(item, where, state)
    out = dict((k, None) for k in ("src", "dst", "proto", "spi", "mode", "reqid", "replay_window", "flags",
                                   "extra_flags", "aead", "enc", "auth", "comp", "encap", "mark", "if_id",
                                   "output_mark", "selector", "lifetime", "dir", "offload"))
    out["state"] = st
    if item.get("dst") is None:
        fail(where + ".dst", None, "required")
    out["dst"] = address(item["dst"], where + ".dst")
    fam = version_of(out["dst"])
    if item.get("src") is not None:
        out["src"] = address(item["src"], where + ".src", fam)
    elif st == "present":
        fail(where + ".src", None, "required for an SA that must exist")
    out["proto"] = choice(item.get("proto"), where + ".proto", ("esp", "ah", "comp"), "esp")
    if item.get("spi") is None:
        fail(where + ".spi", None, "required")
    out["spi"] = number(item["spi"], where + ".spi", 1, U32)
    if out["proto"] == "comp" and out["spi"] > 0xFFFF:
        fail(where + ".spi", item["spi"], "an IPcomp SA's SPI is its 16-bit CPI (1-65535)")
    out["mark"] = mark(item.get("mark"), where + ".mark")
    if st == "absent":
        return out
    out["mode"] = choice(item.get("mode"), where + ".mode", SA_MODES)
    if item.get("reqid") is not None:
        out["reqid"] = number(item["reqid"], where + ".reqid")
    if item.get("replay_window") is not None:
        out["replay_window"] = number(item["replay_window"], where + ".replay_window", 0, X.XFRMA_REPLAY_ESN_MAX)
    out["flags"] = flag_names(X.XFRM_STATE_FLAGS, item.get("flags"), where + ".flags")
    out["extra_flags"] = flag_names(X.XFRM_SA_XFLAGS, item.get("extra_flags"), where + ".extra_flags")
    _algorithms(item, out, where)
    encap = given(item.get("encap"))
    if encap is not None:
        if out["proto"] != "esp":
            fail(where + ".encap", encap, "only ESP is encapsulated (proto is %s)" % out["proto"])
        etype = choice(encap.get("type"), where + ".encap.type", ("espinudp", "espinudp-nonike", "espintcp"),
                       "espinudp")
        oa = encap.get("oa")
        out["encap"] = {"type": etype,
                        "sport": number(encap.get("sport"), where + ".encap.sport", 1, 0xFFFF),
                        "dport": number(encap.get("dport"), where + ".encap.dport", 1, 0xFFFF),
                        "oa": address(oa, where + ".encap.oa", fam) if oa is not None else None}
    if item.get("if_id") is not None:
        out["if_id"] = number(item["if_id"], where + ".if_id")
    out["output_mark"] = mark(item.get("output_mark"), where + ".output_mark")
    out["selector"] = selector(item.get("selector"), where + ".selector")
    out["lifetime"] = lifetime(item.get("lifetime"), where + ".lifetime")
    out["dir"] = choice(item.get("dir"), where + ".dir", ("in", "out"))
    off = given(item.get("offload"))
    if off is not None:
        if not off.get("dev"):
            fail(where + ".offload.dev", off.get("dev"), "required")
        out["offload"] = {"dev": str(off["dev"]),
                          "dir": choice(off.get("dir"), where + ".offload.dir", ("in", "out"), "out"),
                          "type": choice(off.get("type"), where + ".offload.type", ("crypto", "packet"), "crypto")}
        if out["dir"] and out["dir"] != out["offload"]["dir"]:
            fail(where + ".offload.dir", out["offload"]["dir"], "differs from dir=%s" % out["dir"])
    return out


def _algorithms(item, out, where):
    algs = dict((k, given(item.get(k))) for k in ("aead", "enc", "auth", "comp"))
    have = sorted(k for k, v in algs.items() if v is not None)
    proto = out["proto"]
    if proto == "esp" and not (algs["aead"] or algs["enc"]):
        fail(where, "proto esp", "needs aead, or enc (with or without auth)")
    if proto == "esp" and (algs["comp"] or (algs["aead"] and (algs["enc"] or algs["auth"]))):
        fail(where, "+".join(have), "an ESP SA has aead alone, or enc with an optional auth")
    if proto == "ah" and have != ["auth"]:
        fail(where, "+".join(have) or "no algorithm", "an AH SA has auth and nothing else")
    if proto == "comp" and have != ["comp"]:
        fail(where, "+".join(have) or "no algorithm", "an IPcomp SA has comp and nothing else")
    for name, check in (("aead", xfrm_keys.aead), ("enc", xfrm_keys.enc), ("auth", xfrm_keys.auth),
                        ("comp", xfrm_keys.comp)):
        if algs[name] is not None:
            out[name] = check(algs[name], "%s.%s" % (where, name))


# -- policies ----------------------------------------------------------------

def policy(item, where, state):
    st = item_state(item, where, state)
    sel = selector(item.get("selector"), where + ".selector")
    if sel is None:
        fail(where + ".selector", None, "required (src and/or dst)")
    out = {"selector": sel, "state": st,
           "dir": choice(item.get("dir"), where + ".dir", ("in", "out", "fwd")),
           "ptype": choice(item.get("ptype"), where + ".ptype", ("main", "sub"), "main"),
           "mark": mark(item.get("mark"), where + ".mark"),
           "if_id": number(item["if_id"], where + ".if_id") if item.get("if_id") is not None else 0,
           "action": None, "priority": None, "flags": None, "lifetime": None, "templates": None}
    if out["dir"] is None:
        fail(where + ".dir", None, "required (in, out or fwd)")
    if st == "absent":
        return out
    out["action"] = choice(item.get("action"), where + ".action", ("allow", "block"))
    if item.get("priority") is not None:
        out["priority"] = number(item["priority"], where + ".priority")
    out["flags"] = flag_names(X.XFRM_POLICY_FLAGS, item.get("flags"), where + ".flags")
    out["lifetime"] = lifetime(item.get("lifetime"), where + ".lifetime")
    if item.get("templates") is not None:
        if len(item["templates"]) > XFRM_MAX_DEPTH:
            fail(where + ".templates", "%d templates" % len(item["templates"]),
                 "the kernel takes at most %d (XFRM_MAX_DEPTH)" % XFRM_MAX_DEPTH)
        out["templates"] = []
        family = version_of(sel["src"])
        for i, t in enumerate(item["templates"]):
            tmpl = template(t, "%s.templates[%d]" % (where, i), family, out["dir"])
            out["templates"].append(tmpl)
            family = version_of(tmpl["dst"])
    return out


def template(t, where, prev_family, direction):
    """One template.  ``prev_family``: the previous template's family (the
    selector's for the first), as the kernel's validate_tmpl() checks it:
    only a tunnel or beet template may change the family, so a template
    without addresses takes the previous one's."""
    if not isinstance(t, dict):
        fail(where, t, "not a dict")
    mode = choice(t.get("mode"), where + ".mode", SA_MODES, "transport")
    fam = None
    ends = {}
    for side in ("src", "dst"):
        if t.get(side) is not None:
            ends[side] = address(t[side], "%s.%s" % (where, side), fam)
            fam = version_of(ends[side])
    if mode == "tunnel":
        for side in ("src", "dst"):
            if side not in ends:
                fail("%s.%s" % (where, side), None, "required for a tunnel-mode template (the tunnel's ends)")
    if mode == "transport" and fam is not None and fam != prev_family:
        fail("%s.%s" % (where, "dst" if "dst" in ends else "src"), t.get("dst", t.get("src")),
             "is IPv%d where IPv%d is expected (only a tunnel or beet template changes the family)"
             % (fam, prev_family))
    level = choice(t.get("level"), where + ".level", ("required", "use"), "required")
    if level == "use" and mode != "transport" and direction == "out":
        # validate_tmpl() refuses it ("Mode in optional template not allowed
        # in outbound policy", newer kernels and their stable branches): it
        # never worked there
        fail(where + ".level", level, "an optional %s-mode template is not allowed in an out policy" % mode)
    zero = "0.0.0.0" if (fam or prev_family) == 4 else "::"
    return {"src": ends.get("src", zero), "dst": ends.get("dst", zero),
            "proto": choice(t.get("proto"), where + ".proto", ("esp", "ah", "comp"), "esp"),
            "spi": number(t["spi"], where + ".spi") if t.get("spi") is not None else 0,
            "reqid": number(t["reqid"], where + ".reqid") if t.get("reqid") is not None else 0,
            "mode": mode,
            "level": level}


def defaults(value):
    value = given(value)
    if value is None:
        return None
    return dict((d, choice(value.get(d), "defaults." + d, ("allow", "block"))) for d in ("in", "fwd", "out"))
