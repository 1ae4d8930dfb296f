# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""NETLINK_XFRM building blocks shared by SAs and policies (linux/xfrm.h):
the C structs, the one XFRMA_* attribute set, uapi constants, and the
xfrm_address_t <-> text helpers.

Every struct size and field offset below was checked with gcc on x86_64
against linux/xfrm.h (``sizeof``/``offsetof``); the unit tests pin the
sizes.  ``struct`` format codes here are unaligned (``=``), so the C
compiler's holes are spelled out as ``x`` pad bytes and the end padding of
8-byte-aligned structs (those holding __u64) is declared with ``align=8``.

All XFRM message types share one attribute space (the kernel validates
every XFRM message against the one ``xfrma_policy``), so there is one
``XFRMA`` AttrSet; what differs per message type is the fixed header, see
``xfrm/__init__.py``.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import socket

from ..codec import BINARY, FLAG, U8, U16, U32, U64, bytes_to_ip, ip_to_fixed16
from ..errors import EncodeError
from ..ipproto import IPPROTO, IPPROTO_AH, IPPROTO_COMP, IPPROTO_DSTOPTS, IPPROTO_ESP, IPPROTO_ROUTING
from ..schema import Array, Attr, AttrSet, Body, Enum, Flags, Struct

# ---------------------------------------------------------------- constants

# Message types: const.py.  Protocol numbers (linux/in.h): ipproto.py.

# xfrm_id.proto, the IPsec protocol, in iproute2's words (``proto esp``)
XFRM_PROTO = Enum("proto", {IPPROTO_ESP: "esp", IPPROTO_AH: "ah", IPPROTO_COMP: "comp",
                            IPPROTO_ROUTING: "route2", IPPROTO_DSTOPTS: "hao"})

# linux/xfrm.h XFRM_MODE_*
XFRM_MODE_TRANSPORT = 0
XFRM_MODE_TUNNEL = 1
XFRM_MODE_ROUTEOPTIMIZATION = 2
XFRM_MODE_IN_TRIGGER = 3
XFRM_MODE_BEET = 4
XFRM_MODE_IPTFS = 5     # kernel 6.14+; iproute2 has no word for it (yet)
XFRM_MODE = Enum("mode", {XFRM_MODE_TRANSPORT: "transport", XFRM_MODE_TUNNEL: "tunnel",
                          XFRM_MODE_ROUTEOPTIMIZATION: "ro", XFRM_MODE_IN_TRIGGER: "in_trigger",
                          XFRM_MODE_BEET: "beet", XFRM_MODE_IPTFS: "iptfs"})

# linux/xfrm.h enum: XFRM_POLICY_TYPE_*
XFRM_POLICY_TYPE_MAIN = 0
XFRM_POLICY_TYPE_SUB = 1
XFRM_POLICY_TYPE_ANY = 255
XFRM_POLICY_TYPE = Enum("ptype", {XFRM_POLICY_TYPE_MAIN: "main", XFRM_POLICY_TYPE_SUB: "sub"})
# linux/xfrm.h enum: XFRM_POLICY_IN/OUT/FWD (policy direction)
XFRM_POLICY_IN = 0
XFRM_POLICY_OUT = 1
XFRM_POLICY_FWD = 2
XFRM_POLICY_DIR = Enum("dir", {XFRM_POLICY_IN: "in", XFRM_POLICY_OUT: "out", XFRM_POLICY_FWD: "fwd"})
# linux/xfrm.h xfrm_userpolicy_info.action
XFRM_POLICY_ALLOW = 0
XFRM_POLICY_BLOCK = 1
XFRM_POLICY_ACTION = Enum("action", {XFRM_POLICY_ALLOW: "allow", XFRM_POLICY_BLOCK: "block"})
# linux/xfrm.h xfrm_userpolicy_info.flags
XFRM_POLICY_LOCALOK = 1
XFRM_POLICY_ICMP = 2
XFRM_POLICY_FLAGS = Flags("policy flags", {XFRM_POLICY_LOCALOK: "localok", XFRM_POLICY_ICMP: "icmp"})
# linux/xfrm.h enum: XFRM_SHARE_* (xfrm_user_tmpl.share, policy share)
XFRM_SHARE_ANY = 0
XFRM_SHARE_SESSION = 1
XFRM_SHARE_USER = 2
XFRM_SHARE_UNIQUE = 3

# linux/xfrm.h xfrm_usersa_info.flags (XFRM_STATE_*)
XFRM_STATE_NOECN = 1
XFRM_STATE_DECAP_DSCP = 2
XFRM_STATE_NOPMTUDISC = 4
XFRM_STATE_WILDRECV = 8
XFRM_STATE_ICMP = 16
XFRM_STATE_AF_UNSPEC = 32
XFRM_STATE_ALIGN4 = 64
XFRM_STATE_ESN = 128
XFRM_STATE_FLAGS = Flags("flags", {1: "noecn", 2: "decap-dscp", 4: "nopmtudisc", 8: "wildrecv",
                                   16: "icmp", 32: "af-unspec", 64: "align4", 128: "esn"})
# linux/xfrm.h XFRMA_SA_EXTRA_FLAGS bits (XFRM_SA_XFLAG_*)
XFRM_SA_XFLAG_DONT_ENCAP_DSCP = 1
XFRM_SA_XFLAG_OSEQ_MAY_WRAP = 2
XFRM_SA_XFLAGS = Flags("extra_flags", {XFRM_SA_XFLAG_DONT_ENCAP_DSCP: "dont-encap-dscp",
                                       XFRM_SA_XFLAG_OSEQ_MAY_WRAP: "oseq-may-wrap"})
# linux/xfrm.h XFRMA_SA_DIR values (kernel 6.10+)
XFRM_SA_DIR_IN = 1
XFRM_SA_DIR_OUT = 2
XFRM_SA_DIR = Enum("dir", {XFRM_SA_DIR_IN: "in", XFRM_SA_DIR_OUT: "out"})
# linux/xfrm.h xfrm_user_offload.flags
XFRM_OFFLOAD_IPV6 = 1
XFRM_OFFLOAD_INBOUND = 2
XFRM_OFFLOAD_PACKET = 4
# linux/xfrm.h XFRM_USERPOLICY_* (xfrm_userpolicy_default)
XFRM_USERPOLICY_UNSPEC = 0
XFRM_USERPOLICY_BLOCK = 1
XFRM_USERPOLICY_ACCEPT = 2

# linux/xfrm.h: "no limit" in xfrm_lifetime_cfg
XFRM_INF = 0xFFFFFFFFFFFFFFFF
# linux/xfrm.h: largest replay window (XFRMA_REPLAY_ESN_MAX; in packets,
# the bits of the bitmap: iproute2 refuses a larger replay-window)
XFRMA_REPLAY_ESN_MAX = 4096
# The replay window xfrm_usersa_info.replay_window can carry: the kernel
# keeps at most the 32 bits of xfrm_replay_state.bitmap from it (larger
# windows travel in XFRMA_REPLAY_ESN_VAL).
XFRM_REPLAY_LEGACY_MAX = 32

# linux/udp.h, linux/tcp.h: xfrm_encap_tmpl.encap_type, in iproute2's words
UDP_ENCAP_ESPINUDP_NON_IKE = 1
UDP_ENCAP_ESPINUDP = 2
TCP_ENCAP_ESPINTCP = 7
ENCAP_TYPE = Enum("encap.type", {UDP_ENCAP_ESPINUDP_NON_IKE: "espinudp-nonike",
                                 UDP_ENCAP_ESPINUDP: "espinudp", TCP_ENCAP_ESPINTCP: "espintcp"})
# linux/xfrm.h enum xfrm_ae_ftype_t (XFRM_MSG_NEWAE flags)
XFRM_AE_RTHR = 1
XFRM_AE_RVAL = 2
XFRM_AE_LVAL = 4
XFRM_AE_ETHR = 8
XFRM_AE_CR = 16
XFRM_AE_CE = 32
XFRM_AE_CU = 64

# ------------------------------------------------- xfrm_address_t helpers

# xfrm_address_t is a 16-byte union (a4 / a6[4] / in6): the structs carry
# it as raw bytes; an IPv4 address fills the first 4 bytes, the rest zero.
XFRM_ADDRESS = "16s"
XFRM_ADDRESS_ZERO = b"\0" * 16


def addr_to_text(raw, family):
    """The text form of an xfrm_address_t (16 raw bytes) of ``family``
    (AF_INET / AF_INET6).  Family AF_UNSPEC (0) with all-zero bytes is the
    unset address and gives None."""
    if family not in (socket.AF_INET, socket.AF_INET6):
        if not any(bytearray(raw)):
            return None
        raise EncodeError("xfrm address with unknown family %r" % (family,))
    return bytes_to_ip(raw, family)


def text_to_addr(text):
    """16 raw bytes of an xfrm_address_t from text (v4 zero-padded); None
    or "" gives the all-zero address."""
    return ip_to_fixed16(text)


def addr_family(text):
    """AF_INET or AF_INET6 for an address text (ValueError otherwise)."""
    if ":" in text:
        socket.inet_pton(socket.AF_INET6, text)
        return socket.AF_INET6
    socket.inet_pton(socket.AF_INET, text)
    return socket.AF_INET


# ----------------------------------------------------------------- structs
# Sizes are sizeof() on x86_64 (gcc, linux/xfrm.h).

XFRM_SELECTOR = Struct("xfrm_selector", [        # 56 bytes
    ("daddr", XFRM_ADDRESS), ("saddr", XFRM_ADDRESS),
    ("dport", "!H"), ("dport_mask", "!H"),       # __be16
    ("sport", "!H"), ("sport_mask", "!H"),       # __be16
    ("family", "H"), ("prefixlen_d", "B"), ("prefixlen_s", "B"),
    ("proto", "B", IPPROTO), ("_pad", "3x"),
    ("ifindex", "i"), ("user", "I"),             # int, __kernel_uid32_t
])

XFRM_ID = Struct("xfrm_id", [                    # 24 bytes
    ("daddr", XFRM_ADDRESS), ("spi", "!I"),      # __be32 spi
    ("proto", "B", XFRM_PROTO), ("_pad", "3x"),
])

XFRM_LIFETIME_CFG = Struct("xfrm_lifetime_cfg", [    # 64 bytes
    ("soft_byte_limit", "Q"), ("hard_byte_limit", "Q"),
    ("soft_packet_limit", "Q"), ("hard_packet_limit", "Q"),
    ("soft_add_expires_seconds", "Q"), ("hard_add_expires_seconds", "Q"),
    ("soft_use_expires_seconds", "Q"), ("hard_use_expires_seconds", "Q"),
])

XFRM_LIFETIME_CUR = Struct("xfrm_lifetime_cur", [    # 32 bytes
    ("bytes", "Q"), ("packets", "Q"), ("add_time", "Q"), ("use_time", "Q"),
])

XFRM_REPLAY_STATE = Struct("xfrm_replay_state", [    # 12 bytes
    ("oseq", "I"), ("seq", "I"), ("bitmap", "I"),
])

# 24 bytes + bmp[bmp_len] (__u32 words, kept as raw bytes in "bmp")
XFRM_REPLAY_STATE_ESN = Struct("xfrm_replay_state_esn", [
    ("bmp_len", "I"), ("oseq", "I"), ("seq", "I"),
    ("oseq_hi", "I"), ("seq_hi", "I"), ("replay_window", "I"),
], tail="bmp")

# The algorithm structs: name, key length in BITS, key bytes as the tail.
XFRM_ALGO = Struct("xfrm_algo", [                # 68 bytes + key
    ("alg_name", "64s"), ("alg_key_len", "I"),
], tail="alg_key")

XFRM_ALGO_AUTH = Struct("xfrm_algo_auth", [      # 72 bytes + key
    ("alg_name", "64s"), ("alg_key_len", "I"), ("alg_trunc_len", "I"),
], tail="alg_key")

XFRM_ALGO_AEAD = Struct("xfrm_algo_aead", [      # 72 bytes + key
    ("alg_name", "64s"), ("alg_key_len", "I"), ("alg_icv_len", "I"),
], tail="alg_key")

XFRM_STATS = Struct("xfrm_stats", [              # 12 bytes
    ("replay_window", "I"), ("replay", "I"), ("integrity_failed", "I"),
])

# 8 bytes + security context string
XFRM_USER_SEC_CTX = Struct("xfrm_user_sec_ctx", [
    ("len", "H"), ("exttype", "H"), ("ctx_alg", "B"), ("ctx_doi", "B"),
    ("ctx_len", "H"),
], tail="ctx_str")

XFRM_USER_TMPL = Struct("xfrm_user_tmpl", [      # 64 bytes
    ("id", XFRM_ID), ("family", "H"), ("_pad1", "2x"),
    ("saddr", XFRM_ADDRESS), ("reqid", "I"),
    ("mode", "B", XFRM_MODE), ("share", "B"), ("optional", "B"), ("_pad2", "x"),
    ("aalgos", "I"), ("ealgos", "I"), ("calgos", "I"),
])

XFRM_ENCAP_TMPL = Struct("xfrm_encap_tmpl", [    # 24 bytes
    ("encap_type", "H", ENCAP_TYPE), ("encap_sport", "!H"), ("encap_dport", "!H"),
    ("_pad", "2x"), ("encap_oa", XFRM_ADDRESS),
])

XFRM_USERPOLICY_TYPE = Struct("xfrm_userpolicy_type", [   # 6 bytes
    ("type", "B", XFRM_POLICY_TYPE), ("_pad", "x"), ("reserved1", "H"), ("reserved2", "B"),
], align=2)

XFRM_MARK = Struct("xfrm_mark", [("v", "I"), ("m", "I")])   # 8 bytes

XFRM_USERSA_INFO = Struct("xfrm_usersa_info", [  # 224 bytes (end padded to 8)
    ("sel", XFRM_SELECTOR), ("id", XFRM_ID), ("saddr", XFRM_ADDRESS),
    ("lft", XFRM_LIFETIME_CFG), ("curlft", XFRM_LIFETIME_CUR),
    ("stats", XFRM_STATS), ("seq", "I"), ("reqid", "I"),
    ("family", "H"), ("mode", "B", XFRM_MODE), ("replay_window", "B"), ("flags", "B", XFRM_STATE_FLAGS),
], align=8)

XFRM_USERSA_ID = Struct("xfrm_usersa_id", [      # 24 bytes
    ("daddr", XFRM_ADDRESS), ("spi", "!I"), ("family", "H"), ("proto", "B", XFRM_PROTO),
], align=4)

XFRM_AEVENT_ID = Struct("xfrm_aevent_id", [      # 48 bytes
    ("sa_id", XFRM_USERSA_ID), ("saddr", XFRM_ADDRESS),
    ("flags", "I"), ("reqid", "I"),
])

XFRM_USERSPI_INFO = Struct("xfrm_userspi_info", [    # 232 bytes
    ("info", XFRM_USERSA_INFO), ("min", "I"), ("max", "I"),
])

XFRM_USERPOLICY_INFO = Struct("xfrm_userpolicy_info", [   # 168 bytes
    ("sel", XFRM_SELECTOR), ("lft", XFRM_LIFETIME_CFG),
    ("curlft", XFRM_LIFETIME_CUR), ("priority", "I"), ("index", "I"),
    ("dir", "B", XFRM_POLICY_DIR), ("action", "B", XFRM_POLICY_ACTION),
    ("flags", "B", XFRM_POLICY_FLAGS), ("share", "B"),
], align=8)

XFRM_USERPOLICY_ID = Struct("xfrm_userpolicy_id", [   # 64 bytes
    ("sel", XFRM_SELECTOR), ("index", "I"), ("dir", "B", XFRM_POLICY_DIR),
], align=4)

XFRM_USER_ACQUIRE = Struct("xfrm_user_acquire", [    # 280 bytes
    ("id", XFRM_ID), ("saddr", XFRM_ADDRESS), ("sel", XFRM_SELECTOR),
    ("policy", XFRM_USERPOLICY_INFO),
    ("aalgos", "I"), ("ealgos", "I"), ("calgos", "I"), ("seq", "I"),
], align=8)

XFRM_USER_EXPIRE = Struct("xfrm_user_expire", [      # 232 bytes
    ("state", XFRM_USERSA_INFO), ("hard", "B"),
], align=8)

XFRM_USER_POLEXPIRE = Struct("xfrm_user_polexpire", [    # 176 bytes
    ("pol", XFRM_USERPOLICY_INFO), ("hard", "B"),
], align=8)

XFRM_USERSA_FLUSH = Struct("xfrm_usersa_flush", [("proto", "B")])   # 1 byte

XFRM_USER_REPORT = Struct("xfrm_user_report", [      # 60 bytes
    ("proto", "B"), ("_pad", "3x"), ("sel", XFRM_SELECTOR),
])

XFRM_USER_KMADDRESS = Struct("xfrm_user_kmaddress", [    # 40 bytes
    ("local", XFRM_ADDRESS), ("remote", XFRM_ADDRESS),
    ("reserved", "I"), ("family", "H"),
], align=4)

XFRM_USER_MIGRATE = Struct("xfrm_user_migrate", [    # 76 bytes
    ("old_daddr", XFRM_ADDRESS), ("old_saddr", XFRM_ADDRESS),
    ("new_daddr", XFRM_ADDRESS), ("new_saddr", XFRM_ADDRESS),
    ("proto", "B"), ("mode", "B"), ("reserved", "H"), ("reqid", "I"),
    ("old_family", "H"), ("new_family", "H"),
])

XFRM_USER_MAPPING = Struct("xfrm_user_mapping", [    # 64 bytes
    ("id", XFRM_USERSA_ID), ("reqid", "I"),
    ("old_saddr", XFRM_ADDRESS), ("new_saddr", XFRM_ADDRESS),
    ("old_sport", "!H"), ("new_sport", "!H"),
])

XFRM_ADDRESS_FILTER = Struct("xfrm_address_filter", [    # 36 bytes
    ("saddr", XFRM_ADDRESS), ("daddr", XFRM_ADDRESS),
    ("family", "H"), ("splen", "B"), ("dplen", "B"),
])

XFRM_USER_OFFLOAD = Struct("xfrm_user_offload", [    # 8 bytes
    ("ifindex", "i"), ("flags", "B"),
], align=4)

XFRM_USERPOLICY_DEFAULT = Struct("xfrm_userpolicy_default", [   # 3 bytes
    ("in", "B"), ("fwd", "B"), ("out", "B"),
])

# A fixed header of no bytes (XFRM_MSG_FLUSHPOLICY, GETSADINFO... carry
# only attributes after nlmsghdr, or a u32 the kernel ignores).
EMPTY = Struct("empty", [])

# --------------------------------------------------------------- XFRMA_*

XFRMA = AttrSet("xfrma", [
    Attr(1, "alg_auth", XFRM_ALGO),                   # XFRMA_ALG_AUTH
    Attr(2, "alg_crypt", XFRM_ALGO),                  # XFRMA_ALG_CRYPT
    Attr(3, "alg_comp", XFRM_ALGO),                   # XFRMA_ALG_COMP
    Attr(4, "encap", XFRM_ENCAP_TMPL),                # XFRMA_ENCAP
    Attr(5, "tmpl", Array(XFRM_USER_TMPL)),           # XFRMA_TMPL
    Attr(6, "sa", XFRM_USERSA_INFO),                  # XFRMA_SA
    Attr(7, "policy", XFRM_USERPOLICY_INFO),          # XFRMA_POLICY
    Attr(8, "sec_ctx", XFRM_USER_SEC_CTX),            # XFRMA_SEC_CTX
    Attr(9, "ltime_val", XFRM_LIFETIME_CUR),          # XFRMA_LTIME_VAL
    Attr(10, "replay_val", XFRM_REPLAY_STATE),        # XFRMA_REPLAY_VAL
    Attr(11, "replay_thresh", U32),                   # XFRMA_REPLAY_THRESH
    Attr(12, "etimer_thresh", U32),                   # XFRMA_ETIMER_THRESH
    Attr(13, "srcaddr", BINARY),                      # XFRMA_SRCADDR (xfrm_address_t, 16 bytes)
    Attr(14, "coaddr", BINARY),                       # XFRMA_COADDR (xfrm_address_t, 16 bytes)
    Attr(15, "lastused", U64),                        # XFRMA_LASTUSED
    Attr(16, "policy_type", XFRM_USERPOLICY_TYPE),    # XFRMA_POLICY_TYPE
    Attr(17, "migrate", Array(XFRM_USER_MIGRATE)),    # XFRMA_MIGRATE
    Attr(18, "alg_aead", XFRM_ALGO_AEAD),             # XFRMA_ALG_AEAD
    Attr(19, "kmaddress", XFRM_USER_KMADDRESS),       # XFRMA_KMADDRESS
    Attr(20, "alg_auth_trunc", XFRM_ALGO_AUTH),       # XFRMA_ALG_AUTH_TRUNC
    Attr(21, "mark", XFRM_MARK),                      # XFRMA_MARK
    Attr(22, "tfcpad", U32),                          # XFRMA_TFCPAD
    Attr(23, "replay_esn_val", XFRM_REPLAY_STATE_ESN),  # XFRMA_REPLAY_ESN_VAL
    Attr(24, "sa_extra_flags", U32),                  # XFRMA_SA_EXTRA_FLAGS
    Attr(25, "proto", U8),                            # XFRMA_PROTO (dump filter)
    Attr(26, "address_filter", XFRM_ADDRESS_FILTER),  # XFRMA_ADDRESS_FILTER (dump filter)
    Attr(27, "pad", BINARY),                          # XFRMA_PAD
    Attr(28, "offload_dev", XFRM_USER_OFFLOAD),       # XFRMA_OFFLOAD_DEV
    Attr(29, "set_mark", U32),                        # XFRMA_SET_MARK (was XFRMA_OUTPUT_MARK)
    Attr(30, "set_mark_mask", U32),                   # XFRMA_SET_MARK_MASK
    Attr(31, "if_id", U32),                           # XFRMA_IF_ID
    Attr(32, "mtimer_thresh", U32),                   # XFRMA_MTIMER_THRESH
    Attr(33, "sa_dir", U8),                           # XFRMA_SA_DIR (6.10+)
    Attr(34, "nat_keepalive_interval", U32),          # XFRMA_NAT_KEEPALIVE_INTERVAL
    Attr(35, "sa_pcpu", U32),                         # XFRMA_SA_PCPU
    Attr(36, "iptfs_drop_time", U32),                 # XFRMA_IPTFS_DROP_TIME
    Attr(37, "iptfs_reorder_window", U16),            # XFRMA_IPTFS_REORDER_WINDOW
    Attr(38, "iptfs_dont_frag", FLAG),                # XFRMA_IPTFS_DONT_FRAG
    Attr(39, "iptfs_init_delay", U32),                # XFRMA_IPTFS_INIT_DELAY
    Attr(40, "iptfs_max_qsize", U32),                 # XFRMA_IPTFS_MAX_QSIZE
    Attr(41, "iptfs_pkt_size", U32),                  # XFRMA_IPTFS_PKT_SIZE
])


def alg_name(value):
    """alg_name[64] as text (the field is NUL padded)."""
    return bytes(value).split(b"\0", 1)[0].decode("ascii", "replace")


def algo(name, key, **extra):
    """An xfrm_algo* dict from a name and key bytes (key length in bits),
    e.g. ``algo("rfc4106(gcm(aes))", key, alg_icv_len=128)``.  The name
    is NUL padded to its 64 bytes, as a decoded one is, so the two compare
    equal."""
    key = bytes(key)
    raw_name = name.encode("ascii")
    if len(raw_name) >= 64:
        raise EncodeError("algorithm name %r is longer than 63 bytes" % (name,))
    out = {"alg_name": raw_name.ljust(64, b"\0"), "alg_key_len": len(key) * 8, "alg_key": key}
    out.update(extra)
    return out


class GetOrDumpBody(Body):
    """The body of XFRM_MSG_GETSA / GETPOLICY requests.

    A single GET carries its id struct (xfrm_usersa_id, xfrm_userpolicy_id);
    a DUMP carries no fixed header at all: the kernel parses the dump
    filters (XFRMA_PROTO, XFRMA_ADDRESS_FILTER) right after nlmsghdr
    (net/xfrm/xfrm_user.c, xfrm_dump_sa: nlmsg_parse(cb->nlh, 0, ...)), as
    ``ip xfrm state list`` sends them.  So an empty or absent header (what
    ``NetlinkSocket.dump`` sends by default) is encoded as no bytes."""

    def encode_parts(self, header, attrs):
        if not header:
            return self.attrs.encode(attrs or {})
        return Body.encode_parts(self, header, attrs)
