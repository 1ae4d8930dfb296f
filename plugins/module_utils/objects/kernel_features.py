# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a kernel needs for each thing a task can ask of it, and which of
its refusals mean that the thing is missing: the one table the engine
consults when it turns a refusal into the module's message
(applier.refusal), so "Operation not supported (Unknown device type)"
comes with the kernel option and the module that would provide it.

``FEATURES`` maps (topic, name) to the kernel options and the module;
topics: ``link kind`` (IFLA_INFO_KIND), ``xfrm type`` (an SA's protocol
and address family, the kernel's xfrm_type: ``("esp", 4)``), ``xfrm algorithm``
(canonical names, tasks/xfrm_keys.py).  Generic netlink families join as
topic ``genl family`` when the collection speaks one.  Option names are
the kernel's Kconfig symbols, module names as Debian's stock kernels
(6.1, 6.12) ship them.

``REFUSALS`` says which refusal points at which entry: the object kind,
the errno and the kernel's extended-ack text, as the kernel answered in a
namespace of this machine's kernel (6.18, built without these features;
tests/integration/modules/test_kernel_features.py shows each).  A
refusal without extended ack (older kernels) matches every row of its
kind and errno, and the message says the kernel *may* lack each.

A modular kernel loads these modules by itself on first use (the
``rtnl-link-<kind>``, ``xfrm-type-<family>-<proto>`` and ``crypto-<name>``
aliases), so the refusal means the module is not there to load (not
installed, or module loading is disabled) or the kernel was built
without the option.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import errno
import ipaddress

LINK, XFRM_TYPE, XFRM_ALG = "link kind", "xfrm type", "xfrm algorithm"

# (topic, name) -> (kernel options, modules); an empty option tuple: no
# Linux kernel implements it (the xfrm tables name it, nothing provides it).
FEATURES = {
    (LINK, "veth"): (("CONFIG_VETH",), ("veth",)),
    (LINK, "bridge"): (("CONFIG_BRIDGE",), ("bridge",)),
    (LINK, "vlan"): (("CONFIG_VLAN_8021Q",), ("8021q",)),
    (LINK, "macvlan"): (("CONFIG_MACVLAN",), ("macvlan",)),
    (LINK, "vxlan"): (("CONFIG_VXLAN",), ("vxlan",)),
    (LINK, "bond"): (("CONFIG_BONDING",), ("bonding",)),
    (LINK, "team"): (("CONFIG_NET_TEAM",), ("team",)),
    (LINK, "vrf"): (("CONFIG_NET_VRF",), ("vrf",)),
    (LINK, "dummy"): (("CONFIG_DUMMY",), ("dummy",)),
    (LINK, "ifb"): (("CONFIG_IFB",), ("ifb",)),
    (LINK, "gre"): (("CONFIG_NET_IPGRE",), ("ip_gre",)),
    (LINK, "gretap"): (("CONFIG_NET_IPGRE",), ("ip_gre",)),
    (LINK, "ip6gre"): (("CONFIG_IPV6_GRE",), ("ip6_gre",)),
    (LINK, "ip6gretap"): (("CONFIG_IPV6_GRE",), ("ip6_gre",)),
    (LINK, "ipip"): (("CONFIG_NET_IPIP",), ("ipip",)),
    (LINK, "sit"): (("CONFIG_IPV6_SIT",), ("sit",)),
    (LINK, "ip6tnl"): (("CONFIG_IPV6_TUNNEL",), ("ip6_tunnel",)),
    (LINK, "vti"): (("CONFIG_NET_IPVTI",), ("ip_vti",)),
    (LINK, "vti6"): (("CONFIG_IPV6_VTI",), ("ip6_vti",)),
    (LINK, "geneve"): (("CONFIG_GENEVE",), ("geneve",)),
    (LINK, "ipvlan"): (("CONFIG_IPVLAN",), ("ipvlan",)),
    (LINK, "xfrm"): (("CONFIG_XFRM_INTERFACE",), ("xfrm_interface",)),
    (LINK, "wireguard"): (("CONFIG_WIREGUARD",), ("wireguard",)),
    (LINK, "macsec"): (("CONFIG_MACSEC",), ("macsec",)),

    (XFRM_TYPE, ("esp", 4)): (("CONFIG_INET_ESP",), ("esp4",)),
    (XFRM_TYPE, ("esp", 6)): (("CONFIG_INET6_ESP",), ("esp6",)),
    (XFRM_TYPE, ("ah", 4)): (("CONFIG_INET_AH",), ("ah4",)),
    (XFRM_TYPE, ("ah", 6)): (("CONFIG_INET6_AH",), ("ah6",)),
    (XFRM_TYPE, ("comp", 4)): (("CONFIG_INET_IPCOMP",), ("ipcomp",)),
    (XFRM_TYPE, ("comp", 6)): (("CONFIG_INET6_IPCOMP",), ("ipcomp6",)),

    (XFRM_ALG, "rfc4106(gcm(aes))"): (("CONFIG_CRYPTO_GCM",), ("gcm",)),
    (XFRM_ALG, "rfc4543(gcm(aes))"): (("CONFIG_CRYPTO_GCM",), ("gcm",)),
    (XFRM_ALG, "rfc4309(ccm(aes))"): (("CONFIG_CRYPTO_CCM",), ("ccm",)),
    (XFRM_ALG, "rfc7539esp(chacha20,poly1305)"): (("CONFIG_CRYPTO_CHACHA20POLY1305",), ("chacha20poly1305",)),
    (XFRM_ALG, "ecb(cipher_null)"): (("CONFIG_CRYPTO_NULL",), ("crypto_null",)),
    (XFRM_ALG, "cbc(des)"): (("CONFIG_CRYPTO_DES",), ("des_generic",)),
    (XFRM_ALG, "cbc(des3_ede)"): (("CONFIG_CRYPTO_DES",), ("des_generic",)),
    (XFRM_ALG, "cbc(cast5)"): (("CONFIG_CRYPTO_CAST5",), ("cast5_generic",)),
    (XFRM_ALG, "cbc(blowfish)"): (("CONFIG_CRYPTO_BLOWFISH",), ("blowfish_generic",)),
    (XFRM_ALG, "cbc(aes)"): (("CONFIG_CRYPTO_CBC", "CONFIG_CRYPTO_AES"), ("cbc", "aes_generic")),
    (XFRM_ALG, "cbc(serpent)"): (("CONFIG_CRYPTO_SERPENT",), ("serpent_generic",)),
    (XFRM_ALG, "cbc(camellia)"): (("CONFIG_CRYPTO_CAMELLIA",), ("camellia_generic",)),
    (XFRM_ALG, "cbc(twofish)"): (("CONFIG_CRYPTO_TWOFISH",), ("twofish_generic",)),
    (XFRM_ALG, "rfc3686(ctr(aes))"): (("CONFIG_CRYPTO_CTR",), ("ctr",)),
    (XFRM_ALG, "cbc(sm4)"): (("CONFIG_CRYPTO_SM4_GENERIC",), ("sm4_generic",)),
    (XFRM_ALG, "digest_null"): (("CONFIG_CRYPTO_NULL",), ("crypto_null",)),
    (XFRM_ALG, "hmac(md5)"): (("CONFIG_CRYPTO_HMAC", "CONFIG_CRYPTO_MD5"), ("hmac", "md5")),
    (XFRM_ALG, "hmac(sha1)"): (("CONFIG_CRYPTO_HMAC", "CONFIG_CRYPTO_SHA1"), ("hmac", "sha1_generic")),
    (XFRM_ALG, "hmac(sha256)"): (("CONFIG_CRYPTO_HMAC", "CONFIG_CRYPTO_SHA256"), ("hmac", "sha256_generic")),
    (XFRM_ALG, "hmac(sha384)"): (("CONFIG_CRYPTO_HMAC", "CONFIG_CRYPTO_SHA512"), ("hmac", "sha512_generic")),
    (XFRM_ALG, "hmac(sha512)"): (("CONFIG_CRYPTO_HMAC", "CONFIG_CRYPTO_SHA512"), ("hmac", "sha512_generic")),
    (XFRM_ALG, "hmac(rmd160)"): (("CONFIG_CRYPTO_HMAC", "CONFIG_CRYPTO_RMD160"), ("hmac", "rmd160")),
    (XFRM_ALG, "xcbc(aes)"): (("CONFIG_CRYPTO_XCBC",), ("xcbc",)),
    (XFRM_ALG, "cmac(aes)"): (("CONFIG_CRYPTO_CMAC",), ("cmac",)),
    (XFRM_ALG, "hmac(sm3)"): (("CONFIG_CRYPTO_HMAC", "CONFIG_CRYPTO_SM3_GENERIC"), ("hmac", "sm3_generic")),
    (XFRM_ALG, "deflate"): (("CONFIG_CRYPTO_DEFLATE",), ("deflate",)),
    (XFRM_ALG, "lzs"): ((), ()),
    (XFRM_ALG, "lzjh"): ((), ()),
}


def _link_kind(change):
    if change.get("before") is not None:
        return []  # only a create names a kind the kernel may not have
    return [(LINK, (change.get("after") or {}).get("kind"))]


def _xfrm_type(change):
    sa = change.get("after") or {}
    try:
        family = ipaddress.ip_address(sa.get("dst")).version
    except ValueError:
        return []
    return [(XFRM_TYPE, (sa.get("proto"), family))]


def _algorithm(field):
    def names(change):
        alg = (change.get("after") or {}).get(field)
        return [(XFRM_ALG, alg.get("name"))] if isinstance(alg, dict) else []
    return names


# (object kind, errno, the kernel's extended ack) -> what it lacks, read
# from the refused change
REFUSALS = (
    ("link", errno.EOPNOTSUPP, "Unknown device type", _link_kind),
    ("xfrm_state", errno.ENOSYS, "Requested AEAD algorithm not found", _algorithm("aead")),
    ("xfrm_state", errno.ENOSYS, "Requested CRYPT algorithm not found", _algorithm("enc")),
    ("xfrm_state", errno.ENOSYS, "Requested AUTH algorithm not found", _algorithm("auth")),
    ("xfrm_state", errno.ENOSYS, "Requested COMP algorithm not found", _algorithm("comp")),
    ("xfrm_state", errno.EPROTONOSUPPORT, "Requested type not found", _xfrm_type),
)


# how the message names what is missing, per topic
SHOWN = {
    LINK: lambda kind: "%s links" % kind,
    XFRM_TYPE: lambda key: "IPv%d %s SAs" % (key[1], key[0]),
    XFRM_ALG: lambda name: "the %s algorithm" % name,
}


def describe(topic, name):
    """``<what>: <options>, built in or as module <m> (modprobe <m>)``, or
    None for what the table does not list."""
    entry = FEATURES.get((topic, name))
    if entry is None:
        return None
    options, modules = entry
    if not options:
        return "%s (no Linux kernel implements it)" % SHOWN[topic](name)
    return "%s: %s, built in or as module%s %s (modprobe %s)" % (
        SHOWN[topic](name), " and ".join(options), "s" if len(modules) > 1 else "", ", ".join(modules),
        " ".join(modules))


def missing(kind_name, change, errnum, extack):
    """What the kernel lacks when it refused ``change`` (of object kind
    ``kind_name``) with ``errnum``/``extack``: a sentence to append to the
    kernel's own words, or None when the refusal means something else."""
    wanted = []
    for kind, number, text, names in REFUSALS:
        if kind == kind_name and number == errnum and (not extack or extack == text):
            for key in names(change):
                if key not in wanted:
                    wanted.append(key)
    found = [d for d in (describe(topic, name) for topic, name in wanted) if d]
    if not found:
        return None
    if extack:
        return "this kernel lacks %s" % "; ".join(found)
    return "this kernel may lack %s" % "; or ".join(found)
