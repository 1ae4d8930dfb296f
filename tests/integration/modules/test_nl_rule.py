"""nl_rule against this machine's kernel, in throwaway namespaces: every
field through check mode, apply (read back with ``ip -j rule`` and the
library), a second run without a write, --diff and absent; two rules
that differ in one field only are never taken for each other; rules
without a priority are idempotent; replaced keeps other protocols' rules
and the kernel's defaults; gathered output is input; EXAMPLES run."""
import pytest
import yaml

from ansible_collections.netlink.host.plugins.modules import nl_rule
from ansible_collections.netlink.host.tests.integration.example_tasks import Examples
from ansible_collections.netlink.host.tests.integration.modules.rule_helpers import rules_of

MOD = "nl_rule"


def ip_rules(ip_json, ns, family):
    return ip_json(ns, "-%d" % family, "rule", "show")


# (name, module args, family, what ``ip -j rule show`` prints for it)
FIELDS = [
    ("from", {"priority": 100, "from": "10.1.2.3/8", "table": 100}, 4, {"src": "10.0.0.0", "srclen": 8, "table": "100"}),
    ("to", {"priority": 101, "to": "192.0.2.0/24", "table": "main"}, 4, {"dst": "192.0.2.0", "dstlen": 24, "table": "main"}),
    ("iif_oif", {"priority": 102, "iif": "lo", "oif": "nosuchdev", "table": 100}, 4, {"iif": "lo", "oif": "nosuchdev"}),
    ("fwmark", {"priority": 103, "fwmark": "0x10/0xff", "table": 100}, 4, {"fwmark": "0x10", "fwmask": "0xff"}),
    ("fwmark_full", {"priority": 103, "fwmark": 7, "table": 100}, 4, {"fwmark": "0x7"}),
    ("goto", {"priority": 104, "fwmark": "0x20", "goto": 200}, 4, {"goto": 200}),
    ("nop", {"priority": 105, "from": "10.5.0.0/16", "action": "nop"}, 4, {"nop": None}),
    ("blackhole", {"priority": 106, "from": "10.6.0.0/16", "action": "blackhole"}, 4, {"action": "blackhole"}),
    ("unreachable", {"priority": 107, "action": "unreachable", "to": "10.7.0.0/16"}, 4, {"action": "unreachable"}),
    ("prohibit", {"priority": 108, "action": "prohibit", "iif": "lo"}, 4, {"action": "prohibit"}),
    ("table_synonym", {"priority": 109, "action": "table", "lookup": 1000}, 4, {"table": "1000"}),
    ("suppress_prefixlength", {"priority": 110, "table": "main", "suppress_prefixlength": 0}, 4,
     {"suppress_prefixlen": 0}),
    ("suppress_ifgroup", {"priority": 111, "table": "main", "suppress_ifgroup": "5"}, 4, {"suppress_ifgroup": "5"}),
    ("uidrange", {"priority": 112, "uidrange": "1000-2000", "table": 100}, 4, {"uid_start": 1000, "uid_end": 2000}),
    ("ipproto_ports", {"priority": 113, "ipproto": "tcp", "sport": "1000-2000", "dport": 443, "table": 100}, 4,
     {"ipproto": "tcp", "sport_start": 1000, "sport_end": 2000, "dport": 443}),
    ("l3mdev", {"priority": 114, "l3mdev": True}, 4, {"l3mdev": None}),
    ("tos", {"priority": 115, "tos": "0x10", "table": 100}, 4, {"tos": "0x10"}),
    ("realms", {"priority": 116, "realms": "3/4", "table": 100}, 4, {"flow_from": "3", "flow_to": "4"}),
    ("realms_to", {"priority": 116, "realms": 7, "table": 100}, 4, {"flow_to": "7"}),
    ("protocol", {"priority": 117, "protocol": "bird", "table": 100}, 4, {"protocol": "bird"}),
    ("invert", {"priority": 118, "not": True, "from": "10.8.0.0/16", "table": 100}, 4, {"not": None}),
    ("goto_table_big", {"priority": 119, "table": 70000}, 4, {"table": "70000"}),
    ("family6", {"family": "6", "priority": 100, "table": 100}, 6, {"table": "100"}),
    ("from6", {"priority": 101, "from": "2001:db8::/32", "ipproto": "ipv6-icmp", "table": 100}, 6,
     {"src": "2001:db8::", "srclen": 32, "ipproto": "ipv6-icmp"}),
    ("unreachable6", {"priority": 102, "to": "2001:db8:1::/48", "action": "unreachable"}, 6, {"action": "unreachable"}),
]


@pytest.mark.parametrize("args,family,shown", [f[1:] for f in FIELDS], ids=[f[0] for f in FIELDS])
def test_field(netns, run_module, ip_json, args, family, shown):
    before = ip_rules(ip_json, netns, family)
    r = run_module(MOD, args, netns=netns, check=True)
    assert r["changed"] and r["write_requests"] == 0 and len(r["commands"]) == 1, r
    assert ip_rules(ip_json, netns, family) == before
    r = run_module(MOD, args, netns=netns, diff=True)
    assert r["changed"] and r["write_requests"] == 1, r
    assert len(r["diff"]) == 1 and r["diff"][0]["before"] == "" and '"priority": %d' % args["priority"] in r["diff"][0]["after"]
    assert len(r["rules"]) == 1 and r["rules"][0]["priority"] == args["priority"]
    new = [x for x in ip_rules(ip_json, netns, family) if x not in before]
    assert len(new) == 1, new
    for key, value in shown.items():
        assert new[0].get(key, "missing") == value, (key, new[0])
    if "protocol" not in args:
        assert new[0]["protocol"] == "static"
    again = run_module(MOD, args, netns=netns)
    assert again["changed"] is False and again["write_requests"] == 0 and again["commands"] == [], again
    gone = run_module(MOD, dict(args, state="absent"), netns=netns, diff=True)
    assert gone["changed"] and gone["write_requests"] == 1 and gone["diff"][0]["after"] == "", gone
    assert ip_rules(ip_json, netns, family) == before
    assert run_module(MOD, dict(args, state="absent"), netns=netns)["changed"] is False


def test_dscp(netns, run_module):
    """FRA_DSCP (Linux 6.12+; the host kernel has it, iproute2 6.1 cannot
    show it): read back with the library."""
    args = {"priority": 120, "dscp": 46, "table": 100}
    r = run_module(MOD, args, netns=netns)
    assert r["changed"] and r["rules"][0]["dscp"] == 46, r
    assert [o["dscp"] for o in rules_of(netns)] == [46]
    assert run_module(MOD, args, netns=netns)["write_requests"] == 0
    # tos 0 and another DSCP are another rule, not this one
    assert run_module(MOD, dict(args, dscp=10), netns=netns, check=True)["changed"]
    assert run_module(MOD, dict(args, state="absent"), netns=netns)["changed"]
    assert rules_of(netns) == []


# -- two rules that differ in one field only -----------------------------------

BASE = {"priority": 500, "from": "10.0.0.0/8", "table": 100}
# field -> (value of rule A, value of rule B); None: the field not given
VARIANTS = [
    ("from", "10.0.0.0/9", None), ("to", "192.0.2.0/24", "192.0.2.0/25"),
    ("tos", "0x08", "0x10"), ("dscp", 10, 12), ("iif", "lo", "eth9"), ("oif", "lo", "eth9"),
    ("fwmark", "0x1", "0x1/0xff"), ("uidrange", "1-10", "1-11"), ("ipproto", "tcp", "udp"),
    ("sport", "80", "81"), ("dport", "80-90", "80"), ("l3mdev", True, None),
    ("realms", "3", "3/4"), ("table", 100, 101), ("action", "blackhole", "prohibit"),
    ("suppress_prefixlength", 0, 1), ("suppress_ifgroup", "1", "2"), ("protocol", "static", "bird"),
]


def _variant(field, value):
    rule = dict(BASE)
    if field == "l3mdev":
        rule.pop("table")
    if field == "action":
        rule.pop("table")
    if field == "ipproto" or field in ("sport", "dport"):
        rule.setdefault("ipproto", "tcp")
    if value is not None:
        rule[field] = value
    return rule


@pytest.mark.parametrize("field,a,b", VARIANTS, ids=[v[0] for v in VARIANTS])
def test_rules_differing_in_one_field_are_two_rules(netns, run_module, field, a, b):
    rule_a, rule_b = _variant(field, a), _variant(field, b)
    r = run_module(MOD, {"rules": [rule_a, rule_b]}, netns=netns)
    assert r["changed"] and r["write_requests"] == 2, r
    assert len(rules_of(netns)) == 2
    # each one alone is there, unchanged, and the other one stays
    for rule in (rule_a, rule_b):
        again = run_module(MOD, rule, netns=netns)
        assert again["changed"] is False and again["write_requests"] == 0, (rule, again)
    assert len(rules_of(netns)) == 2
    # removing one removes that one only
    r = run_module(MOD, dict(rule_b, state="absent"), netns=netns)
    assert r["changed"] and r["write_requests"] == 1, r
    left = rules_of(netns)
    assert len(left) == 1 and run_module(MOD, rule_a, netns=netns)["changed"] is False
    assert run_module(MOD, rule_b, netns=netns, check=True)["changed"]


def test_invert_is_the_same_rule_to_the_kernel(netns, run_module, ip_json):
    """The kernel does not compare ``not`` when it refuses a duplicate:
    a rule and its inverse cannot both exist, so one replaces the other
    (deleted first), and listing both is refused."""
    rule = {"priority": 500, "from": "10.0.0.0/8", "table": 100}
    run_module(MOD, rule, netns=netns)
    r = run_module(MOD, dict(rule, invert=True), netns=netns)
    assert r["changed"] and [c.split(" rule ")[1].split()[0] for c in r["commands"]] == ["del", "add"], r
    assert [x.get("not", "missing") for x in ip_json(netns, "rule", "show", "priority", "500")] == [None]
    assert run_module(MOD, dict(rule, invert=True), netns=netns)["changed"] is False
    r = run_module(MOD, {"rules": [rule, dict(rule, invert=True)]}, netns=netns)
    assert r.get("failed") and "rules[1]" in r["msg"] and "not" in r["msg"], r


def test_changed_outcome_is_delete_and_add(netns, run_module, ip_json):
    run_module(MOD, {"priority": 300, "from": "10.0.0.0/8", "table": 100}, netns=netns)
    r = run_module(MOD, {"priority": 300, "from": "10.0.0.0/8", "table": 200}, netns=netns, diff=True)
    assert r["changed"] and r["write_requests"] == 2, r
    assert [c.split(" rule ")[1].split()[0] for c in r["commands"]] == ["add", "del"]
    assert all("cannot change a rule in place" in d["before_header"] for d in r["diff"])
    assert [x["table"] for x in ip_json(netns, "rule", "show", "priority", "300")] == ["200"]
    # a goto target alone: the kernel does not tell the two apart, so del first
    run_module(MOD, {"priority": 310, "goto": 400}, netns=netns)
    r = run_module(MOD, {"priority": 310, "goto": 500}, netns=netns)
    assert [c.split(" rule ")[1].split()[0] for c in r["commands"]] == ["del", "add"], r
    assert [x["goto"] for x in ip_json(netns, "rule", "show", "priority", "310")] == [500]


def test_rule_without_priority_is_idempotent(netns, run_module, ip_json):
    args = {"from": "10.9.0.0/16", "table": 100}
    r = run_module(MOD, args, netns=netns)
    assert r["changed"] and "priority 32765" in r["commands"][0], r
    again = run_module(MOD, args, netns=netns)
    assert again["changed"] is False and again["write_requests"] == 0
    assert again["rules"][0]["priority"] == 32765
    # a second one goes where the kernel would put it (ip rule add: 32764)
    r = run_module(MOD, {"rules": [{"to": "10.10.0.0/16", "table": 100}, {"to": "10.11.0.0/16", "table": 100}]},
                   netns=netns)
    assert [x["priority"] for x in r["rules"]] == [32764, 32763], r
    # ... exactly where ip rule add would have put it
    ns_ip = [x["priority"] for x in ip_json(netns, "rule", "show")]
    assert ns_ip == sorted(ns_ip)
    assert run_module(MOD, dict(args, state="absent"), netns=netns)["write_requests"] == 1


def test_replaced_keeps_foreign_and_default_rules(netns, run_module, ip, ip_json):
    for line in ("rule add priority 1500 from 10.15.0.0/16 lookup 200 protocol bird",
                 "rule add priority 1600 from 10.16.0.0/16 lookup 200",              # no protocol
                 "rule add priority 1700 from 10.17.0.0/16 lookup 200 protocol static",   # ours, table 200
                 "rule add priority 5000 from 10.50.0.0/16 lookup 300 protocol static",   # ours, out of scope
                 "rule add priority 1800 from 10.18.0.0/16 blackhole protocol static",    # ours, in the range
                 "-6 rule add priority 1700 from 2001:db8::/32 lookup 200 protocol static"):
        ip(netns, *line.split())
    args = {"state": "replaced", "priorities": ["1800-1899"],
            "rules": [{"priority": 1000, "from": "10.10.0.0/16", "table": 200}]}
    r = run_module(MOD, args, netns=netns, check=True)
    assert r["changed"] and r["write_requests"] == 0, r
    r = run_module(MOD, args, netns=netns, diff=True)
    assert r["changed"], r
    v4 = dict((x["priority"], x) for x in ip_json(netns, "-4", "rule", "show"))
    assert sorted(v4) == [0, 1000, 1500, 1600, 5000, 32766, 32767]
    assert ip_json(netns, "-6", "rule", "show", "priority", "1700") == []
    assert len(r["commands"]) == 4 and sum(" del " in c for c in r["commands"]) == 3, r
    again = run_module(MOD, args, netns=netns)
    assert again["changed"] is False and again["write_requests"] == 0
    # an empty list with a scope removes ours in it, nothing else
    r = run_module(MOD, {"state": "replaced", "tables": [200], "rules": []}, netns=netns)
    assert sorted(x["priority"] for x in ip_json(netns, "-4", "rule", "show")) == [0, 1500, 1600, 5000, 32766, 32767]


def test_gathered_is_input(netns, netns_factory, run_module):
    rules = [f[1] for f in FIELDS if f[0] not in ("realms_to", "fwmark_full", "from6", "unreachable6", "family6")]
    r = run_module(MOD, {"rules": rules}, netns=netns)
    assert r["changed"], r
    got = run_module(MOD, {"state": "gathered"}, netns=netns)["gathered"]
    assert any(g["priority"] == 0 and g["protocol"] == "kernel" for g in got)
    other = netns_factory()
    mine = [g for g in got if g["protocol"] != "kernel"]
    r = run_module(MOD, {"rules": mine}, netns=other)
    assert r["changed"] and not r.get("failed"), r
    assert rules_of(other) == rules_of(netns)
    assert run_module(MOD, {"rules": mine}, netns=netns)["write_requests"] == 0
    only = run_module(MOD, {"state": "gathered", "family": "4", "table": 100, "protocol": "bird"}, netns=netns)
    assert [g["priority"] for g in only["gathered"]] == [117]


def test_examples_run(netns, run_module):
    tasks = yaml.safe_load(nl_rule.EXAMPLES)
    assert len(tasks) >= 5
    examples = Examples()
    for task in tasks:
        args, fed_back = examples.args(task, MOD)
        r = run_module(MOD, args, netns=netns)
        examples.keep(task, r)
        assert not r.get("failed"), (task["name"], r)
        if fed_back:  # gathered output as input: nothing to do
            assert r["changed"] is False and r["write_requests"] == 0, (task["name"], r)
        elif args.get("state") != "gathered":
            assert r["changed"], task["name"]
            again = run_module(MOD, args, netns=netns)
            assert again["changed"] is False and again["write_requests"] == 0, (task["name"], again)
        else:
            assert r["gathered"], task["name"]
