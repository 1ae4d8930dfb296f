"""--diff shows what an object has, not every field it could have: no
route or rule in a diff lists a field as null, in check mode or for real,
created, changed or removed; what is set is all there."""
import json

import pytest


def nulls(value, path=""):
    """The paths of the null fields of ``value``, at any depth."""
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in (["%s.%s" % (path, k)] if v is None else nulls(v, "%s.%s" % (path, k)))]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in nulls(v, "%s[%d]" % (path, i))]
    return []


def shown(diff):
    """Each side of each diff entry that shows an object, parsed."""
    return [json.loads(entry[side]) for entry in diff for side in ("before", "after") if entry[side]]


def assert_set_only(r, expected):
    """No null field in ``r``'s diff, and each of ``expected`` (a dict of
    fields) shown as given on some side."""
    assert r["diff"], r
    objs = shown(r["diff"])
    assert objs and all(not nulls(obj) for obj in objs), r["diff"]
    assert any(all(obj.get(k) == v for k, v in expected.items()) for obj in objs), (expected, r["diff"])


@pytest.fixture
def ns(netns, ip_batch):
    ip_batch(netns, ["link add veth0 type veth peer name veth1", "link set veth0 up", "link set veth1 up",
                     "addr add 192.0.2.1/24 dev veth0"])
    return netns


@pytest.mark.parametrize("check", [True, False], ids=["check", "run"])
def test_a_route_diff_shows_only_what_is_set(ns, run_module, check):
    route = {"dst": "10.1.0.0/16", "gateway": "192.0.2.2"}
    r = run_module("nl_route", route, check=check, diff=True, netns=ns)
    assert_set_only(r, {"dst": "10.1.0.0/16", "gateway": "192.0.2.2", "protocol": "static"})
    run_module("nl_route", route, netns=ns)
    r = run_module("nl_route", dict(route, gateway="192.0.2.3", mtu=1400), check=check, diff=True, netns=ns)
    assert_set_only(r, {"dst": "10.1.0.0/16", "gateway": "192.0.2.3"})
    assert '"mtu": 1400' in r["diff"][0]["after"] and '"mtu"' not in r["diff"][0]["before"], r["diff"]
    r = run_module("nl_route", dict(route, state="absent"), check=check, diff=True, netns=ns)
    assert_set_only(r, {"dst": "10.1.0.0/16"})


@pytest.mark.parametrize("check", [True, False], ids=["check", "run"])
def test_a_rule_diff_shows_only_what_is_set(ns, run_module, check):
    rule = {"priority": 100, "from": "10.0.0.0/8", "table": 10}
    r = run_module("nl_rule", rule, check=check, diff=True, netns=ns)
    assert_set_only(r, {"priority": 100, "from": "10.0.0.0/8", "table": 10})
    run_module("nl_rule", rule, netns=ns)
    r = run_module("nl_rule", dict(rule, state="absent"), check=check, diff=True, netns=ns)
    assert_set_only(r, {"priority": 100, "from": "10.0.0.0/8"})
