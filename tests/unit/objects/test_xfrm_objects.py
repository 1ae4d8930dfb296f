"""xfrm SA and policy object kinds on plain data (no kernel, no root):
the equivalent ``ip xfrm`` commands, secret masking, plain-data changes,
and requests that encode (with the schemas' Body.encode_parts) and decode
back to the same object."""
import json
import socket

import pytest

from ansible_collections.netlink.host.plugins.module_utils import contract
from ansible_collections.netlink.host.plugins.module_utils.engine import plans
from ansible_collections.netlink.host.plugins.module_utils.netlink import const as C, xfrm
from ansible_collections.netlink.host.plugins.module_utils.netlink.socket import Message
from ansible_collections.netlink.host.plugins.module_utils.objects.xfrm_policy import XfrmPolicyKind
from ansible_collections.netlink.host.plugins.module_utils.objects.xfrm_state import XfrmStateKind
from ansible_collections.netlink.host.tests.unit.objects.xfrm_builders import LIFETIMES, policy, sa, sel, tmpl

SA_KIND = XfrmStateKind()
POLICY_KIND = XfrmPolicyKind()

KEY20 = "0x" + "11" * 16 + "a1a2a3a4"
KEY16 = "0x" + "22" * 16
KEY32 = "0x" + "33" * 32
KEY20_SHA1 = "0x" + "44" * 20


class FakeCtx:
    """What the object kinds ask of a KernelContext: netns and link names."""

    def __init__(self, netns=None, links=None):
        self.netns = netns
        self.links = links or {1: "lo", 7: "eth7"}

    def ifname(self, index):
        return self.links.get(index)

    def ifindex(self, name, required=True):
        for index, n in self.links.items():
            if n == name:
                return index
        if required:
            raise KeyError(name)
        return None


SAS = {
    "aead": sa(aead={"name": "rfc4106(gcm(aes))", "key": KEY20, "icv_len": 128},
               mark={"value": 7, "mask": 0xFF}),
    "aead-v6-tunnel": sa(src="2001:db8::1", dst="2001:db8::2", mode="tunnel", if_id=5,
                         aead={"name": "rfc4106(gcm(aes))", "key": KEY20, "icv_len": 64},
                         selector=sel("2001:db8:1::/48", "2001:db8:2::/48", proto="tcp", dport=443),
                         lifetime=dict(LIFETIMES, time_soft=3000, time_hard=3600, byte_soft=100000)),
    "enc+auth": sa(enc={"name": "cbc(aes)", "key": KEY16},
                   auth={"name": "hmac(sha256)", "key": KEY32, "trunc_len": 128},
                   flags=["noecn", "esn"], replay_window=128,
                   encap={"type": "espinudp", "sport": 4500, "dport": 4500, "oa": "0.0.0.0"},
                   output_mark={"value": 0x99, "mask": 0xFFFF}),
    "auth-only": sa(proto="ah", spi=0x5002, auth={"name": "hmac(sha1)", "key": KEY20_SHA1, "trunc_len": 96},
                    selector=None),
    "comp": sa(proto="comp", spi=0x3000, mode="tunnel", comp={"name": "deflate"}, replay_window=0,
               selector=sel("10.0.0.1/32", "10.0.0.2/32", dev="eth7")),
}

POLICIES = {
    "tunnel-udp": policy(selector=sel("10.0.0.1/32", "10.0.0.2/32", proto="udp", sport=500, dport=4500),
                         priority=5, mark={"value": 5, "mask": 0xFF},
                         templates=[tmpl("10.0.0.1", "10.0.0.2", mode="tunnel", reqid=7)]),
    "block-fwd": policy(selector=sel("10.9.0.0/16", "10.8.0.0/16"), dir="fwd", action="block"),
    "icmp-dev": policy(selector=sel("10.0.0.3/32", "10.0.0.4/32", proto="icmp", type=8, code=0, dev="lo"),
                       dir="in", flags=["localok", "icmp"],
                       lifetime=dict(LIFETIMES, time_soft=60, byte_soft=1000),
                       templates=[tmpl("10.0.0.4", "10.0.0.3", proto="ah", level="use")]),
    "two-tmpl-if-id": policy(if_id=3, templates=[tmpl("10.0.0.7", "10.0.0.8", proto="comp", spi=0x1000, mode="tunnel"),
                                                 tmpl("10.0.0.7", "10.0.0.8", spi=0x2000, level="use")]),
    "sub-v6": policy(selector=sel("2001:db8::/32", "::/0"), dir="in", ptype="sub"),
}


def roundtrip(kind, req):
    body = xfrm.SCHEMAS[req.type]
    raw = body.encode_parts(req.header, req.attrs)
    header, attrs = body.decode_parts(raw, 0, len(raw))
    return kind.from_msg(Message(C.XFRM_MSG_NEWSA, 0, 0, 0, header, attrs), FakeCtx())


def create(kind, obj):
    return contract.change(kind, contract.CREATE, None, obj)


# ------------------------------------------------------------ commands

def test_sa_commands():
    ch = create(SA_KIND, SAS["aead"])
    assert SA_KIND.command(ch, FakeCtx()) == (
        "ip xfrm state add src 10.0.0.1 dst 10.0.0.2 proto esp spi 0xc0de0001 "
        "aead 'rfc4106(gcm(aes))' %s 128 mode transport mark 0x7 mask 0xff reqid 42 replay-window 32 "
        "sel src 10.0.0.1/32 dst 10.0.0.2/32" % KEY20)
    assert SA_KIND.command(create(SA_KIND, SAS["enc+auth"]), FakeCtx("vpn")) == (
        "ip -n vpn xfrm state add src 10.0.0.1 dst 10.0.0.2 proto esp spi 0xc0de0001 "
        "enc 'cbc(aes)' %s auth-trunc 'hmac(sha256)' %s 128 mode transport reqid 42 replay-window 128 "
        "flag noecn esn sel src 10.0.0.1/32 dst 10.0.0.2/32 encap espinudp 4500 4500 0.0.0.0 "
        "output-mark 0x99 mask 0xffff" % (KEY16, KEY32))
    assert SA_KIND.command(create(SA_KIND, SAS["comp"]), FakeCtx()) == (
        "ip xfrm state add src 10.0.0.1 dst 10.0.0.2 proto comp spi 0x00003000 comp deflate mode tunnel "
        "reqid 42 sel src 10.0.0.1/32 dst 10.0.0.2/32 dev eth7")
    six = SA_KIND.command(create(SA_KIND, SAS["aead-v6-tunnel"]), FakeCtx())
    assert six.endswith("sel src 2001:db8:1::/48 dst 2001:db8:2::/48 proto 6 dport 443 "
                        "limit time-soft 3000 limit time-hard 3600 limit byte-soft 100000 if_id 5")
    dele = contract.change(SA_KIND, contract.DELETE, SAS["aead"], None)
    assert SA_KIND.command(dele, FakeCtx("vpn")) == (
        "ip -n vpn xfrm state delete src 10.0.0.1 dst 10.0.0.2 proto esp spi 0xc0de0001 mark 0x7 mask 0xff")
    upd = contract.change(SA_KIND, contract.UPDATE, SAS["aead"],
                          dict(SAS["aead"], lifetime=dict(LIFETIMES, byte_hard=5000)))
    assert SA_KIND.command(upd, FakeCtx()).startswith("ip xfrm state update src 10.0.0.1 dst 10.0.0.2 ")
    assert SA_KIND.command(upd, FakeCtx()).endswith(" limit byte-hard 5000")


def test_policy_commands():
    cmd = POLICY_KIND.command(create(POLICY_KIND, POLICIES["tunnel-udp"]), FakeCtx())
    assert cmd == ("ip xfrm policy add src 10.0.0.1/32 dst 10.0.0.2/32 proto 17 sport 500 dport 4500 "
                   "dir out mark 0x5 mask 0xff priority 5 tmpl src 10.0.0.1 dst 10.0.0.2 proto esp "
                   "reqid 7 mode tunnel")
    cmd = POLICY_KIND.command(create(POLICY_KIND, POLICIES["icmp-dev"]), FakeCtx("a"))
    assert cmd == ("ip -n a xfrm policy add src 10.0.0.3/32 dst 10.0.0.4/32 dev lo proto 1 type 8 code 0 "
                   "dir in flag localok icmp limit time-soft 60 limit byte-soft 1000 "
                   "tmpl src 10.0.0.4 dst 10.0.0.3 proto ah reqid 0 mode transport level use")
    dele = contract.change(POLICY_KIND, contract.DELETE, POLICIES["sub-v6"], None)
    assert POLICY_KIND.command(dele, FakeCtx()) == "ip xfrm policy delete src 2001:db8::/32 dst ::/0 dir in ptype sub"
    dele = contract.change(POLICY_KIND, contract.DELETE, POLICIES["two-tmpl-if-id"], None)
    assert POLICY_KIND.command(dele, FakeCtx()) == (
        "ip xfrm policy delete src 10.0.0.1/32 dst 10.0.0.2/32 dir out if_id 3")
    upd = contract.change(POLICY_KIND, contract.UPDATE, POLICIES["block-fwd"],
                          dict(POLICIES["block-fwd"], priority=9))
    assert POLICY_KIND.command(upd, FakeCtx()) == (
        "ip xfrm policy update src 10.9.0.0/16 dst 10.8.0.0/16 dir fwd action block priority 9")


def test_keys():
    assert SA_KIND.key(SAS["aead"]) == ("10.0.0.2", 0xC0DE0001, "esp", "0x7/0xff")
    assert SA_KIND.key(SAS["comp"]) == ("10.0.0.2", 0x3000, "comp", None)
    assert POLICY_KIND.key(POLICIES["tunnel-udp"]) == (
        "src 10.0.0.1/32 dst 10.0.0.2/32 proto 17 sport 500 dport 4500", "out", "main", "0x5/0xff", 0)
    assert POLICY_KIND.key(POLICIES["two-tmpl-if-id"])[-1] == 3
    assert len(set(POLICY_KIND.key(p) for p in POLICIES.values())) == len(POLICIES)


# ------------------------------------------------------------ secrets

@pytest.mark.parametrize("name", sorted(SAS))
@pytest.mark.parametrize("op", [contract.CREATE, contract.UPDATE, contract.DELETE])
def test_masked_commands_and_plain_data(name, op):
    obj = SAS[name]
    other = dict(obj, lifetime=dict(LIFETIMES, byte_soft=1))
    ch = {contract.CREATE: contract.change(SA_KIND, op, None, obj),
          contract.UPDATE: contract.change(SA_KIND, op, obj, other),
          contract.DELETE: contract.change(SA_KIND, op, obj, None)}[op]
    # the change is plain data and the mask leaves the original alone
    assert json.loads(json.dumps(ch)) == ch
    masked = contract.mask_change(SA_KIND, ch)
    assert json.loads(json.dumps(masked)) == masked
    text = json.dumps(masked) + SA_KIND.command(masked, FakeCtx())
    req = SA_KIND.request(ch, FakeCtx())
    text += req.label
    for secret in (KEY20, KEY16, KEY32, KEY20_SHA1):
        assert secret[2:] not in text
    keyed = [f for f in ("aead", "enc", "auth") if obj.get(f)]
    if keyed and op != contract.DELETE:
        assert contract.MASK in SA_KIND.command(masked, FakeCtx())
        assert contract.MASK in req.label
        for f in keyed:
            assert (ch["after"] or ch["before"])[f]["key"] != contract.MASK
    else:
        assert contract.MASK not in SA_KIND.command(masked, FakeCtx())


def test_masked_change_cannot_become_a_request():
    masked = contract.mask_change(SA_KIND, create(SA_KIND, SAS["aead"]))
    with pytest.raises(contract.PlanError) as exc:
        SA_KIND.request(masked, FakeCtx())
    assert "aead.key" in str(exc.value)


# ------------------------------------------------------------ requests round trip

@pytest.mark.parametrize("name", sorted(SAS))
def test_sa_request_round_trip(name):
    obj = SAS[name]
    req = SA_KIND.request(create(SA_KIND, obj), FakeCtx())
    assert req.type == C.XFRM_MSG_NEWSA and req.flags == C.NLM_F_CREATE | C.NLM_F_EXCL
    # No selector is sent as iproute2 sends it: any to any of the SA's family.
    back = obj if obj["selector"] else dict(obj, selector=sel("0.0.0.0/0", "0.0.0.0/0"))
    assert roundtrip(SA_KIND, req) == back
    upd = SA_KIND.request(contract.change(SA_KIND, contract.UPDATE, obj, obj), FakeCtx())
    assert upd.type == C.XFRM_MSG_UPDSA and upd.flags == 0
    assert roundtrip(SA_KIND, upd) == back
    dele = SA_KIND.request(contract.change(SA_KIND, contract.DELETE, obj, None), FakeCtx())
    assert dele.type == C.XFRM_MSG_DELSA
    body = xfrm.SCHEMAS[dele.type]
    raw = body.encode_parts(dele.header, dele.attrs)
    header, attrs = body.decode_parts(raw, 0, len(raw))
    fam = socket.AF_INET6 if ":" in obj["dst"] else socket.AF_INET
    assert xfrm.addr_to_text(header["daddr"], fam) == obj["dst"] and header["spi"] == obj["spi"]
    assert header["family"] == fam and header["proto"] == xfrm.common.__dict__[
        {"esp": "IPPROTO_ESP", "ah": "IPPROTO_AH", "comp": "IPPROTO_COMP"}[obj["proto"]]]
    assert xfrm.addr_to_text(attrs["srcaddr"], fam) == obj["src"]
    if obj["mark"]:
        assert attrs["mark"] == {"v": obj["mark"]["value"], "m": obj["mark"]["mask"]}
    else:
        assert "mark" not in attrs


def test_sa_request_wire_details():
    req = SA_KIND.request(create(SA_KIND, SAS["enc+auth"]), FakeCtx())
    esn = req.attrs["replay_esn_val"]
    assert esn["replay_window"] == 128 and esn["bmp_len"] == 4 and req.header["replay_window"] == 0
    assert req.attrs["alg_auth_trunc"]["alg_key_len"] == 256
    assert req.attrs["alg_crypt"]["alg_key"] == bytes.fromhex(KEY16[2:])
    comp = SA_KIND.request(create(SA_KIND, SAS["comp"]), FakeCtx())
    assert comp.header["sel"]["ifindex"] == 7 and comp.attrs["alg_comp"]["alg_key_len"] == 0
    bare = SA_KIND.request(create(SA_KIND, SAS["auth-only"]), FakeCtx())
    assert bare.header["sel"]["family"] == socket.AF_INET and bare.header["sel"]["prefixlen_d"] == 0


@pytest.mark.parametrize("name", sorted(POLICIES))
def test_policy_request_round_trip(name):
    obj = POLICIES[name]
    req = POLICY_KIND.request(create(POLICY_KIND, obj), FakeCtx())
    assert req.type == C.XFRM_MSG_NEWPOLICY and req.flags == C.NLM_F_CREATE | C.NLM_F_EXCL
    assert roundtrip(POLICY_KIND, req) == obj
    upd = POLICY_KIND.request(contract.change(POLICY_KIND, contract.UPDATE, obj, obj), FakeCtx())
    assert upd.type == C.XFRM_MSG_UPDPOLICY and roundtrip(POLICY_KIND, upd) == obj
    dele = POLICY_KIND.request(contract.change(POLICY_KIND, contract.DELETE, obj, None), FakeCtx())
    assert dele.type == C.XFRM_MSG_DELPOLICY
    # the delete names the policy as policy_id_of() does for the created one
    body = xfrm.SCHEMAS[dele.type]
    raw = body.encode_parts(dele.header, dele.attrs)
    header, attrs = body.decode_parts(raw, 0, len(raw))
    cbody = xfrm.SCHEMAS[req.type]
    craw = cbody.encode_parts(req.header, req.attrs)
    cheader, cattrs = cbody.decode_parts(craw, 0, len(craw))
    want_header, want_attrs = xfrm.policy_id_of(cheader, cattrs)
    assert header == want_header and attrs == want_attrs


# ------------------------------------------------------------ planning

def test_key_change_is_delete_and_create():
    cur = SAS["aead"]
    desired = dict(cur, state="present", aead=dict(cur["aead"], key="0x" + "ee" * 20))
    assert "aead" in SA_KIND.fixed(desired, cur, SA_KIND.differs(desired, cur))
    with pytest.raises(contract.PlanError) as exc:
        plans.plan_item(SA_KIND, desired, cur)
    assert "ee" * 20 not in str(exc.value)
    plan = plans.plan_item(SA_KIND, desired, cur, recreate=True)
    assert [ch["op"] for ch in plan] == [contract.DELETE, contract.CREATE]
    assert plan[1]["after"]["aead"]["key"] == "0x" + "ee" * 20


@pytest.mark.parametrize("desired,ops", [
    ({"lifetime": dict(LIFETIMES, byte_hard=5)}, [contract.UPDATE]),
    ({"output_mark": {"value": 1, "mask": 0xFF}}, [contract.UPDATE]),
    ({"if_id": 9}, [contract.UPDATE]),
    ({"if_id": 0, "output_mark": {"value": 0, "mask": 0}}, None),
    ({"reqid": 1}, None),
    ({"mode": "tunnel"}, None),
    ({"encap": {"type": "espinudp", "sport": 4500, "dport": 4500, "oa": "0.0.0.0"}}, None),
])
def test_sa_update_in_place_or_not(desired, ops):
    cur = dict(SAS["aead"], if_id=4, output_mark={"value": 2, "mask": 0xF})
    if ops is None:
        with pytest.raises(contract.PlanError):
            plans.plan_item(SA_KIND, dict(desired, state="present"), cur)
    else:
        assert [ch["op"] for ch in plans.plan_item(SA_KIND, dict(desired, state="present"), cur)] == ops


def test_encap_ports_change_in_place():
    cur = SAS["enc+auth"]
    desired = {"state": "present", "encap": dict(cur["encap"], sport=4501)}
    plan = plans.plan_item(SA_KIND, desired, cur)
    assert [ch["op"] for ch in plan] == [contract.UPDATE]
    req = SA_KIND.request(plan[0], FakeCtx())
    assert req.attrs["encap"]["encap_sport"] == 4501
    # the update still carries the real (unchanged) keys: UPDSA is validated as a whole SA
    assert req.attrs["alg_crypt"]["alg_key"] == bytes.fromhex(KEY16[2:])


def test_policy_changes_in_place():
    cur = POLICIES["tunnel-udp"]
    desired = {"state": "present", "priority": 9, "templates": [tmpl("10.0.0.1", "10.0.0.2", reqid=8)]}
    plan = plans.plan_item(POLICY_KIND, desired, cur)
    assert [ch["op"] for ch in plan] == [contract.UPDATE]
    req = POLICY_KIND.request(plan[0], FakeCtx())
    assert req.type == C.XFRM_MSG_UPDPOLICY and req.header["priority"] == 9
    assert [t["reqid"] for t in req.attrs["tmpl"]] == [8]


def test_protocol_is_xfrm():
    assert SA_KIND.protocol() == C.NETLINK_XFRM == POLICY_KIND.protocol()


# ------------------------------------------------------------ replay window and vocabulary

@pytest.mark.parametrize("window,flags,header,bmp_len", [
    (0, [], 0, None), (32, [], 32, None), (33, [], 0, 2), (64, [], 0, 2), (1024, [], 0, 32),
    (4096, [], 0, 128), (32, ["esn"], 0, 1),
])
def test_replay_window_goes_where_iproute2_puts_it(window, flags, header, bmp_len):
    """ip/xfrm_state.c: a window over 32 bits (or any window with the esn
    flag) travels in XFRMA_REPLAY_ESN_VAL with bmp_len in u32 words and
    no bitmap; the header's u8 field then says 0.  No esn flag is added."""
    obj = sa(replay_window=window, flags=flags)
    req = SA_KIND.request(create(SA_KIND, obj), FakeCtx())
    assert req.header["replay_window"] == header
    assert req.header["flags"] == (128 if flags else 0)
    if bmp_len is None:
        assert "replay_esn_val" not in req.attrs
    else:
        esn = req.attrs["replay_esn_val"]
        assert (esn["bmp_len"], esn["replay_window"]) == (bmp_len, window)
        raw = xfrm.common.XFRMA.encode({"replay_esn_val": esn})
        assert len(raw) == 4 + 24      # the struct alone, as iproute2 sends it
    assert roundtrip(SA_KIND, req)["replay_window"] == window
    assert SA_KIND.command(create(SA_KIND, obj), FakeCtx()).count(
        "replay-window %d" % window) == (1 if window else 0)


def test_replay_window_out_of_range_is_refused():
    with pytest.raises(contract.ValidationError, match="replay_window=4097"):
        SA_KIND.request(create(SA_KIND, sa(replay_window=4097)), FakeCtx())


def test_iptfs_mode_is_refused_with_a_clear_message():
    """iproute2 has no ``mode iptfs`` (ip/ipxfrm.c xfrm_mode_parse): no
    command could say what such a request does."""
    for kind, obj, option in ((SA_KIND, sa(mode="iptfs"), "mode"),
                              (POLICY_KIND, policy(templates=[tmpl("10.0.0.1", "10.0.0.2", mode="iptfs")]),
                               "tmpl.mode")):
        for build in (kind.request, kind.command):
            with pytest.raises(contract.ValidationError, match="%s=iptfs" % option):
                build(create(kind, obj), FakeCtx())
    # read from a kernel that has it, it is still named (and can be deleted)
    gone = contract.change(SA_KIND, contract.DELETE, sa(mode="iptfs"), None)
    assert "iptfs" not in SA_KIND.command(gone, FakeCtx())


def test_ipv6_sa_without_src_prints_the_ipv6_zero_address():
    obj = sa(src=None, dst="2001:db8::2", selector=None)
    for op in (contract.CREATE, contract.DELETE):
        ch = contract.change(SA_KIND, op, None if op == contract.CREATE else obj,
                             obj if op == contract.CREATE else None)
        assert " src :: dst 2001:db8::2 " in SA_KIND.command(ch, FakeCtx())
    obj4 = sa(src=None, selector=None)
    assert " src 0.0.0.0 dst 10.0.0.2 " in SA_KIND.command(create(SA_KIND, obj4), FakeCtx())


def test_selector_dev_prints_a_name_ip_resolves():
    """A selector's device read by index prints by name when the namespace
    knows it, else as ``ifN`` (iproute2's ll_idx_a2n reads that back)."""
    for dev, word in ((7, "dev eth7"), ("eth7", "dev eth7"), (42, "dev if42")):
        obj = policy(selector=sel("10.0.0.1/32", "10.0.0.2/32", dev=dev))
        assert " %s dir out" % word in POLICY_KIND.command(create(POLICY_KIND, obj), FakeCtx())
        assert SA_KIND.command(
            create(SA_KIND, sa(selector=sel("10.0.0.1/32", "10.0.0.2/32", dev=dev, proto="tcp"))), FakeCtx()).endswith(
            " %s proto 6" % word)


def test_selector_protocols_print_as_numbers():
    """ip resolves a selector's protocol name with getprotobyname(), i.e.
    through /etc/protocols: numbers always work."""
    for proto, num in (("tcp", 6), ("ipv6-icmp", 58), (132, 132), ("47", 47)):
        obj = policy(selector=sel("10.0.0.1/32", "10.0.0.2/32", proto=proto))
        assert " proto %d dir out" % num in POLICY_KIND.command(create(POLICY_KIND, obj), FakeCtx())
    with pytest.raises(contract.ValidationError, match="selector.proto=nosuch"):
        POLICY_KIND.command(create(POLICY_KIND, policy(selector=sel("10.0.0.1/32", "10.0.0.2/32",
                                                                    proto="nosuch"))), FakeCtx())


def test_unknown_words_are_refused_naming_the_option():
    for kind, obj, option in ((SA_KIND, sa(proto="espx"), "proto"), (SA_KIND, sa(mode="tunel"), "mode"),
                              (SA_KIND, sa(flags=["nosuch"]), "flags"),
                              (POLICY_KIND, policy(dir="sideways"), "dir"),
                              (POLICY_KIND, policy(action="drop"), "action"),
                              (POLICY_KIND, policy(templates=[tmpl("10.0.0.1", "10.0.0.2", proto="gre")]), "tmpl.proto")):
        with pytest.raises(contract.ValidationError, match="^%s=" % option):
            kind.request(create(kind, obj), FakeCtx())
