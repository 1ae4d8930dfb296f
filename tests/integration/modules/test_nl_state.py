"""nl_state against this machine's kernel, in throwaway namespaces: a
whole host in one task (one plan, one apply), re-run with 0 write
requests, check mode predicting apply, a late refusal undoing the links
too, bad input per section refused naming section[index] with nothing
changed, and gathered fed back as input planning nothing."""
import json

import pytest

from ansible_collections.netlink.host.tests.integration.ansible_cli import inventory, playbook
from ansible_collections.netlink.host.tests.integration.faults import inject
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
        {"dst": "10.40.0.0/16", "nhid": 10},
    ],
    # on the macvlan the links section creates (made=), through its address
    "nexthops": [{"id": 10, "gateway": "198.51.100.254", "dev": "mv0"}],
    "rules": [{"priority": 1000, "from": "10.99.0.0/16", "table": 100}],
    # on the bridge the links section creates: planned against it (made=)
    "neighbours": [{"dev": "br0", "dst": "192.0.2.9", "lladdr": "02:00:00:00:00:09"},
                   {"dev": "br0", "dst": "2001:db8::9", "lladdr": "02:00:00:00:00:09", "router": True}],
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


@pytest.mark.slow(15)  # a whole play
def test_every_section_runs_from_ansibles_payload(tmp_path, netns, ip_json):
    """Through ansible-playbook, as a user runs it: the payload Ansible
    packs holds each section's task, which nl_state loads only for the
    sections given (not at start: a host compiles the payload's sources
    on every run)."""
    play = ("- hosts: all\n  gather_facts: false\n  tasks:\n    - netlink.host.nl_state: %s\n"
            "      register: r\n    - ansible.builtin.assert: {that: [r.changed, r.write_requests > 0]}\n"
            % json.dumps(HOST))
    proc = playbook(tmp_path, inventory(tmp_path, {netns: None}), play)
    assert proc.returncode == 0, proc.stdout
    assert [r["dst"] for r in ip_json(netns, "route", "show", "table", "100")] == ["default", "10.20.0.0/16"]
    assert ip_json(netns, "rule", "show", "priority", "1000"), "the rules section did not run"
    assert [n["dst"] for n in ip_json(netns, "neigh", "show", "dev", "br0", "nud", "permanent")] == [
        "192.0.2.9", "2001:db8::9"]


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
    ("routes", {"dst": "10.50.0.0/16", "gateway": "not-an-ip"}, "routes[4].gateway"),
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


ENC_KEY = "0x" + "0123456789abcdef" * 2
AUTH_KEY = "0x" + "fedcba9876543210" * 4
SA = {"src": "192.0.2.1", "dst": "192.0.2.2", "spi": "0x1000", "reqid": 1,
      "enc": {"name": "cbc(aes)", "key": ENC_KEY}, "auth": {"name": "sha256", "key": AUTH_KEY}}
POLICY = {"dir": "out", "selector": {"src": "192.0.2.0/24", "dst": "10.10.0.0/16"},
          "templates": [{"src": "192.0.2.1", "dst": "192.0.2.2", "proto": "esp", "mode": "tunnel", "reqid": 1}]}


def _no_key(value):
    text = repr(value)
    return all(piece not in text for key in (ENC_KEY, AUTH_KEY) for piece in (key[2:], key[2:18]))


def test_ipsec_policies_beside_the_links_then_nothing_to_do(run_module, netns):
    host = dict(HOST, xfrm_policies=[POLICY])
    out = run_module(MOD, host, netns=netns, diff=True)
    assert not out.get("failed"), out["msg"]
    assert len(out["xfrm_policies"]) == 1 and out["commands"][-1].split(" ", 3)[3].startswith("xfrm policy add")
    again = run_module(MOD, host, netns=netns)
    assert (again["changed"], again["write_requests"]) == (False, 0), again["commands"]
    got = run_module(MOD, {"state": "gathered", "sections": ["xfrm_policies"]}, netns=netns)
    assert list(got["gathered"]) == ["xfrm_policies"]


def test_a_refused_sa_undoes_the_host_and_shows_no_key(run_module, netns):
    """The host kernel has no ESP (tests/vm/ has): the SA, last of the plan,
    is refused, and everything before it is undone; no key anywhere."""
    before = snapshot(netns)
    out = run_module(MOD, dict(HOST, xfrm_states=[SA], xfrm_policies=[POLICY]), netns=netns, diff=True)
    assert out.get("failed") and out.get("undone") is True, out
    assert "xfrm state add" in out["msg"] and "********" in out["msg"]
    assert _no_key(out)
    assert_same(before, snapshot(netns))


def test_a_refusal_at_each_position_restores_the_snapshot(run_module, netns, monkeypatch):
    """The kernel refuses the k-th request, for every k: links, addresses,
    routes and the rule before it are undone, the snapshot is the same."""
    before = snapshot(netns)
    planned = run_module(MOD, dict(HOST), netns=netns, check=True)["commands"]
    for k in range(len(planned)):
        inject(monkeypatch, lambda n, req, k=k: n == k)
        out = run_module(MOD, dict(HOST), netns=netns)
        monkeypatch.undo()
        assert out.get("failed") and out.get("undone") is True, (k, out["msg"])
        refused = [c for c in out["commands"] if "  # refused: " in c]
        assert [c.split("  # ")[0] for c in refused] == [planned[k]], (k, out["commands"])
        assert_same(before, snapshot(netns))


def test_confirm_timeout_covers_the_whole_transaction(run_module, netns):
    """One record for the whole host: rolled back (by nl_confirm, not the
    deadline), links, addresses, routes and rules all go."""
    from ansible_collections.netlink.host.tests.integration.confirm_wait import watchdog_gone
    before = snapshot(netns)
    out = run_module(MOD, dict(HOST, confirm_timeout=600), netns=netns)
    assert not out.get("failed") and out["confirm_id"], out
    back = run_module("nl_confirm", {"state": "rolled_back", "ids": [out["confirm_id"]]})
    assert back["changed"] and back["rolled_back"] == [out["confirm_id"]], back
    assert_same(before, snapshot(netns))
    assert watchdog_gone(out["confirm_id"])


def test_a_links_own_forwarding_stays_after_all_forwarding(run_module, netns, ip):
    """A write to all.forwarding sets every link's: the links section,
    planned before anything is written, plans against that (engine/ahead.py)
    and puts its own back."""
    ip(netns, "link", "add", "d0", "type", "bridge")
    host = {"netconf_all": {"ipv4": {"forwarding": True}}, "links": [{"name": "d0", "ipv4": {"forwarding": False}}]}
    out = run_module(MOD, host, netns=netns)
    assert not out.get("failed"), out["msg"]
    again = run_module(MOD, host, netns=netns)
    assert (again["changed"], again["write_requests"]) == (False, 0), again["commands"]
    assert out["links"][0]["ipv4"]["forwarding"] is False and out["netconf_all"]["ipv4"]["forwarding"] is True
