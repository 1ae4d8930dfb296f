"""nl_state against this machine's kernel, in throwaway namespaces: a
whole host in one task (one plan, one apply), re-run with 0 write
requests, check mode predicting apply, a late refusal undoing the links
too, bad input per section refused naming section[index] with nothing
changed, and gathered fed back as input planning nothing."""
import pytest

from ansible_collections.netlink.host.tests.integration.snapshots import assert_same, snapshot

MOD = "nl_state"

HOST = {
    "links": [
        {"name": "br0", "kind": "bridge", "state": "up"},
        {"name": "v0", "kind": "veth", "veth": {"peer": "v1"}, "master": "br0", "state": "up"},
        {"name": "v1", "state": "up"},
        {"name": "mv0", "kind": "macvlan", "link": "v1", "macvlan": {"mode": "bridge"}, "state": "up"},
    ],
    "addresses": [
        {"dev": "br0", "addresses": [{"address": "192.0.2.1/24"}, {"address": "2001:db8::1/64", "nodad": True}]},
        {"dev": "mv0", "addresses": ["198.51.100.1/24"]},
    ],
    "routes": [
        {"dst": "10.10.0.0/16", "gateway": "192.0.2.254"},
        {"dst": "10.20.0.0/16", "dev": "mv0", "table": 100},
        {"dst": "0.0.0.0/0", "gateway": "198.51.100.254", "table": 100},
    ],
    "rules": [{"priority": 1000, "from": "10.99.0.0/16", "table": 100}],
}


def test_whole_host_one_task_then_nothing_to_do(run_module, netns, ip_json):
    first = run_module(MOD, dict(HOST), netns=netns)
    assert not first.get("failed"), first
    assert first["changed"] and first["write_requests"] == len(first["commands"])
    assert first["commands"][0].endswith("link add br0 up type bridge") or "br0" in first["commands"][0]
    assert [r["dst"] for r in ip_json(netns, "route", "show", "table", "100")] == ["default", "10.20.0.0/16"]
    again = run_module(MOD, dict(HOST), netns=netns)
    assert not again.get("failed"), again
    assert (again["changed"], again["commands"], again["write_requests"]) == (False, [], 0)


def test_check_mode_predicts_apply(run_module, netns):
    check = run_module(MOD, dict(HOST), netns=netns, check=True, diff=True)
    assert not check.get("failed"), check
    assert check["changed"] and check["write_requests"] == 0 and not check.get("warnings")
    real = run_module(MOD, dict(HOST), netns=netns, diff=True)
    assert real["commands"] == check["commands"] and real["diff"] == check["diff"]


def test_a_refused_route_undoes_the_links_too(run_module, netns):
    before = snapshot(netns)
    host = dict(HOST, routes=HOST["routes"] + [{"dst": "10.30.0.0/16", "gateway": "203.0.113.1"}])
    out = run_module(MOD, host, netns=netns)
    assert out.get("failed") and out["undone"] is True, out
    assert "203.0.113.1" in out["msg"]
    assert_same(before, snapshot(netns))


@pytest.mark.parametrize("section, bad, words", [
    ("links", {"name": "x" * 20, "kind": "dummy"}, "links[1].name"),
    ("addresses", {"dev": "lo", "addresses": ["192.0.2.300/24"]}, "addresses[2].addresses[0]"),
    ("routes", {"dst": "10.40.0.0/16", "gateway": "not-an-ip"}, "routes[3].gateway"),
    ("rules", {"priority": "x", "table": 100}, "rules[1]"),
])
def test_bad_input_names_section_index_option_and_changes_nothing(run_module, netns, section, bad, words):
    before = snapshot(netns)
    host = dict(HOST)
    items = list(host[section])
    items.insert(1 if section in ("links", "rules") else len(items), bad)
    host[section] = items
    out = run_module(MOD, host, netns=netns)
    assert out.get("failed"), out
    assert out["msg"].startswith(words), out["msg"]
    assert_same(before, snapshot(netns))


def test_gathered_is_input(run_module, netns):
    assert not run_module(MOD, dict(HOST), netns=netns).get("failed")
    got = run_module(MOD, {"state": "gathered"}, netns=netns)
    assert not got.get("failed"), got
    doc = got["gathered"]
    assert set(HOST) <= set(doc)
    again = run_module(MOD, doc, netns=netns)
    assert not again.get("failed"), again
    assert (again["changed"], again["write_requests"]) == (False, 0), again["commands"]
