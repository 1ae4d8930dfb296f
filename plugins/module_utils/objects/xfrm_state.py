# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""IPsec security associations (xfrm states) as engine objects: kernel
message <-> the nl_xfrm input format, requests and equivalent ``ip xfrm
state`` commands.

Equivalent to: ``ip xfrm state add ...`` (XFRM_MSG_NEWSA), ``ip xfrm state
update ...`` (XFRM_MSG_UPDSA), ``ip xfrm state delete src S dst D proto P
spi SPI [mark M mask M]`` (XFRM_MSG_DELSA).

An SA is identified as the kernel looks it up: (dst, spi, proto, mark).
Keys (``aead.key``, ``enc.key``, ``auth.key``) are secret: the engine
compares their real bytes but masks them in every output; ``command()``
prints whatever the change holds, so the engine hands it a masked change.

XFRM_MSG_UPDSA changes only the lifetimes, the encapsulation ports and
original address (same encap type), the output mark and the if_id (both
only to a non-zero value) of an existing SA (net/xfrm/xfrm_state.c,
xfrm_state_update); everything else, the algorithms and their keys
included, needs delete + create.

``replay_window`` (packets, 0 to 4096): up to 32 it travels in
xfrm_usersa_info; a larger one (or any with the ``esn`` flag) in
XFRMA_REPLAY_ESN_VAL, as iproute2 sends it.  ``mode: iptfs`` is refused
(iproute2 cannot express it; its settings are not managed here).  A
selector's ``proto`` prints as a number and its ``dev`` by name (``ifN``
for an index no link of the namespace has).

Helpers shared with policies (selector, lifetimes, marks, quoting) live
here too; ``xfrm_policy`` imports them.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import socket

from .. import contract
from ..netlink import const as C
from ..netlink import ipproto as P
from ..netlink.errors import NotFoundError
from ..netlink.socket import Request
from ..netlink.xfrm import common as X
from ..netlink.xfrm.common import addr_family, addr_to_text, alg_name, algo, text_to_addr
from .enums import enum_number, flags_value
from .iproute2 import ip_prefix, quote

# -------------------------------------------------------------- vocabulary

# Selector protocols whose port fields hold an ICMP type and code.
TYPE_CODE_PROTOS = (P.IPPROTO_ICMP, P.IPPROTO_ICMPV6, P.IPPROTO_MH)


def mode_number(value, option):
    """An SA's or template's mode as its number.  IP-TFS (XFRM_MODE_IPTFS,
    kernel 6.14+) is refused: iproute2 has no ``mode iptfs`` (so no
    command could say what the request does) and its XFRMA_IPTFS_*
    settings are not managed here."""
    number = enum_number(X.XFRM_MODE, value or "transport", option)
    if number == X.XFRM_MODE_IPTFS:
        raise contract.ValidationError("%s=%s: IP-TFS mode is not supported (iproute2 cannot express it "
                                       "and its iptfs settings are not managed); use tunnel" % (option, value))
    return number


# Lifetime limits: input name -> (xfrm_lifetime_cfg field, iproute2 word).
# Byte and packet limits default to "inf" (XFRM_INF), times to 0 (none).
LIFETIMES = (
    ("time_soft", "soft_add_expires_seconds", "time-soft"),
    ("time_hard", "hard_add_expires_seconds", "time-hard"),
    ("time_use_soft", "soft_use_expires_seconds", "time-use-soft"),
    ("time_use_hard", "hard_use_expires_seconds", "time-use-hard"),
    ("byte_soft", "soft_byte_limit", "byte-soft"),
    ("byte_hard", "hard_byte_limit", "byte-hard"),
    ("packet_soft", "soft_packet_limit", "packet-soft"),
    ("packet_hard", "hard_packet_limit", "packet-hard"),
)
INF = "inf"


def _lifetime_default(name):
    return INF if name.startswith(("byte", "packet")) else 0


def lifetimes_from_kernel(lft):
    out = {}
    for name, field, _word in LIFETIMES:
        v = lft.get(field, 0)
        out[name] = INF if v == X.XFRM_INF else v
    return out


def lifetimes_to_kernel(lifetimes):
    lifetimes = lifetimes or {}
    out = {}
    for name, field, _word in LIFETIMES:
        v = lifetimes.get(name)
        if v is None:
            v = _lifetime_default(name)
        out[field] = X.XFRM_INF if v == INF else int(v)
    return out


def lifetime_words(lifetimes):
    words = []
    lifetimes = lifetimes or {}
    for name, _field, word in LIFETIMES:
        v = lifetimes.get(name)
        if v is not None and v != _lifetime_default(name):
            words += ["limit", word, str(v)]
    return words


# ------------------------------------------------------------------ marks

def mark_from_kernel(mark):
    """XFRMA_MARK -> {"value", "mask"}; an all-zero mark is no mark."""
    if not mark or (not mark.get("v") and not mark.get("m")):
        return None
    return {"value": mark["v"], "mask": mark["m"]}


def mark_to_kernel(mark):
    if not mark:
        return None
    mask = mark.get("mask")
    return {"v": mark["value"], "m": 0xFFFFFFFF if mask is None else mask}


def mark_text(mark):
    if not mark:
        return None
    k = mark_to_kernel(mark)
    return "0x%x/0x%x" % (k["v"], k["m"])


def mark_words(word, mark):
    if not mark:
        return []
    k = mark_to_kernel(mark)
    return [word, "0x%x" % k["v"], "mask", "0x%x" % k["m"]]


# --------------------------------------------------------------- selector

def _addr_plen(text):
    """"10.0.0.0/8" -> ("10.0.0.0", 8); a bare address is a host."""
    if "/" in text:
        addr, plen = text.split("/", 1)
        return addr, int(plen)
    return text, 32 if addr_family(text) == socket.AF_INET else 128


def selector_from_kernel(sel, ctx, family=None):
    """xfrm_selector -> {"src", "dst", "proto", "sport", "dport", "type",
    "code", "dev"} (absent parts None).  An all-zero selector of no family
    (an SA made without ``sel``) is None; one of a family is "any to any"
    of that family (``sel src 0.0.0.0/0 dst 0.0.0.0/0``), a different
    selector: it matches that family's traffic only."""
    fam = sel.get("family") or family
    empty = (not sel.get("family") and not any(bytearray(sel["saddr"])) and not any(bytearray(sel["daddr"]))
             and not sel["prefixlen_s"] and not sel["prefixlen_d"] and not sel["proto"]
             and not sel["ifindex"] and not sel["sport_mask"] and not sel["dport_mask"])
    if empty and family is not None:
        return None
    if fam not in (socket.AF_INET, socket.AF_INET6):
        fam = socket.AF_INET
    out = {"src": "%s/%d" % (addr_to_text(sel["saddr"], fam), sel["prefixlen_s"]),
           "dst": "%s/%d" % (addr_to_text(sel["daddr"], fam), sel["prefixlen_d"]),
           "proto": P.IPPROTO.name_of(sel["proto"]) if sel["proto"] else None,
           "sport": None, "dport": None, "type": None, "code": None,
           "dev": (ctx.ifname(sel["ifindex"]) or sel["ifindex"]) if sel["ifindex"] else None}
    if sel["proto"] in TYPE_CODE_PROTOS:
        if sel["sport_mask"]:
            out["type"] = sel["sport"]
        if sel["dport_mask"]:
            out["code"] = sel["dport"]
    else:
        if sel["sport_mask"]:
            out["sport"] = sel["sport"]
        if sel["dport_mask"]:
            out["dport"] = sel["dport"]
    return out


def selector_to_kernel(selector, ctx, family=None):
    """The xfrm_selector dict for a selector.  None: all zero, of the SA's
    ``family`` as iproute2 sends an SA without ``sel`` (so an SA made by
    either reads back the same: any to any of that family)."""
    if not selector:
        return {"family": family or 0, "saddr": X.XFRM_ADDRESS_ZERO, "daddr": X.XFRM_ADDRESS_ZERO,
                "prefixlen_s": 0, "prefixlen_d": 0, "proto": 0, "ifindex": 0}
    src, plen_s = _addr_plen(selector.get("src") or ("::/0" if family == socket.AF_INET6 else "0.0.0.0/0"))
    any_dst = "::/0" if addr_family(src) == socket.AF_INET6 else "0.0.0.0/0"
    dst, plen_d = _addr_plen(selector.get("dst") or any_dst)
    proto = enum_number(P.IPPROTO, selector.get("proto") or 0, "selector.proto")
    sel = {"family": addr_family(src), "saddr": text_to_addr(src), "daddr": text_to_addr(dst),
           "prefixlen_s": plen_s, "prefixlen_d": plen_d, "proto": proto, "ifindex": 0}
    first, second = ("type", "code") if proto in TYPE_CODE_PROTOS else ("sport", "dport")
    if selector.get(first) is not None:
        sel.update(sport=int(selector[first]), sport_mask=0xFFFF)
    if selector.get(second) is not None:
        sel.update(dport=int(selector[second]), dport_mask=0xFFFF)
    dev = selector.get("dev")
    if dev:
        if isinstance(dev, int):
            sel["ifindex"] = dev
        else:
            index = ctx.ifindex(dev, required=False)
            if index is None:
                raise contract.PlanError("selector.dev=%s: no such link" % dev)
            sel["ifindex"] = index
    return sel


def selector_dev_word(dev, ctx):
    """A selector's device as ``ip`` takes it: its name; an index (a link
    this namespace does not know by name) as ``ifN``, which iproute2 reads
    back as index N (lib/ll_map.c ll_idx_a2n)."""
    if isinstance(dev, int) or str(dev).isdigit():
        index = int(dev)
        return quote((ctx.ifname(index) if ctx is not None else None) or "if%d" % index)
    return quote(dev)


def selector_words(selector, ctx=None):
    """iproute2 words of a selector: src A/P dst B/P [dev D] [proto P ...].
    The upper-layer protocol is printed as its number: ip resolves names
    through /etc/protocols, which a host may lack.  Without ``ctx`` (an
    identity key) a device index stays as given."""
    if not selector:
        return []
    words = ["src", selector["src"], "dst", selector["dst"]]
    if selector.get("dev"):
        words += ["dev", selector_dev_word(selector["dev"], ctx) if ctx is not None else quote(str(selector["dev"]))]
    if selector.get("proto") is not None:
        words += ["proto", str(enum_number(P.IPPROTO, selector["proto"], "selector.proto"))]
        for f in ("sport", "dport", "type", "code"):
            if selector.get(f) is not None:
                words += [f, str(selector[f])]
    return words


def key_bytes(text, option):
    """"0x0102..." (or bare hex) -> bytes; a masked key is refused (it
    would silently install ******** as key material)."""
    if text is None:
        return b""
    if text == contract.MASK:
        raise contract.PlanError("%s is masked: a request needs the real key" % option)
    raw = text[2:] if text[:2].lower() == "0x" else text
    try:
        return bytes(bytearray.fromhex(raw))
    except ValueError:
        raise contract.ValidationError("%s: not a hex key" % option)


def key_text(raw):
    return "0x" + "".join("%02x" % b for b in bytearray(raw))


def _alg_key(alg):
    return bytes(alg.get("alg_key") or b"")[:alg["alg_key_len"] // 8]


# ----------------------------------------------------------------- the kind

class XfrmStateKind(contract.ObjectKind):
    name = "xfrm_state"
    secret_fields = ("aead.key", "enc.key", "auth.key")
    # Everything but lifetime, encap, output_mark and if_id (see fixed()).
    immutable_fields = ("src", "dst", "proto", "spi", "mark", "mode", "reqid", "replay_window", "flags",
                        "extra_flags", "dir", "offload", "aead", "enc", "auth", "comp", "selector")

    def protocol(self):
        return C.NETLINK_XFRM

    def key(self, obj):
        return (obj["dst"], obj["spi"], obj["proto"], mark_text(obj.get("mark")))

    def label(self, obj):
        words = ["src", str(obj.get("src")), "dst", str(obj["dst"]), "proto", str(obj["proto"]),
                 "spi", "0x%08x" % obj["spi"]]
        if obj.get("mark"):
            words += ["mark", mark_text(obj["mark"])]
        return " ".join(words)

    # -- kernel -> input format -------------------------------------------

    def from_msg(self, msg, ctx):
        h, a = msg.header, msg.attrs
        fam = h["family"]
        proto = h["id"]["proto"]
        # A window over 32 (or any window with ESN) lives in
        # XFRMA_REPLAY_ESN_VAL; the header's field then says 0.
        esn = a.get("replay_esn_val")
        replay_window = esn["replay_window"] if esn else h["replay_window"]
        obj = {
            "src": addr_to_text(h["saddr"], fam),
            "dst": addr_to_text(h["id"]["daddr"], fam),
            "proto": X.XFRM_PROTO.name_of(proto),
            "spi": h["id"]["spi"],
            "mode": X.XFRM_MODE.name_of(h["mode"]),
            "reqid": h["reqid"],
            "replay_window": replay_window,
            "flags": X.XFRM_STATE_FLAGS.names_of(h["flags"]),
            "aead": None, "enc": None, "auth": None, "comp": None,
            "encap": None,
            "mark": mark_from_kernel(a.get("mark")),
            "if_id": a.get("if_id", 0),
            "output_mark": None,
            "selector": selector_from_kernel(h["sel"], ctx, fam),
            "lifetime": lifetimes_from_kernel(h["lft"]),
            "extra_flags": X.XFRM_SA_XFLAGS.names_of(a.get("sa_extra_flags") or 0),
            "dir": X.XFRM_SA_DIR.name_of(a["sa_dir"]) if a.get("sa_dir") else None,
            "offload": None,
        }
        off = a.get("offload_dev")
        if off is not None:
            obj["offload"] = {"dev": ctx.ifname(off["ifindex"]) or off["ifindex"],
                              "dir": "in" if off["flags"] & X.XFRM_OFFLOAD_INBOUND else "out",
                              "type": "packet" if off["flags"] & X.XFRM_OFFLOAD_PACKET else "crypto"}
        if "alg_aead" in a:
            alg = a["alg_aead"]
            obj["aead"] = {"name": alg_name(alg["alg_name"]), "key": key_text(_alg_key(alg)),
                           "icv_len": alg["alg_icv_len"]}
        if "alg_crypt" in a:
            alg = a["alg_crypt"]
            obj["enc"] = {"name": alg_name(alg["alg_name"]), "key": key_text(_alg_key(alg))}
        # The kernel reports an auth algorithm twice: XFRMA_ALG_AUTH and
        # XFRMA_ALG_AUTH_TRUNC (with the truncation it chose).
        alg = a.get("alg_auth_trunc")
        if alg is not None:
            obj["auth"] = {"name": alg_name(alg["alg_name"]), "key": key_text(_alg_key(alg)),
                           "trunc_len": alg["alg_trunc_len"]}
        elif "alg_auth" in a:
            alg = a["alg_auth"]
            obj["auth"] = {"name": alg_name(alg["alg_name"]), "key": key_text(_alg_key(alg)),
                           "trunc_len": None}
        if "alg_comp" in a:
            obj["comp"] = {"name": alg_name(a["alg_comp"]["alg_name"])}
        if "encap" in a:
            e = a["encap"]
            obj["encap"] = {"type": X.ENCAP_TYPE.name_of(e["encap_type"]),
                            "sport": e["encap_sport"], "dport": e["encap_dport"],
                            "oa": addr_to_text(e["encap_oa"], fam)}
        if a.get("set_mark") or a.get("set_mark_mask"):
            obj["output_mark"] = {"value": a.get("set_mark", 0), "mask": a.get("set_mark_mask", 0xFFFFFFFF)}
        return obj

    def read(self, ctx, objs):
        """The SAs with the keys of ``objs``, one XFRM_MSG_GETSA each: the
        kernel's own lookup (dst, spi, proto, mark), nothing else parsed.
        Undo checks with it what it restored, real key bytes included."""
        out = {}
        sock = ctx.socket(C.NETLINK_XFRM)
        for obj in objs:
            header = {"daddr": text_to_addr(obj["dst"]), "spi": obj["spi"],
                      "family": addr_family(obj["dst"]), "proto": self._proto(obj)}
            attrs = {"mark": mark_to_kernel(obj["mark"])} if obj.get("mark") else {}
            try:
                msg = sock.get(C.XFRM_MSG_GETSA, header, attrs, label="ip xfrm state get " + self.label(obj))
            except NotFoundError:
                continue
            found = self.from_msg(msg, ctx)
            out[self.key(found)] = found
        return out

    # -- comparison -------------------------------------------------------

    def fixed(self, desired, current, fields):
        out = contract.ObjectKind.fixed(self, desired, current, fields)
        after = self.merged(desired, current)
        if "encap" in fields:
            have = current.get("encap")
            if not have or have.get("type") != after["encap"].get("type"):
                out.append("encap")
        if "output_mark" in fields:
            m = after.get("output_mark") or {}
            if not m.get("value") and not m.get("mask"):
                out.append("output_mark")
        if "if_id" in fields and not after.get("if_id"):
            out.append("if_id")
        return out

    # -- requests ---------------------------------------------------------

    def request(self, change, ctx):
        op, before, after = change["op"], change["before"], change["after"]
        if op == contract.DELETE:
            header = {"daddr": text_to_addr(before["dst"]), "spi": before["spi"],
                      "family": addr_family(before["dst"]), "proto": self._proto(before)}
            attrs = {"srcaddr": text_to_addr(before.get("src"))}
            if before.get("mark"):
                attrs["mark"] = mark_to_kernel(before["mark"])
            return Request(C.XFRM_MSG_DELSA, 0, header, attrs, label=self._label(change, ctx))
        header, attrs = self._info(after, ctx)
        if op == contract.CREATE:
            return Request(C.XFRM_MSG_NEWSA, C.NLM_F_CREATE | C.NLM_F_EXCL, header, attrs,
                           label=self._label(change, ctx))
        # UPDSA carries the whole SA (the kernel validates it as a new
        # one) and takes over only the fields it may change.
        return Request(C.XFRM_MSG_UPDSA, 0, header, attrs, label=self._label(change, ctx))

    def _label(self, change, ctx):
        return self.command(contract.mask_change(self, change), ctx)

    def _proto(self, obj):
        return enum_number(X.XFRM_PROTO, obj["proto"], "proto")

    def _info(self, obj, ctx):
        fam = addr_family(obj["dst"])
        flags = flags_value(X.XFRM_STATE_FLAGS, obj.get("flags"), "flags")
        replay_window = obj.get("replay_window") or 0
        if not 0 <= replay_window <= X.XFRMA_REPLAY_ESN_MAX:
            raise contract.ValidationError("replay_window=%s: must be 0 to %d"
                                           % (replay_window, X.XFRMA_REPLAY_ESN_MAX))
        header = {"sel": selector_to_kernel(obj.get("selector"), ctx, fam),
                  "id": {"daddr": text_to_addr(obj["dst"]), "spi": obj["spi"], "proto": self._proto(obj)},
                  "saddr": text_to_addr(obj.get("src")),
                  "lft": lifetimes_to_kernel(obj.get("lifetime")),
                  "reqid": obj.get("reqid") or 0, "family": fam,
                  "mode": mode_number(obj.get("mode"), "mode"),
                  "replay_window": replay_window, "flags": flags}
        attrs = {}
        if flags & X.XFRM_STATE_ESN or replay_window > X.XFRM_REPLAY_LEGACY_MAX:
            # As ip/xfrm_state.c does: the window goes in XFRMA_REPLAY_ESN_VAL
            # (the header's u8 keeps at most 32 packets: xfrm_state_construct
            # clamps it to the legacy bitmap), with the bitmap length in u32
            # words and no bitmap (the kernel allocates it zeroed); the
            # header's window must then be 0 (verify_replay).  No ESN flag
            # is added: without it the kernel uses the plain bitmap check.
            attrs["replay_esn_val"] = {"bmp_len": (replay_window + 31) // 32, "oseq": 0, "seq": 0,
                                       "oseq_hi": 0, "seq_hi": 0, "replay_window": replay_window}
            header["replay_window"] = 0
        aead, enc, auth, comp = (obj.get(n) for n in ("aead", "enc", "auth", "comp"))
        if aead:
            attrs["alg_aead"] = algo(aead["name"], key_bytes(aead.get("key"), "aead.key"),
                                     alg_icv_len=aead.get("icv_len") or 128)
        if enc:
            attrs["alg_crypt"] = algo(enc["name"], key_bytes(enc.get("key"), "enc.key"))
        if auth:
            raw = key_bytes(auth.get("key"), "auth.key")
            if auth.get("trunc_len") is None:
                attrs["alg_auth"] = algo(auth["name"], raw)
            else:
                attrs["alg_auth_trunc"] = algo(auth["name"], raw, alg_trunc_len=auth["trunc_len"])
        if comp:
            attrs["alg_comp"] = algo(comp["name"], b"")
        encap = obj.get("encap")
        if encap:
            etype = encap.get("type") or "espinudp"
            attrs["encap"] = {"encap_type": enum_number(X.ENCAP_TYPE, etype, "encap.type"),
                              "encap_sport": encap.get("sport") or 0, "encap_dport": encap.get("dport") or 0,
                              "encap_oa": text_to_addr(encap.get("oa"))}
        if obj.get("mark"):
            attrs["mark"] = mark_to_kernel(obj["mark"])
        if obj.get("if_id"):
            attrs["if_id"] = obj["if_id"]
        sm = obj.get("output_mark")
        if sm:
            attrs["set_mark"] = sm.get("value") or 0
            attrs["set_mark_mask"] = 0xFFFFFFFF if sm.get("mask") is None else sm["mask"]
        if obj.get("extra_flags"):
            attrs["sa_extra_flags"] = flags_value(X.XFRM_SA_XFLAGS, obj["extra_flags"], "extra_flags")
        if obj.get("dir"):
            attrs["sa_dir"] = enum_number(X.XFRM_SA_DIR, obj["dir"], "dir")
        off = obj.get("offload")
        if off:
            attrs["offload_dev"] = self._offload(off, fam, ctx)
        return header, attrs

    def _offload(self, off, fam, ctx):
        """xfrm_user_offload as ip/xfrm_state.c fills it: the device's
        index, INBOUND for dir in, PACKET for packet offload, IPV6 for an
        IPv6 SA."""
        dev = off.get("dev")
        index = dev if isinstance(dev, int) else ctx.ifindex(dev, required=False)
        if index is None:
            raise contract.PlanError("offload.dev=%s: no such link" % dev)
        flags = X.XFRM_OFFLOAD_IPV6 if fam == socket.AF_INET6 else 0
        if off.get("dir") == "in":
            flags |= X.XFRM_OFFLOAD_INBOUND
        if off.get("type") == "packet":
            flags |= X.XFRM_OFFLOAD_PACKET
        return {"ifindex": index, "flags": flags}

    # -- commands ---------------------------------------------------------

    def command(self, change, ctx):
        op, before, after = change["op"], change["before"], change["after"]
        obj = before if op == contract.DELETE else after
        verb = {contract.CREATE: "add", contract.UPDATE: "update", contract.DELETE: "delete"}[op]
        # No src: the zero address of the SA's family (an IPv6 SA with
        # ``src 0.0.0.0`` is refused by ip as a family mismatch).
        src = obj.get("src") or ("::" if addr_family(obj["dst"]) == socket.AF_INET6 else "0.0.0.0")
        words = ["xfrm", "state", verb, "src", src, "dst", obj["dst"],
                 "proto", X.XFRM_PROTO.name_of(self._proto(obj)), "spi", "0x%08x" % obj["spi"]]
        if op == contract.DELETE:
            words += mark_words("mark", obj.get("mark"))
            return "%s %s" % (ip_prefix(ctx), " ".join(words))
        aead, enc, auth, comp = (obj.get(n) for n in ("aead", "enc", "auth", "comp"))
        if aead:
            words += ["aead", quote(aead["name"]), str(aead.get("key")), str(aead.get("icv_len") or 128)]
        if enc:
            words += ["enc", quote(enc["name"]), str(enc.get("key"))]
        if auth:
            if auth.get("trunc_len") is None:
                words += ["auth", quote(auth["name"]), str(auth.get("key"))]
            else:
                words += ["auth-trunc", quote(auth["name"]), str(auth.get("key")), str(auth["trunc_len"])]
        if comp:
            words += ["comp", quote(comp["name"])]
        words += ["mode", X.XFRM_MODE.name_of(mode_number(obj.get("mode"), "mode"))]
        words += mark_words("mark", obj.get("mark"))
        words += ["reqid", str(obj.get("reqid") or 0)]
        if obj.get("replay_window"):
            words += ["replay-window", str(obj["replay_window"])]
        if obj.get("flags"):
            words += ["flag"] + X.XFRM_STATE_FLAGS.names_of(flags_value(X.XFRM_STATE_FLAGS, obj["flags"], "flags"))
        if obj.get("selector"):
            words += ["sel"] + selector_words(obj["selector"], ctx)
        words += lifetime_words(obj.get("lifetime"))
        encap = obj.get("encap")
        if encap:
            etype = X.ENCAP_TYPE.name_of(enum_number(X.ENCAP_TYPE, encap.get("type") or "espinudp", "encap.type"))
            words += ["encap", str(etype), str(encap.get("sport") or 0),
                      str(encap.get("dport") or 0), str(encap.get("oa") or "0.0.0.0")]
        sm = obj.get("output_mark")
        if sm:
            words += ["output-mark", "0x%x" % (sm.get("value") or 0), "mask",
                      "0x%x" % (0xFFFFFFFF if sm.get("mask") is None else sm["mask"])]
        if obj.get("if_id"):
            words += ["if_id", str(obj["if_id"])]
        if obj.get("extra_flags"):
            bits = flags_value(X.XFRM_SA_XFLAGS, obj["extra_flags"], "extra_flags")
            words += ["extra-flag"] + X.XFRM_SA_XFLAGS.names_of(bits)
        off = obj.get("offload")
        if off:
            words += ["offload"]
            if off.get("type") == "packet":
                words += ["packet"]
            words += ["dev", selector_dev_word(off.get("dev"), ctx), "dir", off.get("dir") or "out"]
        if obj.get("dir"):
            words += ["dir", str(obj["dir"])]
        return "%s %s" % (ip_prefix(ctx), " ".join(words))
