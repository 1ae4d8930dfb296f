# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""IPsec algorithms and their keys, as the kernel's XFRM tables know them
(net/xfrm/xfrm_algo.c: aead_list, aalg_list, ealg_list, calg_list).

The kernel accepts an algorithm by its name or its ``compat`` alias and
stores the canonical name (xfrm_user.c attach_one_algo copies
``algo->name``), so an alias is turned into the canonical name here: the
SA then reads back as it was asked for, and a rerun changes nothing.

Key lengths are the algorithm's (the sadb min/max bits of the table, the
sizes AES/Camellia/... accept), plus the salt or nonce the RFC appends
to the key for counter-mode and AEAD ciphers: rfc4106/rfc4543 (GCM,
GMAC) and rfc3686 (CTR) a 32-bit salt/nonce, rfc4309 (CCM) a 24-bit
salt, rfc7539esp (ChaCha20-Poly1305) a 32-bit salt.

Every message here names the option and the lengths, never the key.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from .. import contract

AES = (128, 192, 256)


def _bits(lo, hi, step=8):
    return tuple(range(lo, hi + 1, step))


# name -> (aliases, key bits (without salt), salt bits, ICV bits allowed)
AEAD = {
    "rfc4106(gcm(aes))": ((), AES, 32, (64, 96, 128)),
    "rfc4309(ccm(aes))": ((), AES, 24, (64, 96, 128)),
    "rfc4543(gcm(aes))": ((), AES, 32, (128,)),
    "rfc7539esp(chacha20,poly1305)": ((), (256,), 32, (128,)),
}
# name -> (aliases, key bits (without nonce), nonce bits)
ENC = {
    "ecb(cipher_null)": (("cipher_null",), (0,), 0),
    "cbc(des)": (("des",), (64,), 0),
    "cbc(des3_ede)": (("des3_ede",), (192,), 0),
    "cbc(cast5)": (("cast5", "cast128"), _bits(40, 128), 0),
    "cbc(blowfish)": (("blowfish",), _bits(40, 448), 0),
    "cbc(aes)": (("aes",), AES, 0),
    "cbc(serpent)": (("serpent",), AES, 0),
    "cbc(camellia)": (("camellia",), AES, 0),
    "cbc(twofish)": (("twofish",), AES, 0),
    "rfc3686(ctr(aes))": ((), AES, 32),
    "cbc(sm4)": (("sm4",), (128,), 0),
}
# name -> (aliases, key bits, full ICV bits: the largest truncation)
AUTH = {
    "digest_null": ((), (0,), 0),
    "hmac(md5)": (("md5",), (128,), 128),
    "hmac(sha1)": (("sha1",), (160,), 160),
    "hmac(sha256)": (("sha256",), (256,), 256),
    "hmac(sha384)": (("sha384",), (384,), 384),
    "hmac(sha512)": (("sha512",), (512,), 512),
    "hmac(rmd160)": (("rmd160",), (160,), 160),
    "xcbc(aes)": ((), (128,), 128),
    "cmac(aes)": ((), (128,), 128),
    "hmac(sm3)": (("sm3",), (256,), 256),
}
COMP = {"deflate": (), "lzs": (), "lzjh": ()}

_HEX = re.compile(r"^0x([0-9a-fA-F]{2})*$")


def _canonical(table, name, option):
    if not isinstance(name, str) or not name:
        raise contract.ValidationError("%s: an algorithm name is required" % option)
    if name in table:
        return name
    for canonical, entry in table.items():
        if name in entry[0]:
            return canonical
    raise contract.ValidationError("%s=%s: unknown algorithm; known: %s" % (option, name, ", ".join(sorted(table))))


def _lengths(bits):
    if len(bits) > 4:
        return "%d to %d bits in steps of 8" % (bits[0], bits[-1])
    words = ["%d" % b for b in bits]
    return (", ".join(words[:-1]) + " or " + words[-1] if len(words) > 1 else words[0]) + " bits"


def key_of(value, option, name, bits, salt):
    """A key as ``0x`` + lowercase hex (the form the kernel's bytes read
    back as), checked against the algorithm's lengths."""
    if value == contract.MASK:
        # state=gathered masks keys unless show_keys: fed back as it is,
        # an SA would be re-keyed with asterisks.
        raise contract.ValidationError("%s: the key is masked, as state=gathered returns it without show_keys; "
                                       "gather with show_keys=true to feed SAs back" % option)
    if not isinstance(value, str) or not _HEX.match(value.strip()):
        raise contract.ValidationError("%s: not a key in iproute2's hex form (0x followed by an even number of "
                                       "hex digits); value not shown" % option)
    text = value.strip().lower()
    have = (len(text) - 2) * 4
    allowed = tuple(b + salt for b in bits)
    if have not in allowed:
        extra = " (a %s-bit key followed by a %d-bit salt)" % ("/".join(str(b) for b in bits), salt) if salt else ""
        raise contract.ValidationError("%s: %d bits given; %s takes %s%s; value not shown"
                                       % (option, have, name, _lengths(allowed), extra))
    return text


def aead(alg, where):
    name = _canonical(AEAD, alg.get("name"), where + ".name")
    _aliases, bits, salt, icvs = AEAD[name]
    out = {"name": name, "key": key_of(alg.get("key"), where + ".key", name, bits, salt), "icv_len": None}
    if alg.get("icv_len") is not None:
        if alg["icv_len"] not in icvs:
            raise contract.ValidationError("%s.icv_len=%s: %s takes an ICV of %s"
                                           % (where, alg["icv_len"], name, _lengths(icvs)))
        out["icv_len"] = alg["icv_len"]
    return out


def enc(alg, where):
    name = _canonical(ENC, alg.get("name"), where + ".name")
    _aliases, bits, nonce = ENC[name]
    return {"name": name, "key": key_of(alg.get("key"), where + ".key", name, bits, nonce)}


def auth(alg, where):
    name = _canonical(AUTH, alg.get("name"), where + ".name")
    _aliases, bits, full = AUTH[name]
    out = {"name": name, "key": key_of(alg.get("key"), where + ".key", name, bits, 0), "trunc_len": None}
    trunc = alg.get("trunc_len")
    if trunc is not None:
        # xfrm_user.c attach_auth_trunc refuses more than the full ICV;
        # ESP and AH carry whole bytes.
        if trunc % 8 or not 0 < trunc <= full:
            raise contract.ValidationError("%s.trunc_len=%s: %s truncates to a multiple of 8 bits up to %d"
                                           % (where, trunc, name, full))
        out["trunc_len"] = trunc
    return out


def comp(alg, where):
    return {"name": _canonical(COMP, alg.get("name"), where + ".name")}
