"""xfrm policy objects against this machine's kernel (it has policies but
no ESP/AH/IPcomp, so SAs are in tests/vm/test_xfrm_objects_vm.py), in
throwaway namespaces:

- policies made by ``ip xfrm policy add`` are dumped, turned into objects
  (``from_msg``), and their generated ``ip`` commands, run in a second
  namespace, make policies that dump to the same objects;
- the library's own create / update / delete requests (``request()``,
  sent with ``socket.batch``) give the objects asked for, and the engine
  (plan + apply) reaches them and then has nothing left to do.
"""
import shlex

from ansible_collections.netlink.host.plugins.module_utils import contract
from ansible_collections.netlink.host.plugins.module_utils.engine import applier
from ansible_collections.netlink.host.plugins.module_utils.engine import plans
from ansible_collections.netlink.host.plugins.module_utils.engine.context import KernelContext
from ansible_collections.netlink.host.plugins.module_utils.netlink import const as C
from ansible_collections.netlink.host.plugins.module_utils.objects.xfrm_policy import XfrmPolicyKind
from ansible_collections.netlink.host.tests.unit.objects.xfrm_builders import LIFETIMES, policy, sel, tmpl

KIND = XfrmPolicyKind()

IP_POLICIES = [
    "src 10.0.0.1/32 dst 10.0.0.2/32 proto udp sport 500 dport 4500 dir out priority 5 mark 0x5 mask 0xff "
    "tmpl src 10.0.0.1 dst 10.0.0.2 proto esp reqid 7 mode tunnel",
    "src 10.9.0.0/16 dst 10.8.0.0/16 dir fwd action block",
    "src 10.0.0.3/32 dst 10.0.0.4/32 proto icmp type 8 code 0 dev d0 dir in flag localok icmp "
    "limit time-soft 60 limit byte-soft 1000 limit packet-hard 50 "
    "tmpl src 10.0.0.4 dst 10.0.0.3 proto ah mode transport level use",
    "src 10.0.0.7/32 dst 10.0.0.8/32 dir out if_id 3 "
    "tmpl src 10.0.0.7 dst 10.0.0.8 proto comp spi 0x1000 mode tunnel "
    "tmpl src 10.0.0.7 dst 10.0.0.8 proto esp spi 0x2000 mode transport level use",
    "src 10.0.0.7/32 dst 10.0.0.8/32 dir out if_id 4 priority 100",
    "src 2001:db8::/32 dst ::/0 dir in ptype sub",
    "src 2001:db8::1/128 dst 2001:db8::2/128 proto tcp dport 443 dir out "
    "tmpl src 2001:db8::1 dst 2001:db8::2 proto esp reqid 9 mode transport",
    "src 0.0.0.0/0 dst 0.0.0.0/0 proto 132 dir in",
]

LIB_POLICIES = [
    policy(selector=sel("10.1.0.1/32", "10.1.0.2/32", proto="udp", sport=500, dport=4500), priority=5,
           mark={"value": 5, "mask": 0xFF}, templates=[tmpl("10.1.0.1", "10.1.0.2", mode="tunnel", reqid=7)]),
    policy(selector=sel("10.1.0.2/32", "10.1.0.1/32"), dir="in", priority=10,
           templates=[tmpl("10.1.0.2", "10.1.0.1", reqid=8)]),
    policy(selector=sel("10.9.0.0/16", "10.8.0.0/16"), dir="fwd", action="block"),
    policy(selector=sel("10.1.0.3/32", "10.1.0.4/32", proto="icmp", type=8, code=0, dev="d0"), dir="in",
           flags=["localok", "icmp"], lifetime=dict(LIFETIMES, time_soft=60, time_hard=120, byte_soft=1000,
                                                    packet_hard=50),
           templates=[tmpl("10.1.0.4", "10.1.0.3", proto="ah", level="use")]),
    policy(selector=sel("10.1.0.5/32", "10.1.0.6/32"), if_id=5,
           templates=[tmpl("10.1.0.5", "10.1.0.6", mode="tunnel")]),
    policy(selector=sel("10.1.0.5/32", "10.1.0.6/32"), if_id=6, priority=1),
    policy(selector=sel("10.1.0.0/8", "10.2.0.0/16"), ptype="sub"),
    policy(selector=sel("2001:db8:1::/48", "2001:db8:2::/48"), dir="fwd",
           templates=[tmpl("2001:db8::a", "2001:db8::b", mode="tunnel", reqid=10)]),
]


def objects(ns):
    """ns's policies as objects, by key (one dump through KernelContext)."""
    with KernelContext(ns) as ctx:
        msgs = ctx.socket(C.NETLINK_XFRM).dump(C.XFRM_MSG_GETPOLICY)
        out = {}
        for msg in msgs:
            obj = KIND.from_msg(msg, ctx)
            assert KIND.key(obj) not in out
            out[KIND.key(obj)] = obj
    return out


def with_link(ip, ns, before=()):
    """Give ns a link d0 (a bridge, made after ``before`` others, so its
    ifindex differs between namespaces: selectors name links, not indexes)."""
    for name in tuple(before) + ("d0",):
        ip(ns, "link", "add", name, "type", "bridge")


def run_command(ip, ns, command):
    words = shlex.split(command)
    assert words[:3] == ["ip", "-n", ns], command
    ip(ns, *words[3:])


def batch(ns, changes):
    with KernelContext(ns) as ctx:
        result = ctx.socket(C.NETLINK_XFRM).batch([KIND.request(ch, ctx) for ch in changes])
    assert result.ok, result.error
    assert result.applied == list(range(len(changes)))


def test_ip_made_policies_round_trip_through_generated_commands(netns_factory, ip):
    a, b = netns_factory(), netns_factory()
    with_link(ip, a)
    with_link(ip, b, before=("x0", "x1"))
    for line in IP_POLICIES:
        ip(a, "xfrm", "policy", "add", *line.split())
    got_a = objects(a)
    assert len(got_a) == len(IP_POLICIES)
    commands = []
    with KernelContext(b) as ctx_b:
        for obj in got_a.values():
            commands.append(KIND.command(contract.change(KIND, contract.CREATE, None, obj), ctx_b))
    for command in commands:
        run_command(ip, b, command)
    got_b = objects(b)
    assert sorted(got_b) == sorted(got_a)
    for key, obj in got_a.items():
        for field, value in obj.items():
            assert got_b[key][field] == value, (key, field)
    # spot checks of the decoding against what the ip commands said
    icmp = [o for o in got_a.values() if o["selector"]["proto"] == "icmp"][0]
    assert icmp["selector"]["dev"] == "d0" and (icmp["selector"]["type"], icmp["selector"]["code"]) == (8, 0)
    assert icmp["flags"] == ["localok", "icmp"] and icmp["lifetime"]["packet_hard"] == 50
    assert icmp["templates"] == [tmpl("10.0.0.4", "10.0.0.3", proto="ah", level="use")]
    two = [o for o in got_a.values() if o["if_id"] == 3][0]
    assert [(t["proto"], t["spi"], t["mode"]) for t in two["templates"]] == [
        ("comp", 0x1000, "tunnel"), ("esp", 0x2000, "transport")]
    assert [o["ptype"] for o in got_a.values()].count("sub") == 1
    assert [o for o in got_a.values() if o["mark"]][0]["mark"] == {"value": 5, "mask": 0xFF}


def test_library_create_update_delete(netns_factory, ip):
    a, b = netns_factory(), netns_factory()
    with_link(ip, a, before=("x0",))
    with_link(ip, b)
    batch(a, [contract.change(KIND, contract.CREATE, None, p) for p in LIB_POLICIES])
    got = objects(a)
    assert got == dict((KIND.key(p), p) for p in LIB_POLICIES)

    # the commands of the same changes make the same policies with ip
    with KernelContext(b) as ctx_b:
        for p in LIB_POLICIES:
            run_command(ip, b, KIND.command(contract.change(KIND, contract.CREATE, None, p), ctx_b))
    assert objects(b) == got

    # update in place: priority, action, templates, lifetimes, flags
    old = [LIB_POLICIES[0], LIB_POLICIES[2], LIB_POLICIES[3]]
    new = [dict(old[0], priority=50, templates=[tmpl("10.1.0.1", "10.1.0.2", reqid=70)]),
           dict(old[1], action="allow", templates=[tmpl("10.1.0.9", "10.1.0.10", proto="esp", mode="tunnel")]),
           dict(old[2], flags=[], lifetime=dict(LIFETIMES), templates=[])]
    index_before = dump_indexes(a)
    batch(a, [contract.change(KIND, contract.UPDATE, o, n) for o, n in zip(old, new)])
    got = objects(a)
    for n in new:
        assert got[KIND.key(n)] == n
    assert len(got) == len(LIB_POLICIES)
    assert dump_indexes(a) == index_before
    # and ip applies the same update commands to b
    with KernelContext(b) as ctx_b:
        for o, n in zip(old, new):
            run_command(ip, b, KIND.command(contract.change(KIND, contract.UPDATE, o, n), ctx_b))
    assert objects(b) == got

    # delete: each policy, named by (selector, dir, ptype, mark, if_id)
    batch(a, [contract.change(KIND, contract.DELETE, p, None) for p in got.values()])
    assert objects(a) == {}
    with KernelContext(b) as ctx_b:
        for p in got.values():
            run_command(ip, b, KIND.command(contract.change(KIND, contract.DELETE, p, None), ctx_b))
    assert objects(b) == {}


def dump_indexes(ns):
    with KernelContext(ns) as ctx:
        return sorted(m.header["index"] for m in ctx.socket(C.NETLINK_XFRM).dump(C.XFRM_MSG_GETPOLICY))


def test_engine_plans_and_applies_policies(netns):
    kinds = {KIND.name: KIND}
    desired = [dict(p, state="present") for p in LIB_POLICIES if p["selector"]["dev"] is None]
    with KernelContext(netns) as ctx:
        plan = []
        for d in desired:
            plan += plans.plan_item(KIND, d, None)
        applied = applier.apply(plans.order(plan), ctx)
        assert len(applied) == len(desired)
    current = objects(netns)
    for d in desired:
        assert dict(current[KIND.key(d)], state="present") == d
    # second run: nothing to do
    assert [ch for d in desired for ch in plans.plan_item(KIND, d, current[KIND.key(d)])] == []
    # a refused change undoes the ones before it (same batch)
    change = dict(desired[0], priority=99)
    dup = contract.change(KIND, contract.CREATE, None, dict(desired[1], state=None))
    plan = plans.plan_item(KIND, change, current[KIND.key(change)]) + [dup]
    with KernelContext(netns) as ctx:
        try:
            applier.apply(plan, ctx)
        except applier.ApplyError as exc:
            assert exc.undone and "ip -n %s xfrm policy add" % netns in str(exc)
        else:
            raise AssertionError("a duplicate policy was accepted")
    assert objects(netns) == current


def test_selector_of_a_gone_link_replays_by_index(netns_factory, ip):
    """A policy whose selector device was deleted keeps the ifindex: it
    reads back as a number and prints as ``dev ifN`` (``dev N`` is no
    device to ip), which ip resolves to the same index in another
    namespace.  Its protocol, given by name, prints as a number."""
    a, b = netns_factory(), netns_factory()
    with_link(ip, a, before=("x0", "x1"))
    ip(a, "xfrm", "policy", "add", "src", "10.0.0.1/32", "dst", "10.0.0.2/32", "proto", "tcp", "dport", "80",
       "dev", "d0", "dir", "out")
    index = int(ip(a, "-o", "link", "show", "d0").split(":")[0])
    ip(a, "link", "del", "d0")
    got = objects(a)
    assert len(got) == 1
    obj = list(got.values())[0]
    assert obj["selector"]["dev"] == index and obj["selector"]["proto"] == "tcp"
    with KernelContext(b) as ctx_b:
        command = KIND.command(contract.change(KIND, contract.CREATE, None, obj), ctx_b)
    assert " dev if%d proto 6 dport 80 dir out" % index in command
    run_command(ip, b, command)
    assert objects(b) == got
