"""xfrm policies through the library against this machine's kernel, in
throwaway namespaces: create (XFRM_MSG_NEWPOLICY, batched and acked), read
(dump and single GETPOLICY), update (UPDPOLICY), delete (DELPOLICY), flush
(FLUSHPOLICY), each cross-checked field by field with ``ip -s xfrm policy``
(iproute2: an independent client; it has no JSON output for xfrm, so its
text is parsed minimally below).

SAs cannot be created on this kernel (no ESP/AH/IPcomp); the SA requests
here only prove that the kernel accepts the library's encoding up to the
missing protocol, the rest is in tests/vm/test_xfrm_sa_library.py."""
import errno
import socket

import pytest

from ansible_collections.netlink.host.plugins.module_utils.netlink import const as C, xfrm
from ansible_collections.netlink.host.plugins.module_utils.netlink.errors import (
    ExistsError, NetlinkError, NotFoundError)
from ansible_collections.netlink.host.plugins.module_utils.netlink.socket import NetlinkSocket, Request
from ansible_collections.netlink.host.plugins.module_utils.netlink.xfrm import common as X

INF = X.XFRM_INF
PROTO_NAMES = {1: "icmp", 6: "tcp", 17: "udp", 58: "ipv6-icmp"}


# ------------------------------------------------------------ ip's view

def parse_ip_xfrm_policy(text):
    """``ip -s xfrm policy`` text -> list of dicts, one per policy, with the
    fields this test compares (everything as ip prints it)."""
    out = []
    cur = tmpl = None
    for line in text.splitlines():
        if not line.strip():
            continue
        words = line.split()
        if not line[0].isspace():                 # selector line starts a policy
            cur = {"tmpl": []}
            out.append(cur)
            tmpl = None
            it = iter(words)
            for w in it:
                if w in ("src", "dst", "proto", "sport", "dport", "type", "code", "dev", "uid"):
                    cur[w] = next(it)
            continue
        if words[0] == "dir":
            it = iter(words)
            for w in it:
                if w in ("dir", "action", "index", "priority", "ptype", "share"):
                    cur[w] = next(it)
                elif w == "flag":
                    cur["flag"] = [x for x in words[words.index("flag") + 1:] if not x.startswith("(")]
                    break
        elif words[0] == "mark":
            cur["mark"] = words[1]
        elif words[0] == "if_id":
            cur["if_id"] = words[1]
        elif words[0] == "tmpl":
            tmpl = {"src": words[2], "dst": words[4]}
            cur["tmpl"].append(tmpl)
        elif words[0] in ("proto", "level", "enc-mask") and tmpl is not None:
            # "proto esp spi 0x00002000(8192) reqid 7(0x00000007) mode transport",
            # "level use share any", "enc-mask ffffffff auth-mask ffffffff comp-mask ffffffff"
            it = iter(words)
            for w in it:
                tmpl[w] = next(it).split("(")[0]
        elif words[0] == "limit:":
            # "limit: soft 1000(bytes), hard (INF)(bytes)"
            soft, hard = words[2].rstrip(","), words[4]
            unit = soft[soft.rindex("(") + 1:-1]
            cur["limit_%s" % unit] = (soft[:soft.rindex("(")], hard[:hard.rindex("(")])
        elif words[0] == "expire" and words[1] == "add:":
            cur["expire_add"] = (words[3].split("(")[0].rstrip(","), words[5].split("(")[0])
    return out


def limit_text(v):
    return "(INF)" if v == INF else str(v)


def as_ip_view(msg):
    """The same fields computed from the library's decoding of a policy."""
    h, a = msg.header, msg.attrs
    sel = h["sel"]
    fam = sel["family"]
    out = {
        "src": "%s/%d" % (xfrm.addr_to_text(sel["saddr"], fam), sel["prefixlen_s"]),
        "dst": "%s/%d" % (xfrm.addr_to_text(sel["daddr"], fam), sel["prefixlen_d"]),
        "uid": str(sel["user"]),
        "dir": X.XFRM_POLICY_DIR.names[h["dir"]],
        "action": X.XFRM_POLICY_ACTION.names[h["action"]],
        "index": str(h["index"]),
        "priority": str(h["priority"]),
        "ptype": {0: "main", 1: "sub"}[a.get("policy_type", {"type": 0})["type"]],
        "share": {0: "any", 1: "session", 2: "user", 3: "unique"}[h["share"]],
        "flag": [n for bit, n in ((X.XFRM_POLICY_LOCALOK, "localok"), (X.XFRM_POLICY_ICMP, "icmp"))
                 if h["flags"] & bit],
        "limit_bytes": (limit_text(h["lft"]["soft_byte_limit"]), limit_text(h["lft"]["hard_byte_limit"])),
        "limit_packets": (limit_text(h["lft"]["soft_packet_limit"]),
                          limit_text(h["lft"]["hard_packet_limit"])),
        "expire_add": (str(h["lft"]["soft_add_expires_seconds"]),
                       str(h["lft"]["hard_add_expires_seconds"])),
        "tmpl": [],
    }
    if sel["proto"]:
        out["proto"] = PROTO_NAMES.get(sel["proto"], str(sel["proto"]))
        if sel["proto"] in (1, 58):
            out["type"], out["code"] = str(sel["sport"]), str(sel["dport"])
        else:
            if sel["sport_mask"]:
                out["sport"] = str(sel["sport"])
            if sel["dport_mask"]:
                out["dport"] = str(sel["dport"])
    if sel["ifindex"]:
        out["dev"] = {1: "lo"}[sel["ifindex"]]
    if "mark" in a:
        out["mark"] = "0x%x/0x%x" % (a["mark"]["v"], a["mark"]["m"])
    if a.get("if_id"):
        out["if_id"] = "0x%x" % a["if_id"]
    for t in a.get("tmpl", []):
        tv = {"src": xfrm.addr_to_text(t["saddr"], t["family"]),
              "dst": xfrm.addr_to_text(t["id"]["daddr"], t["family"]),
              "proto": X.XFRM_PROTO.names[t["id"]["proto"]],
              "reqid": str(t["reqid"]), "mode": X.XFRM_MODE.names[t["mode"]],
              "spi": "0x%08x" % t["id"]["spi"], "level": "use" if t["optional"] else "required",
              "share": {0: "any", 1: "session", 2: "user", 3: "unique"}[t["share"]],
              "enc-mask": "%x" % t["ealgos"], "auth-mask": "%x" % t["aalgos"],
              "comp-mask": "%x" % t["calgos"]}
        out["tmpl"].append(tv)
    return out


def ip_view(ip, ns):
    return parse_ip_xfrm_policy(ip(ns, "-s", "xfrm", "policy"))


def lib_dump(ns):
    with NetlinkSocket(C.NETLINK_XFRM, xfrm.SCHEMAS, netns=ns) as s:
        return s.dump(C.XFRM_MSG_GETPOLICY)


def assert_same(ip, ns):
    mine = sorted((as_ip_view(m) for m in lib_dump(ns)), key=lambda d: int(d["index"]))
    theirs = sorted(ip_view(ip, ns), key=lambda d: int(d["index"]))
    assert mine == theirs
    return mine


# ------------------------------------------------------------ requests

def selector(src, dst, plen_s=None, plen_d=None, proto=0, sport=None, dport=None, ifindex=0):
    fam = xfrm.addr_family(src)
    full = 32 if fam == socket.AF_INET else 128
    sel = {"family": fam, "saddr": xfrm.text_to_addr(src), "daddr": xfrm.text_to_addr(dst),
           "prefixlen_s": full if plen_s is None else plen_s,
           "prefixlen_d": full if plen_d is None else plen_d, "proto": proto, "ifindex": ifindex}
    if sport is not None:
        sel.update(sport=sport, sport_mask=0xFFFF)
    if dport is not None:
        sel.update(dport=dport, dport_mask=0xFFFF)
    return sel


def tmpl(src, dst, proto=X.IPPROTO_ESP, mode=X.XFRM_MODE_TRANSPORT, reqid=0, spi=0, optional=0):
    return {"id": {"daddr": xfrm.text_to_addr(dst), "spi": spi, "proto": proto},
            "family": xfrm.addr_family(src), "saddr": xfrm.text_to_addr(src), "reqid": reqid,
            "mode": mode, "optional": optional,
            "aalgos": 0xFFFFFFFF, "ealgos": 0xFFFFFFFF, "calgos": 0xFFFFFFFF}


def lifetime(**kw):
    lft = {"soft_byte_limit": INF, "hard_byte_limit": INF,
           "soft_packet_limit": INF, "hard_packet_limit": INF}
    lft.update(kw)
    return lft


def new_policy(sel, dir, msg_type=C.XFRM_MSG_NEWPOLICY, priority=0, action=X.XFRM_POLICY_ALLOW,
               flags=0, lft=None, label=None, **attrs):
    header = {"sel": sel, "dir": dir, "priority": priority, "action": action, "flags": flags,
              "lft": lft or lifetime()}
    return Request(msg_type, C.NLM_F_CREATE | C.NLM_F_EXCL if msg_type == C.XFRM_MSG_NEWPOLICY else 0,
                   header, attrs, label=label)


POLICIES = [
    new_policy(selector("10.0.0.1", "10.0.0.2", proto=17, sport=500, dport=4500), X.XFRM_POLICY_OUT,
               priority=5, mark={"v": 5, "m": 0xFF},
               tmpl=[tmpl("10.0.0.1", "10.0.0.2", mode=X.XFRM_MODE_TUNNEL, reqid=7)]),
    new_policy(selector("10.0.0.2", "10.0.0.1"), X.XFRM_POLICY_IN, priority=10,
               tmpl=[tmpl("10.0.0.2", "10.0.0.1", reqid=8)]),
    new_policy(selector("10.9.0.0", "10.8.0.0", 16, 16), X.XFRM_POLICY_FWD, action=X.XFRM_POLICY_BLOCK),
    new_policy(selector("10.0.0.3", "10.0.0.4", proto=1, sport=8, dport=0, ifindex=1), X.XFRM_POLICY_IN,
               flags=X.XFRM_POLICY_LOCALOK | X.XFRM_POLICY_ICMP,
               lft=lifetime(soft_add_expires_seconds=60, hard_add_expires_seconds=120,
                            soft_byte_limit=1000, hard_packet_limit=50),
               tmpl=[tmpl("10.0.0.4", "10.0.0.3", proto=X.IPPROTO_AH, optional=1)]),
    new_policy(selector("10.0.0.5", "10.0.0.6"), X.XFRM_POLICY_OUT, if_id=5,
               tmpl=[tmpl("10.0.0.5", "10.0.0.6", mode=X.XFRM_MODE_TUNNEL)]),
    new_policy(selector("10.0.0.7", "10.0.0.8"), X.XFRM_POLICY_OUT,
               tmpl=[tmpl("10.0.0.7", "10.0.0.8", proto=X.IPPROTO_COMP, spi=0x1000, mode=X.XFRM_MODE_TUNNEL),
                     tmpl("10.0.0.7", "10.0.0.8", spi=0x2000, optional=1)]),
    new_policy(selector("10.0.0.0", "10.1.0.0", 8, 16), X.XFRM_POLICY_OUT,
               policy_type={"type": X.XFRM_POLICY_TYPE_SUB}),
    new_policy(selector("2001:db8::1", "2001:db8::2", proto=6, dport=443), X.XFRM_POLICY_OUT,
               tmpl=[tmpl("2001:db8::1", "2001:db8::2", reqid=9)]),
    new_policy(selector("2001:db8:1::", "2001:db8:2::", 48, 48), X.XFRM_POLICY_FWD,
               tmpl=[tmpl("2001:db8::a", "2001:db8::b", mode=X.XFRM_MODE_TUNNEL, reqid=10)]),
]


def create_all(ns):
    with NetlinkSocket(C.NETLINK_XFRM, xfrm.SCHEMAS, netns=ns) as s:
        result = s.batch(POLICIES)
        assert result.ok, result.error
        assert result.applied == list(range(len(POLICIES)))


def find(msgs, req):
    """The dumped policy made by request ``req`` (same selector, dir, type)."""
    want_type = req.attrs.get("policy_type", {"type": 0})["type"]
    hits = [m for m in msgs if m.header["dir"] == req.header["dir"]
            and m.attrs.get("policy_type", {"type": 0})["type"] == want_type
            and all(m.header["sel"][k] == v for k, v in req.header["sel"].items())]
    assert len(hits) == 1, (req, hits)
    return hits[0]


# ------------------------------------------------------------ tests

def test_policies_created_by_the_library_match_ip(netns, ip):
    create_all(netns)
    views = assert_same(ip, netns)
    assert len(views) == len(POLICIES)
    msgs = lib_dump(netns)
    for req in POLICIES:
        got = find(msgs, req)
        for key in ("dir", "priority", "action", "flags"):
            assert got.header[key] == req.header[key], key
        for key, want in req.header["lft"].items():
            assert got.header["lft"][key] == want, key
        for key, want in req.attrs.items():
            if key == "tmpl":
                assert [dict(t, share=0) for t in want] == got.attrs["tmpl"]
            elif key == "policy_type":
                assert got.attrs[key]["type"] == want["type"]
            else:
                assert got.attrs[key] == want, key


def test_policies_created_by_ip_decode_to_what_ip_shows(netns, ip):
    for cmd in ("xfrm policy add src 10.0.0.1/32 dst 10.0.0.2/32 proto udp sport 500 dport 4500 "
                "dir out priority 5 mark 0x5 mask 0xff tmpl src 10.0.0.1 dst 10.0.0.2 proto esp "
                "reqid 7 mode tunnel",
                "xfrm policy add src 10.9.0.0/16 dst 10.8.0.0/16 dir fwd action block",
                "xfrm policy add src 10.0.0.3/32 dst 10.0.0.4/32 proto icmp type 8 code 0 dev lo "
                "dir in flag localok icmp limit time-soft 60 limit byte-soft 1000 "
                "tmpl src 10.0.0.4 dst 10.0.0.3 proto ah mode transport level use",
                "xfrm policy add src 10.0.0.7/32 dst 10.0.0.8/32 dir out if_id 3 "
                "tmpl src 10.0.0.7 dst 10.0.0.8 proto comp spi 0x1000 mode tunnel "
                "tmpl src 10.0.0.7 dst 10.0.0.8 proto esp spi 0x2000 mode transport level use",
                "xfrm policy add src 2001:db8::/32 dst ::/0 dir in ptype sub",
                "xfrm policy add src 2001:db8::1/128 dst 2001:db8::2/128 proto tcp dport 443 dir out "
                "tmpl src 2001:db8::1 dst 2001:db8::2 proto esp reqid 9 mode transport"):
        ip(netns, *cmd.split())
    assert len(assert_same(ip, netns)) == 6


def test_single_get_by_selector_and_by_index(netns):
    create_all(netns)
    dumped = lib_dump(netns)
    with NetlinkSocket(C.NETLINK_XFRM, xfrm.SCHEMAS, netns=netns) as s:
        for msg in dumped:
            header, attrs = xfrm.policy_id_of(msg.header, msg.attrs)
            got = s.get(C.XFRM_MSG_GETPOLICY, header, attrs)
            assert got.type == C.XFRM_MSG_NEWPOLICY
            assert got.header["index"] == msg.header["index"] and got.attrs == msg.attrs
            # by index: the kernel still matches type, mark and if_id
            by_index = s.get(C.XFRM_MSG_GETPOLICY, {"index": msg.header["index"], "dir": msg.header["dir"]},
                             attrs)
            assert by_index.header["sel"] == msg.header["sel"]
        missing = dict(xfrm.policy_id_of(dumped[0].header)[0], dir=X.XFRM_POLICY_FWD)
        missing["sel"] = dict(missing["sel"], prefixlen_s=1)
        with pytest.raises(NotFoundError):
            s.get(C.XFRM_MSG_GETPOLICY, missing)


def test_update_policy(netns, ip):
    create_all(netns)
    req = POLICIES[1]
    upd = new_policy(req.header["sel"], req.header["dir"], msg_type=C.XFRM_MSG_UPDPOLICY, priority=77,
                     tmpl=[tmpl("10.0.0.2", "10.0.0.1", reqid=80, mode=X.XFRM_MODE_TUNNEL)],
                     mark={"v": 0, "m": 0})
    with NetlinkSocket(C.NETLINK_XFRM, xfrm.SCHEMAS, netns=netns) as s:
        before = find(s.dump(C.XFRM_MSG_GETPOLICY), req)
        s.request(Request(C.XFRM_MSG_UPDPOLICY, 0, upd.header, {"tmpl": upd.attrs["tmpl"]}))
        after = find(s.dump(C.XFRM_MSG_GETPOLICY), req)
        # UPDPOLICY of a policy that does not exist creates it
        new = new_policy(selector("10.7.0.1", "10.7.0.2"), X.XFRM_POLICY_OUT, msg_type=C.XFRM_MSG_UPDPOLICY)
        s.request(new)
    assert after.header["index"] == before.header["index"]
    assert after.header["priority"] == 77
    assert after.attrs["tmpl"][0]["reqid"] == 80 and after.attrs["tmpl"][0]["mode"] == X.XFRM_MODE_TUNNEL
    views = {v["index"]: v for v in assert_same(ip, netns)}
    assert views[str(after.header["index"])]["tmpl"][0]["reqid"] == "80"
    assert len(views) == len(POLICIES) + 1


def test_delete_and_flush(netns, ip):
    create_all(netns)
    with NetlinkSocket(C.NETLINK_XFRM, xfrm.SCHEMAS, netns=netns) as s:
        victims = [find(s.dump(C.XFRM_MSG_GETPOLICY), r) for r in POLICIES[:3]]
        dels = [Request(C.XFRM_MSG_DELPOLICY, 0, *xfrm.policy_id_of(m.header, m.attrs)) for m in victims]
        result = s.batch(dels)
        assert result.ok, result.error
        assert len(assert_same(ip, netns)) == len(POLICIES) - 3
        with pytest.raises(NotFoundError):
            s.request(dels[0])
        # flush the sub policies only, then the main ones
        s.request(Request(C.XFRM_MSG_FLUSHPOLICY, 0, None, {"policy_type": {"type": X.XFRM_POLICY_TYPE_SUB}}))
        left = s.dump(C.XFRM_MSG_GETPOLICY)
        assert left and all(m.attrs["policy_type"]["type"] == 0 for m in left)
        assert len(left) == len(POLICIES) - 4
        s.request(Request(C.XFRM_MSG_FLUSHPOLICY))
        assert s.dump(C.XFRM_MSG_GETPOLICY) == []
    assert ip(netns, "xfrm", "policy").strip() == ""


def test_duplicate_and_bad_requests_are_refused(netns, ip):
    with NetlinkSocket(C.NETLINK_XFRM, xfrm.SCHEMAS, netns=netns) as s:
        s.request(POLICIES[0])
        with pytest.raises(ExistsError):
            s.request(POLICIES[0])
        bad = new_policy(selector("10.5.5.5", "10.6.6.6"), 7, label="ip xfrm policy add ... dir 7")
        result = s.batch([POLICIES[1], bad, POLICIES[2]])
        assert result.failed == 1 and result.error.errno == errno.EINVAL
        assert "dir 7" in str(result.error)
        assert 0 in result.applied
    # the request sent after the failed one in the same sendmsg was still applied
    assert len(assert_same(ip, netns)) == 1 + len(result.applied)


def test_sa_requests_are_well_formed_for_the_kernel(netns):
    """No ESP/AH/IPcomp here: the kernel validates the SA message
    (verify_newsa_info) and then fails to find the protocol.  Any errno but
    EINVAL means the message itself passed validation."""
    sa = {"sel": selector("10.0.0.1", "10.0.0.2"),
          "id": {"daddr": xfrm.text_to_addr("10.0.0.2"), "spi": 0x1000, "proto": X.IPPROTO_ESP},
          "saddr": xfrm.text_to_addr("10.0.0.1"), "lft": lifetime(), "reqid": 1,
          "family": socket.AF_INET, "mode": X.XFRM_MODE_TRANSPORT, "replay_window": 32}
    attrs = {"alg_aead": xfrm.algo("rfc4106(gcm(aes))", bytes(20), alg_icv_len=128)}
    with NetlinkSocket(C.NETLINK_XFRM, xfrm.SCHEMAS, netns=netns) as s:
        try:
            s.request(Request(C.XFRM_MSG_NEWSA, C.NLM_F_CREATE | C.NLM_F_EXCL, sa, attrs))
        except NetlinkError as exc:
            assert exc.errno != errno.EINVAL, exc
        else:
            pytest.skip("this kernel has ESP: covered by the VM tier")
        # header-less, filtered SA dump and a flush are accepted
        assert s.dump(C.XFRM_MSG_GETSA, None, {"proto": X.IPPROTO_ESP}) == []
        s.request(Request(C.XFRM_MSG_FLUSHSA, 0, {"proto": 0}))
