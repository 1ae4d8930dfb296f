"""xfrm SAs through the library on a stock distribution kernel (ESP, AH and
IPcomp are modules there, absent from the host kernel).  Runs in the VM
tier only (tests/vm/run.sh), in throwaway namespaces (tests/vm/conftest.py).

- one SA per algorithm family (AEAD rfc4106(gcm(aes)); cbc(aes) +
  hmac(sha256) truncated; AH auth-only hmac(sha1); IPcomp deflate) is
  created with XFRM_MSG_NEWSA, read back both with ``ip -s xfrm state``
  (parsed minimally: ip has no JSON for xfrm) and with the library (dump
  and single GET), field by field; updated with XFRM_MSG_UPDSA; deleted
  with XFRM_MSG_DELSA;
- two namespaces joined by a veth get ESP transport SAs and in/out
  policies from the library only; UDP crosses in both directions and the
  SA counters move, seen by ``ip -s xfrm state`` and by the library.
"""
import errno
import re
import socket
import time

import pytest

from ansible_collections.netlink.host.plugins.module_utils.netlink import const as C, xfrm
from ansible_collections.netlink.host.plugins.module_utils.netlink.errors import (
    ExistsError, NotFoundError)
from ansible_collections.netlink.host.plugins.module_utils.netlink.socket import NetlinkSocket, Request
from ansible_collections.netlink.host.plugins.module_utils.netlink.xfrm import common as X

pytestmark = [pytest.mark.vm]

INF = X.XFRM_INF
KEY20 = bytes.fromhex("11" * 16 + "a1a2a3a4")       # AES-128 key + 4-byte salt (rfc4106)
KEY16 = bytes.fromhex("22" * 16)
KEY32 = bytes.fromhex("33" * 32)
KEY20_SHA1 = bytes.fromhex("44" * 20)


# ------------------------------------------------------------ ip's view

_CUR = re.compile(r"lifetime current:\s*\n\s*(\d+)\(bytes\), (\d+)\(packets\)")


def _num(tok):
    return tok.split("(")[0]


def parse_ip_xfrm_state(text):
    """``ip -s xfrm state`` text -> list of dicts (values as ip prints them,
    suffixes like ``(4097)`` dropped)."""
    out = []
    for block in re.split(r"\n(?=src )", text.strip()):
        if not block.strip():
            continue
        sa = {"algs": {}}
        lines = block.splitlines()
        first = lines[0].split()
        sa["src"], sa["dst"] = first[1], first[3]
        for line in lines[1:]:
            w = line.split()
            if not w:
                continue
            if w[0] == "proto":
                it = iter(w)
                for k in it:
                    sa[k] = _num(next(it))
            elif w[0] == "replay-window" and "replay-window" not in sa:
                # the first one; "stats:" has another ("replay-window 0 replay 0 failed 0")
                sa["replay-window"] = _num(w[1])
                if "flag" in w:
                    sa["flag"] = [x for x in w[w.index("flag") + 1:] if not x.startswith("(")]
            elif w[0] in ("aead", "enc", "auth", "auth-trunc", "comp"):
                # "aead NAME 0xKEY (160 bits) 128", "comp deflate"
                alg = {"name": w[1]}
                rest = [x for x in w[2:] if not x.startswith("(") and x != "bits)"]
                if rest and rest[0].startswith("0x"):
                    alg["key"] = rest.pop(0)[2:]
                if rest:
                    alg["bits"] = rest[-1]
                sa["algs"][w[0]] = alg
            elif w[0] == "mark":
                sa["mark"] = w[1]
            elif w[0] == "output-mark":
                sa["output-mark"] = w[1]
            elif w[0] == "if_id":
                sa["if_id"] = w[1]
            elif w[0] == "sel":
                sa["sel_src"], sa["sel_dst"] = w[2], w[4]
            elif w[0] == "limit:":
                soft, hard = w[2].rstrip(","), w[4]
                unit = soft[soft.rindex("(") + 1:-1]
                sa["limit_" + unit] = (soft[:soft.rindex("(")], hard[:hard.rindex("(")])
            elif w[0] == "expire" and w[1] == "add:":
                sa["expire_add"] = (w[3].split("(")[0].rstrip(","), w[5].split("(")[0])
        m = _CUR.search(block)
        if m:
            sa["cur_bytes"], sa["cur_packets"] = int(m.group(1)), int(m.group(2))
        out.append(sa)
    return out


def ip_sas(ns):
    text = ns.ip("-s", "xfrm", "state")
    print(text)   # shown by pytest when a test fails
    return parse_ip_xfrm_state(text)


def ip_sa(ns, spi):
    hits = [s for s in ip_sas(ns) if int(s["spi"], 16) == spi]
    assert len(hits) == 1, (spi, ip_sas(ns))
    return hits[0]


# ------------------------------------------------------------ the library

def xsock(ns):
    return NetlinkSocket(C.NETLINK_XFRM, xfrm.SCHEMAS, netns=ns.name)


def host_sel(src, dst):
    fam = xfrm.addr_family(src)
    plen = 32 if fam == socket.AF_INET else 128
    return {"family": fam, "saddr": xfrm.text_to_addr(src), "daddr": xfrm.text_to_addr(dst),
            "prefixlen_s": plen, "prefixlen_d": plen}


def lifetime(**kw):
    lft = {"soft_byte_limit": INF, "hard_byte_limit": INF,
           "soft_packet_limit": INF, "hard_packet_limit": INF}
    lft.update(kw)
    return lft


def sa_request(src, dst, spi, proto=X.IPPROTO_ESP, mode=X.XFRM_MODE_TRANSPORT, reqid=0,
               replay_window=32, flags=0, lft=None, msg_type=C.XFRM_MSG_NEWSA, **attrs):
    fam = xfrm.addr_family(src)
    header = {"sel": host_sel(src, dst),
              "id": {"daddr": xfrm.text_to_addr(dst), "spi": spi, "proto": proto},
              "saddr": xfrm.text_to_addr(src), "lft": lft or lifetime(), "reqid": reqid,
              "family": fam, "mode": mode, "replay_window": replay_window, "flags": flags}
    nl_flags = C.NLM_F_CREATE | C.NLM_F_EXCL if msg_type == C.XFRM_MSG_NEWSA else 0
    return Request(msg_type, nl_flags, header, attrs,
                   label="ip xfrm state %s src %s dst %s spi %#x"
                   % ("add" if msg_type == C.XFRM_MSG_NEWSA else "update", src, dst, spi))


def lib_sas(sock, proto=None):
    return sock.dump(C.XFRM_MSG_GETSA, None, {"proto": proto} if proto else None)


def lib_sa(sock, spi, proto=None):
    hits = [m for m in lib_sas(sock, proto) if m.header["id"]["spi"] == spi]
    assert len(hits) == 1, (spi, hits)
    return hits[0]


# ------------------------------------------------------------ SA life cycle

ALG_CASES = {
    # name: (family, proto, attrs, {ip alg key: (name, key hex, bits)})
    "aead-gcm-v4": (socket.AF_INET, X.IPPROTO_ESP,
                    {"alg_aead": xfrm.algo("rfc4106(gcm(aes))", KEY20, alg_icv_len=128),
                     "mark": {"v": 7, "m": 0xFF}},
                    {"aead": ("rfc4106(gcm(aes))", KEY20.hex(), "128")}),
    "aead-gcm-v6": (socket.AF_INET6, X.IPPROTO_ESP,
                    {"alg_aead": xfrm.algo("rfc4106(gcm(aes))", KEY20, alg_icv_len=64),
                     "if_id": 5},
                    {"aead": ("rfc4106(gcm(aes))", KEY20.hex(), "64")}),
    "cbc-aes-hmac-sha256-v4": (socket.AF_INET, X.IPPROTO_ESP,
                               {"alg_crypt": xfrm.algo("cbc(aes)", KEY16),
                                "alg_auth_trunc": xfrm.algo("hmac(sha256)", KEY32, alg_trunc_len=128)},
                               {"enc": ("cbc(aes)", KEY16.hex(), None),
                                "auth-trunc": ("hmac(sha256)", KEY32.hex(), "128")}),
    "ah-hmac-sha1-v4": (socket.AF_INET, X.IPPROTO_AH,
                        {"alg_auth": xfrm.algo("hmac(sha1)", KEY20_SHA1)},
                        {"auth-trunc": ("hmac(sha1)", KEY20_SHA1.hex(), "96")}),
    "comp-deflate-v4": (socket.AF_INET, X.IPPROTO_COMP,
                        {"alg_comp": xfrm.algo("deflate", b"")},
                        {"comp": ("deflate", None, None)}),
}

ADDRS = {socket.AF_INET: ("10.61.0.1", "10.61.0.2"), socket.AF_INET6: ("fd00:61::1", "fd00:61::2")}


def check_alg_attrs(msg, attrs):
    """The library's decoding carries the algorithms exactly as sent."""
    for name, want in attrs.items():
        got = msg.attrs[name]
        if name.startswith("alg_"):
            assert xfrm.alg_name(got["alg_name"]) == xfrm.alg_name(want["alg_name"]), name
            for k, v in want.items():
                assert got[k] == v, (name, k)
        else:
            assert got == want, name


@pytest.mark.parametrize("case", sorted(ALG_CASES))
def test_sa_create_read_update_delete(netns, case):
    family, proto, attrs, ip_algs = ALG_CASES[case]
    src, dst = ADDRS[family]
    spi = 0x3000 if proto == X.IPPROTO_COMP else 0xC0DE0001   # IPcomp: 16-bit CPI
    req = sa_request(src, dst, spi, proto=proto, reqid=42, **attrs)
    with xsock(netns) as s:
        s.request(req)
        with pytest.raises(ExistsError):
            s.request(req)

        # ---- read back: the library (dump filtered by proto, then single GET)
        msg = lib_sa(s, spi, proto)
        h = msg.header
        assert h["id"]["proto"] == proto and h["family"] == family and h["reqid"] == 42
        assert xfrm.addr_to_text(h["id"]["daddr"], family) == dst
        assert xfrm.addr_to_text(h["saddr"], family) == src
        assert h["mode"] == X.XFRM_MODE_TRANSPORT and h["replay_window"] == 32
        assert h["sel"]["family"] == family
        assert xfrm.addr_to_text(h["sel"]["saddr"], family) == src
        assert h["lft"]["soft_byte_limit"] == INF
        check_alg_attrs(msg, attrs)
        if "alg_auth" in attrs:   # the kernel reports the truncation it chose
            assert msg.attrs["alg_auth_trunc"]["alg_trunc_len"] == 96
        id_header, id_attrs = xfrm.sa_id_of(msg.header, msg.attrs)
        got = s.get(C.XFRM_MSG_GETSA, id_header, id_attrs)
        assert got.type == C.XFRM_MSG_NEWSA
        assert got.header["id"] == h["id"] and got.attrs.get("mark") == msg.attrs.get("mark")
        other = X.IPPROTO_ESP if proto != X.IPPROTO_ESP else X.IPPROTO_AH
        assert [m.header["id"]["spi"] for m in lib_sas(s, other)] == []

        # ---- read back: iproute2
        v = ip_sa(netns, spi)
        assert (v["src"], v["dst"], v["proto"], v["reqid"], v["mode"]) == (
            src, dst, X.XFRM_PROTO.names[proto], "42", "transport")
        assert v["replay-window"] == "32"
        assert v["sel_src"].split("/")[0] == src and v["sel_dst"].split("/")[0] == dst
        assert v["limit_bytes"] == ("(INF)", "(INF)")
        for kind, (name, key, bits) in ip_algs.items():
            assert v["algs"][kind]["name"] == name, v
            if key is not None:
                assert v["algs"][kind]["key"] == key, v
            if bits is not None:
                assert v["algs"][kind]["bits"] == bits, v
        if "mark" in attrs:
            assert v["mark"] == "0x%x/0x%x" % (attrs["mark"]["v"], attrs["mark"]["m"])
        if "if_id" in attrs:
            assert v["if_id"] == "0x%x" % attrs["if_id"]

        # ---- update: lifetimes and the output mark change in place; the
        # kernel keeps the keys of the existing SA (a key change needs
        # delete + add: XFRM_MSG_UPDSA does not replace them).
        upd_attrs = dict(attrs, set_mark=0x99, set_mark_mask=0xFFFF)
        for name, alg in attrs.items():
            if name.startswith("alg_") and alg["alg_key"]:
                upd_attrs[name] = dict(alg, alg_key=bytes(len(alg["alg_key"])))
        upd = sa_request(src, dst, spi, proto=proto, reqid=42, msg_type=C.XFRM_MSG_UPDSA,
                         lft=lifetime(soft_byte_limit=100000, hard_byte_limit=200000,
                                      soft_add_expires_seconds=3000, hard_add_expires_seconds=3600),
                         **upd_attrs)
        s.request(upd)
        after = lib_sa(s, spi, proto)
        assert after.header["lft"]["soft_byte_limit"] == 100000
        assert after.header["lft"]["hard_add_expires_seconds"] == 3600
        assert after.attrs.get("set_mark") == 0x99 and after.attrs.get("set_mark_mask") == 0xFFFF
        check_alg_attrs(after, attrs)          # old keys kept
        v = ip_sa(netns, spi)
        assert v["limit_bytes"] == ("100000", "200000")
        assert v["expire_add"] == ("3000", "3600")

        # ---- delete
        s.request(Request(C.XFRM_MSG_DELSA, 0, id_header, id_attrs))
        assert lib_sas(s, proto) == []
        with pytest.raises(NotFoundError):
            s.request(Request(C.XFRM_MSG_DELSA, 0, id_header, id_attrs))
    assert [x for x in ip_sas(netns) if int(x["spi"], 16) == spi] == []


def test_esn_sa_and_flush(netns):
    """An ESN SA carries XFRMA_REPLAY_ESN_VAL (struct + bitmap tail); FLUSHSA
    by protocol removes only that protocol's SAs."""
    src, dst = ADDRS[socket.AF_INET]
    esn = {"bmp_len": 4, "oseq": 0, "seq": 0, "oseq_hi": 0, "seq_hi": 0, "replay_window": 128,
           "bmp": bytes(16)}
    with xsock(netns) as s:
        result = s.batch([
            sa_request(src, dst, 0x5001, replay_window=0, flags=X.XFRM_STATE_ESN,
                       alg_aead=xfrm.algo("rfc4106(gcm(aes))", KEY20, alg_icv_len=128),
                       replay_esn_val=esn),
            sa_request(src, dst, 0x5002, proto=X.IPPROTO_AH,
                       alg_auth_trunc=xfrm.algo("hmac(sha256)", KEY32, alg_trunc_len=128)),
        ])
        assert result.ok, result.error
        msg = lib_sa(s, 0x5001, X.IPPROTO_ESP)
        assert msg.header["flags"] & X.XFRM_STATE_ESN
        got = msg.attrs["replay_esn_val"]
        assert got["bmp_len"] == 4 and got["replay_window"] == 128 and len(got["bmp"]) == 16
        assert "esn" in ip_sa(netns, 0x5001).get("flag", [])
        s.request(Request(C.XFRM_MSG_FLUSHSA, 0, {"proto": X.IPPROTO_ESP}))
        assert lib_sas(s, X.IPPROTO_ESP) == []
        assert [m.header["id"]["spi"] for m in lib_sas(s)] == [0x5002]
        s.request(Request(C.XFRM_MSG_FLUSHSA, 0, {"proto": 0}))   # IPSEC_PROTO_ANY
        assert lib_sas(s) == []
    assert ip_sas(netns) == []


def test_bad_sa_is_refused_with_the_kernels_reason(netns):
    src, dst = ADDRS[socket.AF_INET]
    with xsock(netns) as s:
        bad = sa_request(src, dst, 0x6001, alg_aead=xfrm.algo("rfc4106(gcm(aes))", KEY20, alg_icv_len=100))
        result = s.batch([sa_request(src, dst, 0x6000,
                                     alg_aead=xfrm.algo("rfc4106(gcm(aes))", KEY20, alg_icv_len=128)),
                          bad])
        assert result.failed == 1 and result.applied == [0]
        assert result.error.errno in (errno.EINVAL, errno.ENOENT, errno.ENOSYS), result.error
        assert "0x6001" in str(result.error)
    assert [int(x["spi"], 16) for x in ip_sas(netns)] == [0x6000]


# ------------------------------------------------------------ ESP between namespaces

def tmpl(src, dst, reqid):
    return {"id": {"daddr": xfrm.text_to_addr(dst), "spi": 0, "proto": X.IPPROTO_ESP},
            "family": xfrm.addr_family(src), "saddr": xfrm.text_to_addr(src), "reqid": reqid,
            "mode": X.XFRM_MODE_TRANSPORT, "aalgos": 0xFFFFFFFF, "ealgos": 0xFFFFFFFF,
            "calgos": 0xFFFFFFFF}


def esp_side(ns, local, remote, spi_out, key_out, spi_in, key_in):
    """Two SAs and two policies (out, in) for UDP between local and remote,
    in one batch: ``ip xfrm state add ... aead 'rfc4106(gcm(aes))' ...`` and
    ``ip xfrm policy add ... proto udp dir out|in tmpl ... proto esp``."""
    reqs = []
    for src, dst, spi, key in ((local, remote, spi_out, key_out), (remote, local, spi_in, key_in)):
        reqs.append(sa_request(src, dst, spi, reqid=spi,
                               alg_aead=xfrm.algo("rfc4106(gcm(aes))", key, alg_icv_len=128)))
    for direction, src, dst, spi in ((X.XFRM_POLICY_OUT, local, remote, spi_out),
                                     (X.XFRM_POLICY_IN, remote, local, spi_in)):
        sel = dict(host_sel(src, dst), proto=17)
        reqs.append(Request(C.XFRM_MSG_NEWPOLICY, C.NLM_F_CREATE | C.NLM_F_EXCL,
                            {"sel": sel, "dir": direction, "action": X.XFRM_POLICY_ALLOW,
                             "lft": lifetime()},
                            {"tmpl": [tmpl(src, dst, spi)]}))
    with xsock(ns) as s:
        result = s.batch(reqs)
        assert result.ok, result.error
        assert result.applied == [0, 1, 2, 3]


def lib_counters(ns):
    with xsock(ns) as s:
        return {m.header["id"]["spi"]: (m.header["curlft"]["bytes"], m.header["curlft"]["packets"])
                for m in lib_sas(s, X.IPPROTO_ESP)}


@pytest.mark.parametrize("family", [socket.AF_INET, socket.AF_INET6], ids=["ipv4", "ipv6"])
def test_esp_transport_pair_configured_by_the_library(netns_factory, family, udp_round_trip):
    a, b = netns_factory(), netns_factory()
    if family == socket.AF_INET:
        addr_a, addr_b, plen = "10.72.0.1", "10.72.0.2", 24
    else:
        addr_a, addr_b, plen = "fd00:72::1", "fd00:72::2", 64
    a.ip("link", "add", "va", "type", "veth", "peer", "name", "vb", "netns", b.name)
    for ns, dev, addr in ((a, "va", addr_a), (b, "vb", addr_b)):
        extra = ["nodad"] if family == socket.AF_INET6 else []
        ns.ip("addr", "add", "%s/%d" % (addr, plen), "dev", dev, *extra)
        ns.ip("link", "set", dev, "up")

    spi_ab, spi_ba = 0x7001, 0x7002
    key_ab, key_ba = bytes.fromhex("55" * 20), bytes.fromhex("66" * 20)
    esp_side(a, addr_a, addr_b, spi_ab, key_ab, spi_ba, key_ba)
    esp_side(b, addr_b, addr_a, spi_ba, key_ba, spi_ab, key_ab)
    assert lib_counters(a) == {spi_ab: (0, 0), spi_ba: (0, 0)}
    assert {int(x["spi"], 16): x["algs"]["aead"]["name"] for x in ip_sas(a)} == {
        spi_ab: "rfc4106(gcm(aes))", spi_ba: "rfc4106(gcm(aes))"}

    udp_round_trip(a, b, family, addr_a, addr_b, b"library-esp")

    deadline = time.time() + 5
    while True:
        ca, cb = lib_counters(a), lib_counters(b)
        if all(c[spi][1] >= 1 for c in (ca, cb) for spi in (spi_ab, spi_ba)):
            break
        assert time.time() < deadline, (ca, cb)
        time.sleep(0.2)
    # iproute2 sees the same counters as the library
    for ns, counters in ((a, ca), (b, cb)):
        seen = {int(x["spi"], 16): (x["cur_bytes"], x["cur_packets"]) for x in ip_sas(ns)}
        for spi in (spi_ab, spi_ba):
            assert seen[spi][1] >= counters[spi][1] >= 1
            assert seen[spi][0] >= counters[spi][0] > 0
