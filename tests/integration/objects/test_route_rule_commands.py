"""Route and rule objects against this machine's kernel, in throwaway
namespaces: what the library reads back must say how to make it again.

Round trip: routes and rules made with ``ip`` in namespace A are dumped
with the library, turned into objects, and their CREATE commands (ip) run
in namespace B, their CREATE requests (netlink batch) in namespace C; the
objects read back from B and C equal those of A field by field.  Delete
commands and requests remove them again; an update (NLM_F_REPLACE /
``ip route replace``) changes a route's gateway in place.  Plus unit
checks of command() text for fixed objects.
"""
import pytest

from ansible_collections.netlink.host.plugins.module_utils import contract
from ansible_collections.netlink.host.plugins.module_utils.engine.context import KernelContext
from ansible_collections.netlink.host.plugins.module_utils.netlink import const as C
from ansible_collections.netlink.host.plugins.module_utils.objects.route import RouteKind
from ansible_collections.netlink.host.plugins.module_utils.objects.rule import RuleKind

ROUTE = RouteKind()
RULE = RuleKind()

LINKS = [
    "link add veth0 type veth peer name veth1",
    "link add br0 type bridge",
    "link set veth1 master br0",
    "link set veth0 up",
    "link set veth1 up",
    "link set br0 up",
    "addr add 192.0.2.1/24 dev veth0",
    "addr add 198.51.100.1/24 dev br0",
    "addr add 2001:db8:1::1/64 dev veth0 nodad",
    "addr add 2001:db8:2::1/64 dev br0 nodad",
]

ROUTES = [
    "route add 10.1.0.0/16 via 192.0.2.2",
    "route add 10.2.0.0/16 dev br0",
    "route add 10.3.0.0/16 dev br0 scope global",
    "route add 10.4.0.0/16 nexthop via 192.0.2.2 dev veth0 weight 3 nexthop via 198.51.100.2 dev br0",
    "route add blackhole 10.5.0.0/16",
    "route add unreachable 10.6.0.0/16 table 100",
    "route add prohibit 10.7.0.0/16 table 1000 metric 7",
    "route add throw 10.8.0.0/16 table 70000",
    "route add 10.9.0.0/16 via 192.0.2.2 mtu lock 1400 advmss 1300 initcwnd 10 initrwnd 20 hoplimit 32 "
    "window 65535 quickack 1 features ecn congctl reno reordering 5 rto_min 50 ssthresh 9 cwnd 11",
    "route add 10.10.0.0/16 via 192.0.2.2 src 198.51.100.1 proto static metric 5",
    "route add default via 192.0.2.2 table 200 proto bgp",
    "route add 10.11.0.0/16 tos 0x10 via 192.0.2.2",
    "route add 10.12.0.0/16 via 192.0.2.2 proto 250",
    "route add local 10.13.0.1 dev veth0 table 100",
    "route add 10.14.0.0/16 via 203.0.113.1 dev veth0 onlink",
    "route add 10.15.0.0/24 via inet6 2001:db8:1::2 dev veth0",
    "route add 10.16.0.0/16 via 192.0.2.2 metric 5 table 255",
    "-6 route add 2001:db8:10::/48 via 2001:db8:1::2 metric 10 pref high",
    "-6 route add 2001:db8:11::/48 dev br0 pref low",
    "-6 route add 2001:db8:12::/48 nexthop via 2001:db8:1::2 dev veth0 weight 2 nexthop via 2001:db8:2::2 dev br0 weight 5",
    "-6 route add blackhole 2001:db8:13::/48",
    "-6 route add unreachable 2001:db8:14::/48 table 300 metric 99",
    "-6 route add prohibit 2001:db8:15::/48",
    "-6 route add 2001:db8:16::/48 via 2001:db8:1::2 mtu lock 1300 src 2001:db8:2::1 proto static",
    "-6 route add default via 2001:db8:1::2 table 100",
    "-6 route add throw 2001:db8:18::/48 table 100",
    "-6 route add 2001:db8:19::/48 via 2001:db8:1::2 proto ospf metric 1",
    # RTPROT_MROUTED: a uapi name iproute2 does not know (printed as 17)
    "route add 10.17.0.0/16 via 192.0.2.2 proto 17",
    "route add 10.18.0.0/16 via 192.0.2.2 rto_min 30",
]
# Needs CONFIG_IPV6_SUBTREES: tried, kept only when the kernel has it.
ROUTES_OPTIONAL = ["-6 route add 2001:db8:17::/48 from 2001:db8:99::/64 via 2001:db8:1::2"]

RULES = [
    "rule add priority 100 from 10.0.0.0/8 table 100",
    "rule add priority 101 to 192.0.2.0/24 table main",
    "rule add priority 102 iif veth0 fwmark 0x1/0xff table 1000",
    "rule add priority 103 oif br0 table 70000",
    "rule add priority 104 fwmark 0x10 goto 200",
    "rule add priority 105 from 10.9.0.0/16 blackhole",
    "rule add priority 106 from 10.10.0.0/16 unreachable",
    "rule add priority 107 to 10.11.0.0/16 prohibit",
    "rule add priority 108 uidrange 1000-2000 table 100",
    "rule add priority 109 ipproto tcp sport 1000-2000 dport 443 table 100",
    "rule add priority 110 not from 10.0.0.0/8 table 100",
    "rule add priority 111 tos 0x10 table 100",
    "rule add priority 112 table main suppress_prefixlength 0",
    "rule add priority 113 from 10.12.0.1 protocol static table 100",
    "rule add priority 114 from 10.13.0.0/16 nop",
    "rule add priority 200 table 200",
    # l3mdev: the table comes from the VRF device, a rule cannot name one
    "rule add priority 115 l3mdev",
    "rule add priority 116 l3mdev unreachable",
    # FR_ACT_UNSPEC / FR_ACT_RES3: no iproute2 word, made and printed as type N
    "rule add priority 117 from 10.14.0.0/16 type 0",
    "rule add priority 118 from 10.15.0.0/16 type 4",
    # realms (FRA_FLOW): two rules that differ only by realms are two rules
    "rule add priority 119 from 10.16.0.0/16 table 100 realms 3/4",
    "rule add priority 119 from 10.16.0.0/16 table 100 realms 5",
    "-6 rule add priority 100 from 2001:db8::/32 table 100",
    "-6 rule add priority 101 to 2001:db8:10::/48 iif veth0 table 300",
    "-6 rule add priority 102 from 2001:db8:bad::/48 blackhole",
    "-6 rule add priority 103 fwmark 5 table main",
    "-6 rule add priority 104 ipproto udp dport 53 table 100",
]


class Ctx:
    def __init__(self, netns=None):
        self.netns = netns


def setup_links(ip, ns):
    for line in LINKS:
        ip(ns, *line.split())


def setup_objects(ip, ns):
    for line in ROUTES + RULES:
        ip(ns, *line.split())
    optional = []
    for line in ROUTES_OPTIONAL:
        if ip(ns, *line.split(), check=False).returncode == 0:
            optional.append(line)
    return optional


def read_routes(ns):
    with KernelContext(ns) as ctx:
        out = []
        for fam in (C.AF_INET, C.AF_INET6):
            for msg in ctx.socket().dump(C.RTM_GETROUTE, {"family": fam}):
                obj = ROUTE.from_msg(msg, ctx)
                if obj is not None and not ROUTE.kernel_made(obj):
                    out.append(obj)
        return sorted(out, key=lambda o: repr(ROUTE.key(o)))


def read_rules(ns):
    with KernelContext(ns) as ctx:
        out = []
        for fam in (C.AF_INET, C.AF_INET6):
            for msg in ctx.socket().dump(C.RTM_GETRULE, {"family": fam}):
                obj = RULE.from_msg(msg, ctx)
                if obj is not None and not RULE.kernel_made(obj):
                    out.append(obj)
        return sorted(out, key=lambda o: repr(RULE.key(o)))


def creates(kind, objs):
    return [{"kind": kind.name, "op": contract.CREATE, "before": None, "after": o} for o in objs]


def deletes(kind, objs):
    return [{"kind": kind.name, "op": contract.DELETE, "before": o, "after": None} for o in objs]


def run_commands(ip, ns, kind, changes):
    """Run each change's command (made for no namespace) in ``ns``."""
    for ch in changes:
        line = kind.command(ch, Ctx())
        assert line.startswith("ip ")
        ip(ns, *line.split()[1:])


def run_requests(ns, kind, changes):
    with KernelContext(ns) as ctx:
        result = ctx.socket().batch([kind.request(ch, ctx) for ch in changes])
        assert result.ok, (result.failed, result.error, changes[result.failed])


def assert_same(a, b):
    assert len(a) == len(b), (len(a), len(b))
    for x, y in zip(a, b):
        assert x == y


@pytest.fixture
def source(netns, ip):
    setup_links(ip, netns)
    optional = setup_objects(ip, netns)
    return netns, optional


def test_read_covers_everything_made(source):
    ns, optional = source
    routes = read_routes(ns)
    rules = read_rules(ns)
    assert len(routes) == len(ROUTES) + len(optional)
    assert len(rules) == len(RULES)
    by_dst = dict(((r["family"], r["dst"], str(r["table"])), r) for r in routes)
    r = by_dst[(4, "10.4.0.0/16", "main")]
    assert r["nexthops"] == [{"gateway": "192.0.2.2", "dev": "veth0", "weight": 3},
                             {"gateway": "198.51.100.2", "dev": "br0", "weight": 1}]
    r = by_dst[(4, "10.9.0.0/16", "main")]
    # iproute2 locks rto_min always: the lock is implied, never listed.
    assert r["metrics"]["mtu"] == 1400 and r["metrics"]["lock"] == ["mtu"]
    assert r["metrics"]["rto_min"] == 50
    assert r["metrics"]["cc_algo"] == "reno"
    assert by_dst[(4, "10.2.0.0/16", "main")]["scope"] == "link"
    assert by_dst[(4, "10.8.0.0/16", "70000")]["type"] == "throw"
    assert by_dst[(4, "default", "200")]["protocol"] == "bgp"
    assert by_dst[(4, "10.12.0.0/16", "main")]["protocol"] == 250
    assert by_dst[(4, "10.15.0.0/24", "main")]["gateway"] == "2001:db8:1::2"
    assert by_dst[(6, "2001:db8:11::/48", "main")]["metric"] == 1024
    assert by_dst[(6, "2001:db8:11::/48", "main")]["pref"] == "low"
    assert by_dst[(6, "2001:db8:12::/48", "main")]["nexthops"] == [
        {"gateway": "2001:db8:1::2", "dev": "veth0", "weight": 2},
        {"gateway": "2001:db8:2::2", "dev": "br0", "weight": 5}]
    by_prio = dict(((r["family"], r["priority"]), r) for r in rules)
    assert by_prio[(4, 102)]["fwmark"] == "0x1/0xff"
    assert by_prio[(4, 102)]["iif"] == "veth0"
    assert by_prio[(4, 103)]["table"] == 70000
    assert by_prio[(4, 104)]["action"] == "goto" and by_prio[(4, 104)]["goto"] == 200
    assert by_prio[(4, 108)]["uidrange"] == "1000-2000"
    assert by_prio[(4, 109)]["ipproto"] == "tcp" and by_prio[(4, 109)]["sport"] == "1000-2000"
    assert by_prio[(4, 110)]["invert"] is True
    assert by_prio[(4, 112)]["suppress_prefixlength"] == 0
    assert by_prio[(6, 102)]["action"] == "blackhole"
    assert by_prio[(4, 115)]["l3mdev"] is True and by_prio[(4, 115)]["table"] is None
    assert by_prio[(4, 117)]["action"] == 0 and by_prio[(4, 118)]["action"] == 4
    assert by_dst[(4, "10.17.0.0/16", "main")]["protocol"] == "mrouted"
    assert by_dst[(4, "10.18.0.0/16", "main")]["metrics"] == {"rto_min": 30}


def test_round_trip_commands(source, netns_factory, ip):
    """A's objects -> CREATE commands -> run in B -> B's objects == A's;
    then the DELETE commands leave B without any of them."""
    ns_a = source[0]
    routes, rules = read_routes(ns_a), read_rules(ns_a)
    ns_b = netns_factory()
    setup_links(ip, ns_b)
    run_commands(ip, ns_b, RULE, creates(RULE, rules))
    run_commands(ip, ns_b, ROUTE, creates(ROUTE, routes))
    assert_same(read_routes(ns_b), routes)
    assert_same(read_rules(ns_b), rules)
    run_commands(ip, ns_b, ROUTE, deletes(ROUTE, routes))
    run_commands(ip, ns_b, RULE, deletes(RULE, rules))
    assert read_routes(ns_b) == []
    assert read_rules(ns_b) == []


def test_round_trip_requests(source, netns_factory, ip):
    """A's objects -> CREATE requests in one batch in C -> C's objects ==
    A's; then DELETE requests remove them all."""
    ns_a = source[0]
    routes, rules = read_routes(ns_a), read_rules(ns_a)
    ns_c = netns_factory()
    setup_links(ip, ns_c)
    run_requests(ns_c, RULE, creates(RULE, rules))
    run_requests(ns_c, ROUTE, creates(ROUTE, routes))
    assert_same(read_routes(ns_c), routes)
    assert_same(read_rules(ns_c), rules)
    run_requests(ns_c, ROUTE, deletes(ROUTE, routes))
    run_requests(ns_c, RULE, deletes(RULE, rules))
    assert read_routes(ns_c) == []
    assert read_rules(ns_c) == []


def test_create_refused_when_it_exists(source):
    """CREATE is NLM_F_EXCL: a second create of the same object fails."""
    ns = source[0]
    for kind, objs in ((ROUTE, read_routes(ns)), (RULE, read_rules(ns))):
        with KernelContext(ns) as ctx:
            result = ctx.socket().batch([kind.request(creates(kind, objs[:1])[0], ctx)])
            assert not result.ok


@pytest.mark.parametrize("how", ["request", "command"])
@pytest.mark.parametrize("setup,new_gw", [
    ("route add 10.1.0.0/16 via 192.0.2.2 metric 5 table 100 proto static", "192.0.2.3"),
    ("-6 route add 2001:db8:10::/48 via 2001:db8:1::2 metric 10", "2001:db8:1::3"),
])
def test_update_gateway_in_place(netns, ip, how, setup, new_gw):
    setup_links(ip, netns)
    ip(netns, *setup.split())
    before = read_routes(netns)
    assert len(before) == 1
    after = dict(before[0], gateway=new_gw)
    ch = {"kind": "route", "op": contract.UPDATE, "before": before[0], "after": after}
    if how == "request":
        run_requests(netns, ROUTE, [ch])
    else:
        run_commands(ip, netns, ROUTE, [ch])
    now = read_routes(netns)
    assert now == [after]
    assert ROUTE.key(now[0]) == ROUTE.key(before[0])


def test_update_of_missing_route_is_refused(netns, ip):
    """NLM_F_REPLACE without NLM_F_CREATE: an update never creates."""
    setup_links(ip, netns)
    obj = {"family": 4, "dst": "10.99.0.0/16", "table": "main", "gateway": "192.0.2.2"}
    with KernelContext(netns) as ctx:
        ch = {"kind": "route", "op": contract.UPDATE, "before": obj, "after": obj}
        assert not ctx.socket().batch([ROUTE.request(ch, ctx)]).ok
    assert read_routes(netns) == []


def test_rule_update_is_a_plan_error():
    obj = {"family": 4, "priority": 5, "table": 100}
    ch = {"kind": "rule", "op": contract.UPDATE, "before": obj, "after": dict(obj, table=200)}
    with pytest.raises(contract.PlanError):
        RULE.request(ch, Ctx())
    assert RULE.command(ch, Ctx()) == ("ip rule del priority 5 from all lookup 100; "
                                       "ip rule add priority 5 from all lookup 200")


# -- command() text, no kernel ----------------------------------------------

def _cmd(kind, op, obj, netns=None):
    ch = {"op": op, "before": obj if op != contract.CREATE else None,
          "after": obj if op != contract.DELETE else None}
    return kind.command(ch, Ctx(netns))


@pytest.mark.parametrize("obj,op,netns,want", [
    ({"family": 4, "dst": "10.0.0.0/8", "gateway": "192.0.2.1", "dev": "eth0", "protocol": "static",
      "table": 100, "metric": 5}, contract.CREATE, "ns1",
     "ip -n ns1 route add 10.0.0.0/8 table 100 metric 5 proto static via 192.0.2.1 dev eth0"),
    ({"family": 4, "dst": "default", "gateway": "192.0.2.1", "table": "main"}, contract.UPDATE, None,
     "ip route replace default via 192.0.2.1"),
    ({"family": 4, "dst": "10.0.0.0/8", "type": "blackhole", "table": 254, "metric": 0}, contract.DELETE, None,
     "ip route del blackhole 10.0.0.0/8"),
    ({"family": 4, "dst": "10.0.0.0/8", "scope": "link", "dev": "br0"}, contract.CREATE, None,
     "ip route add 10.0.0.0/8 dev br0"),
    ({"family": 4, "dst": "10.0.0.0/8", "scope": "global", "dev": "br0"}, contract.CREATE, None,
     "ip route add 10.0.0.0/8 scope global dev br0"),
    ({"family": 4, "dst": "10.0.0.0/8", "nexthops": [{"gateway": "192.0.2.1", "dev": "a", "weight": 3},
                                                     {"gateway": "192.0.2.9", "dev": "b", "weight": 1}]},
     contract.CREATE, None,
     "ip route add 10.0.0.0/8 nexthop via 192.0.2.1 dev a weight 3 nexthop via 192.0.2.9 dev b"),
    ({"family": 4, "dst": "10.0.0.0/8", "gateway": "192.0.2.1", "metrics": {"mtu": 1400, "advmss": 1360, "lock": ["mtu"]}},
     contract.CREATE, None, "ip route add 10.0.0.0/8 via 192.0.2.1 mtu lock 1400 advmss 1360"),
    ({"family": 6, "dst": "2001:db8::/32", "gateway": "fe80::1", "dev": "eth0", "metric": 1024, "pref": "high"},
     contract.CREATE, "n", "ip -n n -6 route add 2001:db8::/32 via fe80::1 dev eth0 pref high"),
    ({"family": 6, "dst": "2001:db8::/32", "type": "unreachable", "metric": 7, "table": 70000},
     contract.CREATE, None, "ip -6 route add unreachable 2001:db8::/32 table 70000 metric 7"),
    ({"family": 4, "dst": "10.0.0.0/8", "gateway": "2001:db8::1", "dev": "eth0"},
     contract.CREATE, None, "ip route add 10.0.0.0/8 via inet6 2001:db8::1 dev eth0"),
])
def test_route_command_text(obj, op, netns, want):
    assert _cmd(ROUTE, op, obj, netns) == want


@pytest.mark.parametrize("obj,op,want", [
    ({"family": 4, "priority": 100, "from": "10.0.0.0/8", "to": "192.0.2.0/24", "iif": "eth0", "oif": "br0",
      "fwmark": "0x1/0xff", "table": 100}, contract.CREATE,
     "ip rule add priority 100 from 10.0.0.0/8 to 192.0.2.0/24 fwmark 0x1/0xff iif eth0 oif br0 lookup 100"),
    ({"family": 4, "priority": 5, "fwmark": "0x10/0xffffffff", "action": "goto", "goto": 200},
     contract.DELETE, "ip rule del priority 5 from all fwmark 0x10 goto 200"),
    ({"family": 6, "priority": 7, "from": "2001:db8::/32", "action": "blackhole"}, contract.CREATE,
     "ip -6 rule add priority 7 from 2001:db8::/32 blackhole"),
    ({"family": 4, "priority": 9, "invert": True, "uidrange": "1000-2000", "ipproto": "tcp", "dport": "443",
      "protocol": "static", "table": "main", "suppress_prefixlength": 0}, contract.CREATE,
     "ip rule add not priority 9 from all uidrange 1000-2000 ipproto 6 dport 443 protocol static "
     "lookup main suppress_prefixlength 0"),
])
def test_rule_command_text(obj, op, want):
    assert _cmd(RULE, op, obj) == want


def test_route_key_normalises_defaults():
    a = {"family": 6, "dst": "2001:db8::/32", "table": "main"}
    b = {"family": 6, "dst": "2001:db8::/32", "table": 254, "metric": 1024, "tos": 0}
    assert ROUTE.key(a) == ROUTE.key(b) == (6, 254, "2001:db8::/32", 0, 1024, None)
    assert ROUTE.key({"dst": "10.0.0.0/8"}) == (4, 254, "10.0.0.0/8", 0, 0)


# -- vocabulary ip takes, and what it refuses --------------------------------

@pytest.mark.parametrize("obj,want", [
    # RTPROT_MROUTED has a uapi name but none in iproute2: its number
    ({"family": 4, "dst": "10.0.0.0/8", "dev": "eth0", "protocol": "mrouted"},
     "ip route add 10.0.0.0/8 proto 17 dev eth0"),
    ({"family": 4, "dst": "10.0.0.0/8", "dev": "eth0", "protocol": "openr"},
     "ip route add 10.0.0.0/8 proto 99 dev eth0"),
    ({"family": 4, "dst": "10.0.0.0/8", "dev": "eth0", "protocol": 186}, "ip route add 10.0.0.0/8 proto bgp dev eth0"),
    # "universe" is accepted on input; ip knows scope 0 only as "global"
    ({"family": 4, "dst": "10.0.0.0/8", "dev": "eth0", "scope": "universe"},
     "ip route add 10.0.0.0/8 scope global dev eth0"),
    ({"family": 6, "dst": "2001:db8::/32", "dev": "eth0", "pref": 1}, "ip -6 route append 2001:db8::/32 dev eth0 pref high"),
    ({"family": 4, "dst": "10.0.0.0/8", "type": 7}, "ip route add unreachable 10.0.0.0/8"),
    # rto_min: locked always, by ip and by the library, no "lock" word
    ({"family": 4, "dst": "10.0.0.0/8", "gateway": "192.0.2.1", "metrics": {"rto_min": 40, "lock": ["rto_min"]}},
     "ip route add 10.0.0.0/8 via 192.0.2.1 rto_min 40"),
])
def test_route_command_words_ip_takes(obj, want):
    assert _cmd(ROUTE, contract.CREATE, obj) == want


@pytest.mark.parametrize("obj,option", [
    ({"family": 4, "dst": "10.0.0.0/8", "type": 12}, "type=12"),
    ({"family": 4, "dst": "10.0.0.0/8", "type": "unspec"}, "type=unspec"),
    ({"family": 4, "dst": "10.0.0.0/8", "type": "blackhol"}, "type=blackhol"),
    ({"family": 4, "dst": "10.0.0.0/8", "protocol": "nosuch"}, "protocol=nosuch"),
    ({"family": 4, "dst": "10.0.0.0/8", "scope": "planet"}, "scope=planet"),
    ({"family": 4, "dst": "10.0.0.0/8", "table": "mine"}, "table=mine"),
])
def test_route_words_ip_refuses_are_refused(obj, option):
    """``ip route`` takes a type only by name (a leading digit is read as
    the destination): a number or unknown name fails, naming the option,
    for the command and the request alike."""
    ch = {"op": contract.CREATE, "before": None, "after": obj}
    for build in (ROUTE.command, ROUTE.request):
        with pytest.raises(contract.ValidationError, match="^%s" % option):
            build(ch, Ctx())


@pytest.mark.parametrize("obj,want", [
    ({"family": 4, "priority": 5, "action": 4}, "ip rule add priority 5 from all type 4"),
    ({"family": 4, "priority": 5, "action": 0}, "ip rule add priority 5 from all type 0"),
    ({"family": 4, "priority": 5, "l3mdev": True}, "ip rule add priority 5 from all l3mdev"),
    ({"family": 4, "priority": 5, "l3mdev": True, "action": "unreachable"},
     "ip rule add priority 5 from all l3mdev unreachable"),
    ({"family": 4, "priority": 5, "protocol": "mrouted", "table": 7}, "ip rule add priority 5 from all protocol 17 lookup 7"),
    ({"family": 6, "priority": 5, "ipproto": "ipv6-icmp", "table": 7}, "ip -6 rule add priority 5 from all ipproto 58 lookup 7"),
])
def test_rule_command_words_ip_takes(obj, want):
    assert _cmd(RULE, contract.CREATE, obj) == want


@pytest.mark.parametrize("obj,option", [
    ({"family": 4, "priority": 5, "action": "res3"}, "action=res3"),
    ({"family": 4, "priority": 5, "action": "unspec"}, "action=unspec"),
    ({"family": 4, "priority": 5, "action": "res4"}, "action=res4"),
    ({"family": 4, "priority": 5, "l3mdev": True, "table": 100}, "table=100"),
    ({"family": 4, "priority": 5, "ipproto": "tcpx", "table": 1}, "ipproto=tcpx"),
])
def test_rule_words_ip_refuses_are_refused(obj, option):
    ch = {"op": contract.CREATE, "before": None, "after": obj}
    for build in (RULE.command, RULE.request):
        with pytest.raises(contract.ValidationError, match="^%s" % option):
            build(ch, Ctx())


def test_rto_min_is_sent_locked_as_ip_sends_it(netns, ip):
    """The kernel's TCP honours a route's rto_min only when it is locked;
    ``ip route add ... rto_min T`` always locks it, so the request does
    too, and the library reads both back as the same object."""
    setup_links(ip, netns)
    obj = {"family": 4, "dst": "10.1.0.0/16", "gateway": "192.0.2.2", "metrics": {"rto_min": 40}}
    run_requests(netns, ROUTE, creates(ROUTE, [obj]))
    ip(netns, "route", "add", "10.2.0.0/16", "via", "192.0.2.2", "rto_min", "40")
    shown = ip(netns, "route", "show")
    assert "10.1.0.0/16 via 192.0.2.2 dev veth0 rto_min lock 40ms" in shown, shown
    assert "10.2.0.0/16 via 192.0.2.2 dev veth0 rto_min lock 40ms" in shown, shown
    mine, theirs = read_routes(netns)
    assert mine["metrics"] == theirs["metrics"] == {"rto_min": 40}


def test_l3mdev_rule_request_round_trip(netns, netns_factory, ip):
    """An l3mdev rule made by ip reads back without a table and is made
    again, by request and by command (a table would be refused by both
    the kernel and ip)."""
    ip(netns, "rule", "add", "priority", "50", "l3mdev")
    rules = read_rules(netns)
    assert [r["priority"] for r in rules] == [50]
    for how in ("request", "command"):
        other = netns_factory()
        if how == "request":
            run_requests(other, RULE, creates(RULE, rules))
        else:
            run_commands(ip, other, RULE, creates(RULE, rules))
        assert read_rules(other) == rules
