"""nl_xfrm against this machine's kernel, in throwaway namespaces: it has
XFRM policies and default policies but no ESP/AH/IPcomp, so SAs are in
tests/vm/test_nl_xfrm_vm.py.  Every result is read back with ``ip xfrm``
(an independent client); its text output is parsed only as far as needed.
"""
import json

import pytest
import yaml

from ansible_collections.netlink.host.plugins.modules import nl_xfrm
from ansible_collections.netlink.host.plugins.module_utils.netlink import const as C
from ansible_collections.netlink.host.plugins.module_utils.netlink import socket as nlsocket
from ansible_collections.netlink.host.plugins.module_utils.netlink.socket import Request
from ansible_collections.netlink.host.plugins.module_utils.netlink.xfrm import common as X
from ansible_collections.netlink.host.tests.integration.example_tasks import Examples


def xfrm_snapshot(ip, ns):
    """What ip sees of the namespace's SPD, SAD and defaults.  Policies are
    compared as a set: a policy an undo re-creates gets a new index and
    comes last among those of its priority (see docs/xfrm.md)."""
    return {"policy": policy_blocks(ip, ns), "state": ip(ns, "xfrm", "state", "list"),
            "default": ip(ns, "xfrm", "policy", "getdefault")}


def policy_blocks(ip, ns):
    """`ip xfrm policy` output, one whitespace-normalised string per policy."""
    text = ip(ns, "xfrm", "policy", "list")
    blocks, cur = [], []
    for line in text.splitlines():
        if line and not line[0].isspace() and cur:
            blocks.append(" ".join(" ".join(cur).split()))
            cur = []
        cur.append(line)
    if cur:
        blocks.append(" ".join(" ".join(cur).split()))
    return sorted(blocks)


OUT = {"selector": {"src": "10.1.0.0/16", "dst": "10.2.0.0/16", "proto": "tcp", "sport": 1000, "dport": 443},
       "dir": "out", "priority": 100, "action": "allow", "flags": ["localok", "icmp"],
       "mark": {"value": "0x10", "mask": "0xff"}, "if_id": 5,
       "lifetime": {"time_soft": 60, "time_hard": 120, "byte_soft": "1000", "packet_hard": "50"},
       "templates": [{"src": "192.0.2.1", "dst": "192.0.2.2", "proto": "esp", "spi": "0x100", "reqid": 7,
                      "mode": "tunnel"},
                     {"proto": "comp", "mode": "transport", "level": "use"}]}
FWD = {"selector": {"src": "10.2.0.0/16", "dst": "10.1.0.0/16"}, "dir": "fwd", "action": "block"}
ICMP6 = {"selector": {"src": "2001:db8::/32", "dst": "::/0", "proto": "ipv6-icmp", "type": 128, "code": 0},
         "dir": "in", "ptype": "sub", "templates": [{"proto": "ah", "reqid": 9}]}
TASK = {"policies": [OUT, FWD, ICMP6], "defaults": {"in": "block", "out": "allow"}}


def test_policies_every_field_check_apply_rerun_diff(netns, ip, run_module):
    before = xfrm_snapshot(ip, netns)
    r = run_module("nl_xfrm", TASK, netns=netns, check=True, diff=True)
    assert r["changed"] is True and r["write_requests"] == 0, r
    assert len(r["diff"]) == 4 and r["defaults"]["in"] == "block", r
    assert xfrm_snapshot(ip, netns) == before

    r = run_module("nl_xfrm", TASK, netns=netns, diff=True)
    assert r["changed"] is True and r["write_requests"] == 4, r
    assert r["commands"][-1] == "ip -n %s xfrm policy setdefault in block" % netns, r["commands"]
    blocks = policy_blocks(ip, netns)
    out = [b for b in blocks if "dir out" in b][0]
    for words in ("src 10.1.0.0/16 dst 10.2.0.0/16 proto tcp sport 1000 dport 443", "priority 100",
                  "flag localok icmp", "mark 0x10/0xff", "if_id 0x5",
                  "tmpl src 192.0.2.1 dst 192.0.2.2 proto esp spi 0x00000100 reqid 7 mode tunnel",
                  "proto comp reqid 0 mode transport level use"):
        assert words in out, (words, out)
    assert [b for b in blocks if "dir fwd action block" in b], blocks
    assert [b for b in blocks if "ptype sub" in b and "type 128 code 0" in b and "proto ah reqid 9" in b], blocks
    default = ip(netns, "xfrm", "policy", "getdefault")
    assert "in:  block" in default and "out: accept" in default
    # the commands replayed in a fresh namespace give the same SPD
    assert r["policies"][0]["lifetime"]["packet_hard"] == 50

    r = run_module("nl_xfrm", TASK, netns=netns, diff=True)
    assert r["changed"] is False and r["write_requests"] == 0 and r["commands"] == [], r
    assert "diff" not in r


def test_commands_replay_to_the_same_spd(netns_factory, ip, run_module):
    import shlex
    a, b = netns_factory(), netns_factory()
    r = run_module("nl_xfrm", TASK, netns=a)
    for cmd in r["commands"]:
        words = shlex.split(cmd)
        assert words[:3] == ["ip", "-n", a], cmd
        ip(b, *words[3:])
    assert policy_blocks(ip, a) == policy_blocks(ip, b)
    assert ip(a, "xfrm", "policy", "getdefault") == ip(b, "xfrm", "policy", "getdefault")


def test_update_in_place_and_absent(netns, ip, run_module):
    run_module("nl_xfrm", TASK, netns=netns)
    changed = dict(OUT, priority=7, templates=[{"proto": "esp", "reqid": 8}])
    r = run_module("nl_xfrm", {"policies": [changed]}, netns=netns, diff=True)
    assert r["changed"] is True and r["write_requests"] == 1, r
    assert r["commands"][0].startswith("ip -n %s xfrm policy update src 10.1.0.0/16" % netns), r["commands"]
    out = [b for b in policy_blocks(ip, netns) if "dir out" in b][0]
    assert "priority 7" in out and "reqid 8" in out and "reqid 7" not in out
    # absent needs only the identity
    gone = {"selector": OUT["selector"], "dir": "out", "mark": OUT["mark"], "if_id": 5}
    r = run_module("nl_xfrm", {"state": "absent", "policies": [gone, {"selector": FWD["selector"], "dir": "fwd"}]},
                   netns=netns)
    assert r["changed"] is True and r["write_requests"] == 2, r
    assert [b for b in policy_blocks(ip, netns) if "dir out" in b or "dir fwd" in b] == []
    r = run_module("nl_xfrm", {"state": "absent", "policies": [gone]}, netns=netns)
    assert r["changed"] is False and r["write_requests"] == 0, r


def test_replaced_removes_only_what_shares_a_reqid_mark_or_if_id(netns, ip, ip_batch, run_module):
    ip_batch(netns, [
        "xfrm policy add src 10.9.0.1/32 dst 10.9.0.2/32 dir out tmpl proto esp reqid 7",     # same reqid: goes
        "xfrm policy add src 10.9.0.3/32 dst 10.9.0.4/32 dir out mark 0x10 mask 0xff",       # same mark: goes
        "xfrm policy add src 10.9.0.5/32 dst 10.9.0.6/32 dir out if_id 5",                   # same if_id: goes
        "xfrm policy add src 10.9.0.7/32 dst 10.9.0.8/32 dir out tmpl proto esp reqid 70",   # unrelated: stays
        "xfrm policy add src 10.9.0.9/32 dst 10.9.0.10/32 dir in",                           # unrelated: stays
    ])
    r = run_module("nl_xfrm", {"state": "replaced", "policies": [OUT]}, netns=netns, check=True)
    assert r["changed"] is True and r["write_requests"] == 0 and len(r["commands"]) == 4, r
    r = run_module("nl_xfrm", {"state": "replaced", "policies": [OUT]}, netns=netns)
    assert r["changed"] is True, r
    dels = [c for c in r["commands"] if " policy delete " in c]
    assert len(dels) == 3 and r["commands"][0].split()[4:6] == ["policy", "add"], r["commands"]
    blocks = policy_blocks(ip, netns)
    assert len(blocks) == 3, blocks
    assert [b for b in blocks if "10.9.0.7/32" in b] and [b for b in blocks if "10.9.0.9/32" in b]
    r = run_module("nl_xfrm", {"state": "replaced", "policies": [OUT]}, netns=netns)
    assert r["changed"] is False and r["write_requests"] == 0, r
    # an empty list names nothing and removes nothing
    r = run_module("nl_xfrm", {"state": "replaced", "policies": []}, netns=netns)
    assert r["changed"] is False and len(policy_blocks(ip, netns)) == 3


def test_gathered_round_trips(netns, ip, run_module):
    run_module("nl_xfrm", TASK, netns=netns)
    g = run_module("nl_xfrm", {"state": "gathered"}, netns=netns)["gathered"]
    assert len(g["policies"]) == 3 and g["states"] == [] and g["defaults"]["in"] == "block", g
    r = run_module("nl_xfrm", {"policies": g["policies"], "defaults": g["defaults"]}, netns=netns)
    assert r["changed"] is False and r["write_requests"] == 0, r


def _refuse(monkeypatch, n_fail):
    """The kernel really refuses the ``n_fail``-th write request (from 0):
    it is swapped for the deletion of a policy that does not exist."""
    seen = {"n": 0}
    real = nlsocket.NetlinkSocket.batch
    missing = {"sel": {"family": 2, "saddr": b"\x0a\xff\xff\xff" + b"\0" * 12, "daddr": X.XFRM_ADDRESS_ZERO,
                       "prefixlen_s": 32, "prefixlen_d": 0, "proto": 0, "ifindex": 0},
               "index": 0, "dir": 0}

    def batch(self, requests):
        out = []
        for req in requests:
            if seen["n"] == n_fail and self.protocol == C.NETLINK_XFRM:
                req = Request(C.XFRM_MSG_DELPOLICY, 0, missing, {}, label=req.label)
            seen["n"] += 1
            out.append(req)
        return real(self, out)

    monkeypatch.setattr(nlsocket.NetlinkSocket, "batch", batch)


@pytest.mark.parametrize("n_fail", [0, 1, 2, 3])
def test_a_refusal_at_any_position_is_undone_and_read_back(netns, ip, ip_batch, run_module, monkeypatch, n_fail):
    """create, update, defaults, delete (replaced): refused at each
    position, the SPD and defaults are as before, read back (undone)."""
    ip_batch(netns, ["xfrm policy add src 10.1.0.0/16 dst 10.2.0.0/16 proto tcp sport 1000 dport 443 dir out "
                     "mark 0x10 mask 0xff if_id 5 priority 1",
                     "xfrm policy add src 10.9.0.1/32 dst 10.9.0.2/32 dir out if_id 5"])
    before = xfrm_snapshot(ip, netns)
    _refuse(monkeypatch, n_fail)
    task = {"state": "replaced", "policies": [OUT, dict(FWD, if_id=5)], "defaults": {"fwd": "block"}}
    r = run_module("nl_xfrm", task, netns=netns)
    assert r.get("failed") and r["undone"] is True and r["undo_failures"] == [], r
    assert "kernel refused" in r["msg"], r
    assert xfrm_snapshot(ip, netns) == before


KEY = "0x0123456789abcdef0123456789abcdef01234567"
SA = {"src": "10.0.0.1", "dst": "10.0.0.2", "spi": "0x1000", "reqid": 1,
      "aead": {"name": "rfc4106(gcm(aes))", "key": KEY, "icv_len": 128}}


@pytest.mark.parametrize("task, words", [
    ({"states": [dict(SA, aead=dict(SA["aead"], key=KEY[:-2]))]}, ["states[0].aead.key", "152 bits",
                                                                   "160, 224 or 288"]),
    ({"states": [dict(SA, aead=dict(SA["aead"], name="gcm(aes)"))]}, ["states[0].aead.name=gcm(aes)",
                                                                      "unknown algorithm"]),
    ({"states": [dict(SA, aead=None, enc={"name": "aes", "key": "0x" + "11" * 15})]}, ["states[0].enc.key",
                                                                                       "120 bits"]),
    ({"states": [dict(SA, aead=dict(SA["aead"], key="secretpassword"))]}, ["states[0].aead.key", "hex"]),
    ({"states": [dict(SA, spi=0)]}, ["states[0].spi=0", "out of range"]),
    ({"states": [dict(SA, src="2001:db8::1")]}, ["states[0].src=2001:db8::1", "mixed address families"]),
    ({"states": [dict(SA, aead=dict(SA["aead"], icv_len=100))]}, ["states[0].aead.icv_len=100"]),
    ({"states": [dict(SA, proto="ah")]}, ["states[0]", "AH SA has auth"]),
    ({"policies": [{"selector": {"src": "10.0.0.0/33"}, "dir": "out"}]},
     ["policies[0].selector.src=10.0.0.0/33", "bad prefix"]),
    ({"policies": [{"selector": {"src": "10.0.0.0/8", "dst": "2001:db8::/32"}, "dir": "out"}]},
     ["policies[0].selector.dst=2001:db8::/32", "mixed address families"]),
    ({"policies": [{"selector": {"src": "10.0.0.0/8"}, "dir": "sideways"}]}, ["dir", "sideways"]),
    ({"policies": [{"selector": {"src": "10.0.0.0/8", "dport": 80}, "dir": "out"}]},
     ["policies[0].selector.dport=80", "needs proto"]),
    ({"policies": [{"selector": {"src": "10.0.0.0/8"}, "dir": "out",
                    "templates": [{"src": "10.0.0.1", "dst": "2001:db8::1", "mode": "tunnel"}]}]},
     ["policies[0].templates[0].dst=2001:db8::1", "mixed address families"]),
    ({"policies": [OUT, OUT]}, ["policies[1]", "the same policy as policies[0]"]),
    # what the kernel's validate_tmpl() refuses: check mode must fail as
    # the real run does, before any request
    ({"policies": [dict(FWD, templates=[{"reqid": i} for i in range(7)])]},
     ["policies[0].templates=7 templates", "at most 6"]),
    ({"policies": [dict(FWD, templates=[{"src": "2001:db8::1", "dst": "2001:db8::2"}])]},
     ["policies[0].templates[0].dst=2001:db8::2", "only a tunnel or beet template changes the family"]),
    ({"policies": [dict(FWD, dir="out", templates=[{"src": "192.0.2.1", "dst": "192.0.2.2", "mode": "tunnel",
                                                    "level": "use"}])]},
     ["policies[0].templates[0].level=use", "not allowed in an out policy"]),
    ({"policies": [dict(FWD, templates=[{"src": "192.0.2.1", "mode": "tunnel"}])]},
     ["policies[0].templates[0].dst=None", "required for a tunnel-mode template"]),
])
@pytest.mark.parametrize("check", [False, True], ids=["real", "check"])
def test_bad_input_fails_cleanly(netns, ip, run_module, task, words, check):
    run_module("nl_xfrm", {"policies": [FWD]}, netns=netns)
    before = xfrm_snapshot(ip, netns)
    r = run_module("nl_xfrm", dict(task, defaults={"in": "block"}), netns=netns, check=check)
    assert r.get("failed") and not r.get("changed") and "write_requests" not in r, r
    for w in words:
        assert w in r["msg"], (w, r["msg"])
    assert KEY[2:20] not in json.dumps(r)
    assert xfrm_snapshot(ip, netns) == before


@pytest.mark.parametrize("task, where", [
    ({"policies": [FWD, {"selector": {"src": "10.0.0.0/8", "dev": "nosuch0"}, "dir": "in"}]}, "policies[1]"),
    ({"states": [dict(SA, selector={"src": "10.0.0.0/8", "dev": "nosuch0"})]}, "states[0]"),
])
def test_a_selector_device_not_there_fails_the_real_run_and_warns_in_check_mode(netns, ip, run_module, task, where):
    """The real run fails before any request (the selector's device lookup);
    check mode warns (an earlier task of the play may create the device)
    and plans the SA or policy with it."""
    run_module("nl_xfrm", {"policies": [FWD]}, netns=netns)
    before = xfrm_snapshot(ip, netns)
    r = run_module("nl_xfrm", task, netns=netns)
    assert r.get("failed") and not r.get("changed") and "write_requests" not in r, r
    assert r["msg"] == "%s.selector.dev=nosuch0: no such link" % where, r
    r = run_module("nl_xfrm", task, netns=netns, check=True)
    assert not r.get("failed") and r["changed"] and r["write_requests"] == 0, r
    assert any(w.startswith("%s.selector.dev=nosuch0 does not exist (yet)" % where) for w in r["warnings"]), r
    assert [c for c in r["commands"] if "dev nosuch0" in c], r
    assert KEY[2:20] not in json.dumps(r)
    assert xfrm_snapshot(ip, netns) == before


def test_a_template_without_addresses_takes_the_family_of_the_one_before(netns, ip, run_module):
    """IPv4 traffic in an IPv6 tunnel, then a transport template on the
    outer (IPv6) packet: its any-addresses are IPv6, as validate_tmpl()
    requires (the selector's family, IPv4, would be refused)."""
    policy = {"selector": {"src": "10.1.0.0/16", "dst": "10.2.0.0/16"}, "dir": "in",
              "templates": [{"src": "2001:db8::1", "dst": "2001:db8::2", "mode": "tunnel", "reqid": 3},
                            {"proto": "ah", "reqid": 4}]}
    r = run_module("nl_xfrm", {"policies": [policy]}, netns=netns)
    assert r["changed"] is True and r["write_requests"] == 1, r
    assert "tmpl src :: dst :: proto ah reqid 4 mode transport" in r["commands"][0], r["commands"]
    assert "proto ah reqid 4 mode transport" in " ".join(ip(netns, "xfrm", "policy", "list").split())
    r = run_module("nl_xfrm", {"policies": [policy]}, netns=netns)
    assert r["changed"] is False and r["write_requests"] == 0, r
    g = run_module("nl_xfrm", {"state": "gathered"}, netns=netns)["gathered"]
    r = run_module("nl_xfrm", {"policies": g["policies"]}, netns=netns)
    assert r["changed"] is False and r["write_requests"] == 0, r


def test_an_sa_refused_by_the_kernel_shows_no_key(netns, ip, run_module):
    """This kernel has no ESP: the refusal's message and the commands carry
    the SA with its key masked, and the policy applied before is undone."""
    r = run_module("nl_xfrm", {"states": [SA], "policies": [FWD]}, netns=netns, diff=True)
    assert r.get("failed") and r["undone"] is True, r
    text = json.dumps(r)
    assert KEY[2:] not in text and KEY[2:20] not in text
    assert "********" in r["msg"] and "xfrm state add" in r["msg"], r["msg"]
    assert "********" in r["commands"][0]
    assert policy_blocks(ip, netns) == []


def test_examples_run(netns, ip, run_module):
    """The EXAMPLES without SAs run here, in order (the SA example runs in
    the VM tier); each reaches its state, and a rerun changes nothing."""
    tasks = yaml.safe_load(nl_xfrm.EXAMPLES)
    examples = Examples()
    skipped = []
    for task in tasks:
        args, fed_back = examples.args(task, "nl_xfrm")
        if args.get("states"):
            skipped.append(task["name"])
            continue
        r = run_module("nl_xfrm", args, netns=netns)
        examples.keep(task, r)
        assert not r.get("failed"), (task["name"], r)
        if fed_back:  # gathered output as input (no SA here): nothing to do
            assert r["changed"] is False and r["write_requests"] == 0, (task["name"], r)
        elif args.get("state") != "gathered":
            again = run_module("nl_xfrm", args, netns=netns)
            assert again["changed"] is False and again["write_requests"] == 0, (task["name"], again)
    assert len(skipped) == 1, skipped
    assert "dir fwd" not in ip(netns, "xfrm", "policy", "list")  # replaced, then absent
