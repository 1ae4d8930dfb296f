"""Check mode of a whole play gets through what the real run does.

A later task often names what an earlier task of the play creates: a
veth's peer configured by the next task, a port put into a bridge made
just before, an address, route or IPsec policy on a link the play adds.
Check mode changes nothing, so when the later task runs the object is not
there.  Each module then warns (``<option>=<value> does not exist (yet):
...``, one wording, tasks/base.py ``missing_in_check_mode``) and plans
against nothing, instead of failing where the real run would not.

Per module, one play through the real ``ansible-playbook``, in a fresh
namespace: ``--check`` succeeds with the warnings and leaves the
namespace as it was (links with their ifindex, addresses, routes of every
table, rules and IPsec policies); the real run succeeds without them and
the kernel holds what the play says; a second run changes nothing.  And in one process: the real run of a task alone whose
object is missing still fails with the error it always had, changing
nothing.

nl_rule has no such warning: the kernel takes a rule whose iif/oif names
no device (it shows it as ``[detached]`` until the device appears), so
its check mode and real run already agree; its play shows that.
"""
import pytest

from ansible_collections.netlink.host.tests.integration.conftest import run_ip, run_ip_json
from ansible_collections.netlink.host.tests.integration.playbook import recap, run_play
from ansible_collections.netlink.host.tests.integration.snapshots import assert_same, snapshot

YET = "does not exist (yet)"


def link(name, **settings):
    return {"name": "link %s" % name, "netlink.host.nl_link": dict(settings, name=name)}


def task(module, **args):
    return {"name": "%s %s" % (module, sorted(args)), "netlink.host.%s" % module: args}


def state(ns):
    """Everything a task of these plays could change in ``ns``."""
    out = snapshot(ns)
    out["xfrm"] = [run_ip(ns, "xfrm", "state", "list"), run_ip(ns, "xfrm", "policy", "list")]
    return out


def links(ns):
    return dict((x["ifname"], x) for x in run_ip_json(ns, "-d", "link", "show"))


def verify_link(ns):
    have = links(ns)
    assert have["wan"]["mtu"] == 1400 and "UP" in have["wan"]["flags"], have["wan"]
    assert have["lan"].get("master") == "br0" and "UP" in have["lan"]["flags"], have["lan"]
    assert have["mv0"].get("link") == "wan" and have["mv0"]["linkinfo"]["info_kind"] == "macvlan", have["mv0"]
    vxlan = have["vx0"]["linkinfo"]["info_data"]
    assert vxlan["id"] == 42 and vxlan["link"] == "wan", vxlan


def verify_addr(ns):
    found = set((x["ifname"], a["local"], a["prefixlen"]) for x in run_ip_json(ns, "addr", "show")
                for a in x.get("addr_info", ()))
    assert {("a1", "192.0.2.1", 24), ("a0", "198.51.100.1", 24), ("a0", "2001:db8::1", 64)} <= found, found


def verify_route(ns):
    routes = dict((r["dst"], r) for r in run_ip_json(ns, "route", "show"))
    assert routes["203.0.113.0/24"]["gateway"] == "192.0.2.2" and routes["203.0.113.0/24"]["dev"] == "r0", routes
    hops = sorted((h["gateway"], h["dev"]) for h in routes["10.9.0.0/16"]["nexthops"])
    assert hops == [("192.0.2.2", "r0"), ("198.51.100.2", "r1")], routes["10.9.0.0/16"]


def verify_rule(ns):
    rules = dict((r["priority"], r) for r in run_ip_json(ns, "rule", "show"))
    assert rules[100].get("iif") == "u0" and rules[100]["table"] == "100", rules[100]
    assert rules[101].get("oif") == "u1" and rules[101]["table"] == "101", rules[101]


def verify_xfrm(ns):
    policies = run_ip(ns, "xfrm", "policy", "list")
    assert "src 10.0.0.1/32 dst 10.0.0.2/32 dev x0" in policies and "dir out" in policies, policies
    assert "src 10.0.0.2/32 dst 10.0.0.1/32 dev x1" in policies and "dir in" in policies, policies


VETH = {"kind": "veth", "state": "up"}
PLAYS = {
    # a veth's peer configured by the next task (the play), a port
    # of a bridge made before (one top-level task, one through links[]),
    # a macvlan on that peer, a vxlan over it
    "nl_link": ([
        link("lan", kind="veth", veth={"peer": "wan"}),
        link("wan", state="up", mtu=1400),
        link("br0", kind="bridge"),
        task("nl_link", links=[{"name": "lan", "master": "br0", "state": "up"}]),
        link("mv0", kind="macvlan", link="wan", macvlan={"mode": "bridge"}),
        link("vx0", kind="vxlan", vxlan={"id": 42, "dev": "wan", "dstport": 4789}),
    ], ["name=wan %s: its settings are planned on a link with none set" % YET,
        "links[0].master=br0 %s" % YET, "links[0].name=lan %s" % YET,
        "link=wan %s" % YET, "vxlan.dev=wan %s" % YET], verify_link),
    # addresses on both ends of a veth the play makes: by dev, through devices
    "nl_addr": ([
        link("a0", veth={"peer": "a1"}, **VETH),
        task("nl_addr", dev="a1", address="192.0.2.1/24"),
        task("nl_addr", devices=[{"dev": "a0", "addresses": ["198.51.100.1/24", "2001:db8::1/64"]}]),
    ], ["dev=a1 %s: its addresses are planned as if it had none" % YET, "dev=a0 %s" % YET], verify_addr),
    # a route through a device the play makes and a multipath route with a
    # hop on each end
    "nl_route": ([
        link("r0", veth={"peer": "r1"}, **VETH),
        link("r1", state="up"),
        task("nl_addr", dev="r0", address="192.0.2.1/24"),
        task("nl_addr", dev="r1", address="198.51.100.1/24"),
        task("nl_route", dst="203.0.113.0/24", gateway="192.0.2.2", dev="r0"),
        task("nl_route", routes=[{"dst": "10.9.0.0/16", "nexthops": [{"gateway": "192.0.2.2", "dev": "r0"},
                                                                     {"gateway": "198.51.100.2", "dev": "r1"}]}]),
    ], ["dev=r0 %s: route 203.0.113.0/24 is planned as if it did" % YET,
        "dev=r1 %s: route 10.9.0.0/16 is planned as if it did" % YET], verify_route),
    # the kernel takes iif/oif of a device not there: nothing to warn of
    "nl_rule": ([
        link("u0", veth={"peer": "u1"}, **VETH),
        task("nl_rule", priority=100, iif="u0", table=100),
        task("nl_rule", rules=[{"priority": 101, "oif": "u1", "table": 101}]),
    ], [], verify_rule),
    # IPsec policies bound to the devices of a veth the play makes
    "nl_xfrm": ([
        link("x0", veth={"peer": "x1"}, **VETH),
        task("nl_xfrm", policies=[{"selector": {"src": "10.0.0.1/32", "dst": "10.0.0.2/32", "dev": "x0"},
                                   "dir": "out"},
                                  {"selector": {"src": "10.0.0.2/32", "dst": "10.0.0.1/32", "dev": "x1"},
                                   "dir": "in"}]),
    ], ["policies[0].selector.dev=x0 %s: policies[0] is planned as if it did" % YET,
        "policies[1].selector.dev=x1 %s" % YET], verify_xfrm),
}


def one_line(out):
    """Ansible's output with its line wrapping undone."""
    return " ".join(out.split())


@pytest.mark.slow(30)
@pytest.mark.parametrize("module", sorted(PLAYS))
def test_check_mode_of_a_play_plans_what_earlier_tasks_create(tmp_path, netns, module):
    tasks, warnings, verify = PLAYS[module]
    before = state(netns)
    rc, out = run_play(tmp_path, netns, tasks, "--check", "--diff")
    assert rc == 0, out
    assert recap(out)["failed"] == 0 and recap(out)["changed"] == len(tasks), out
    for text in warnings:
        assert text in one_line(out), (text, out)
    if not warnings:
        assert YET not in out, out
    assert_same(before, state(netns))

    rc, out = run_play(tmp_path, netns, tasks)
    assert rc == 0 and recap(out)["changed"] == len(tasks), out
    assert YET not in out, out
    verify(netns)

    rc, out = run_play(tmp_path, netns, tasks)
    assert rc == 0 and recap(out)["changed"] == 0, out


# The object each module names and does not find, and the real run's error.
ALONE = [
    ("nl_link", {"name": "wan", "state": "up"}, "name=wan: no such link, and no kind given to create it",
     "name=wan %s" % YET),
    ("nl_link", {"name": "lan", "kind": "bridge", "master": "br0"},
     "master=br0: no such link (neither in the namespace nor created by this task)", "master=br0 %s" % YET),
    ("nl_link", {"links": [{"name": "mv0", "kind": "macvlan", "link": "wan"}]},
     "links[0].link=wan: no such link (neither in the namespace nor created by this task)",
     "links[0].link=wan %s" % YET),
    ("nl_link", {"name": "vx0", "kind": "vxlan", "vxlan": {"id": 42, "dev": "wan"}},
     "vxlan.dev=wan: no such link (neither in the namespace nor created by this task)", "vxlan.dev=wan %s" % YET),
    ("nl_addr", {"dev": "wan", "address": "192.0.2.1/24"}, "dev: 'wan': no such device", "dev=wan %s" % YET),
    ("nl_route", {"dst": "203.0.113.0/24", "dev": "wan"}, "dev=wan: no such device (route 203.0.113.0/24)",
     "dev=wan %s" % YET),
    ("nl_route", {"dst": "203.0.113.0/24", "nexthops": [{"gateway": "192.0.2.2", "dev": "hop0"}]},
     "dev=hop0: no such device (route 203.0.113.0/24)", "dev=hop0 %s" % YET),
    ("nl_xfrm", {"policies": [{"selector": {"src": "10.0.0.1/32", "dev": "wan"}, "dir": "out"}]},
     "policies[0].selector.dev=wan: no such link", "policies[0].selector.dev=wan %s" % YET),
    # (this kernel has no ESP: the SA is refused by the device check first,
    # and check mode never asks the kernel)
    ("nl_xfrm", {"states": [{"src": "10.0.0.1", "dst": "10.0.0.2", "spi": "0x1000", "offload": {"dev": "wan"},
                             "aead": {"name": "rfc4106(gcm(aes))", "key": "0x" + "11" * 20}}]},
     "states[0].offload.dev=wan: no such link", "states[0].offload.dev=wan %s" % YET),
]


@pytest.mark.parametrize("module, args, error, warning", ALONE,
                         ids=["%s-%s" % (m, e.split(":")[0]) for m, _a, e, _w in ALONE])
def test_a_missing_object_fails_the_real_run_and_warns_in_check_mode(run_module, netns, module, args, error, warning):
    before = state(netns)
    r = run_module(module, args, netns=netns)
    assert r.get("failed") and r["msg"] == error and not r.get("changed"), r
    assert_same(before, state(netns))
    r = run_module(module, args, netns=netns, check=True)
    assert not r.get("failed") and r["changed"] and r["write_requests"] == 0, r
    assert any(w.startswith(warning) and w.endswith("a real run fails unless an earlier task creates it")
               for w in r["warnings"]), r
    assert_same(before, state(netns))
