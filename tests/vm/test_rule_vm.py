"""nl_rule on the stock kernels of the matrix: l3mdev rules with a real
VRF (the host kernel has no vrf), and dscp (FRA_DSCP, Linux 6.12+): made
and read back where the kernel has it, refused before any change where
it does not (an older kernel would drop the attribute and make a rule
that matches every packet)."""
import platform


def kernel_at_least(major, minor):
    parts = platform.release().split(".")
    return (int(parts[0]), int(parts[1].split("-")[0])) >= (major, minor)


def rules(ns, *args):
    return ns.ip_json("rule", "show", *args)


def test_l3mdev_rules_with_a_vrf(netns, run_module):
    netns.ip("link", "add", "red", "type", "vrf", "table", "10")
    netns.ip("link", "set", "red", "up")
    netns.ip("link", "add", "d0", "type", "dummy")
    netns.ip("link", "set", "d0", "master", "red", "up")
    # the first VRF brings the kernel's own l3mdev rule (priority 1000,
    # protocol kernel): ours beside it, and it stays
    args = {"rules": [{"priority": 1000, "l3mdev": True},
                      {"priority": 1001, "l3mdev": True, "action": "unreachable"},
                      {"priority": 900, "iif": "red", "table": 10}]}
    r = run_module("nl_rule", args, check=True, netns=netns.name)
    assert r["changed"] and r["write_requests"] == 0, r
    r = run_module("nl_rule", args, netns=netns.name)
    assert r.get("failed") is not True and r["write_requests"] == 3, r
    shown = dict((x["priority"], x) for x in rules(netns) if x.get("protocol") != "kernel")
    assert "l3mdev" in shown[1000] and "table" not in shown[1000], shown[1000]
    assert shown[1001].get("action") == "unreachable" and "l3mdev" in shown[1001]
    assert shown[900]["iif"] == "red" and shown[900]["table"] == "10"
    again = run_module("nl_rule", args, netns=netns.name)
    assert again["changed"] is False and again["write_requests"] == 0, again
    gone = run_module("nl_rule", {"priority": 1000, "l3mdev": True, "state": "absent"}, netns=netns.name)
    assert gone["changed"] and gone["write_requests"] == 1, gone
    assert [x.get("protocol", "kernel") for x in rules(netns, "priority", "1000")] == ["kernel"]


def test_dscp_where_the_kernel_has_it(netns, run_module):
    args = {"priority": 1200, "dscp": 46, "table": 100}
    before = rules(netns)
    r = run_module("nl_rule", args, netns=netns.name)
    if not kernel_at_least(6, 12):
        assert r.get("failed") and "dscp=46" in r["msg"] and "6.12" in r["msg"], r
        assert rules(netns) == before
        return
    assert r.get("failed") is not True and r["rules"][0]["dscp"] == 46, r
    again = run_module("nl_rule", args, netns=netns.name)
    assert again["changed"] is False and again["write_requests"] == 0, again
    other = run_module("nl_rule", dict(args, dscp=10), netns=netns.name)
    assert other["changed"] and len(rules(netns, "priority", "1200")) == 2, other
