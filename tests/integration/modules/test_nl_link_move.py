"""nl_link to_netns: an existing link moved into another namespace (``ip
link set dev X netns Y``), against the host kernel, in two throwaway
namespaces.

The kernel takes the link down, out of its master, and drops its addresses
and the routes through it: check mode and the diff show each of them and a
warning names them; the second run finds the link where it went and sends
nothing; an undo (a refusal later in the task, commit-confirmed's rollback)
moves it back with its ifindex and restores all of it.
"""
import pytest

from ansible_collections.netlink.host.tests.integration.confirm_wait import records_of
from ansible_collections.netlink.host.tests.integration.snapshots import assert_same, settle, snapshot


@pytest.fixture
def pair(netns, netns_factory, ip_batch):
    """(here, there): ``here`` has bridge br0 with port v0 (up, addresses,
    a route via it) and its peer v1; ``there`` already has links on the
    ifindexes v0 has here, so the kernel gives v0 another one there and
    only IFLA_NEW_IFINDEX brings it back with its own."""
    there = netns_factory()
    ip_batch(there, ["link add d1 type veth peer name d2", "link add d3 type veth peer name d4"])
    ip_batch(netns, [
        "link add br0 type bridge forward_delay 0",
        "link set br0 up",
        "link add v0 type veth peer name v1",
        "link set v0 master br0 alias uplink up",
        "link set v1 up",
        "addr add 192.0.2.1/24 dev v0",
        "addr add 2001:db8:1::1/64 dev v0 nodad",
        "route add 198.51.100.0/24 via 192.0.2.254 dev v0 proto static",
        "route add 10.20.0.0/16 dev v0 table 100",
    ])
    settle(netns)
    return netns, there


def names(ip_json, ns):
    return sorted(l["ifname"] for l in ip_json(ns, "link", "show"))


def test_check_mode_plans_what_is_lost_and_changes_nothing(run_module, pair):
    here, there = pair
    before, before_there = snapshot(here), snapshot(there)
    r = run_module("nl_link", {"name": "v0", "to_netns": there}, check=True, diff=True, netns=here)
    assert r.get("failed") is not True, r
    assert r["changed"] is True and r["write_requests"] == 0
    assert r["commands"] == ["ip -n %s link set dev v0 netns %s" % (here, there)]
    assert_same(before, snapshot(here))
    assert_same(before_there, snapshot(there))
    headers = [d["before_header"] for d in r["diff"]]
    lost = "lost when v0 moves to netns %s" % there
    for what in ("address v0 192.0.2.1/24", "address v0 2001:db8:1::1/64", "route 198.51.100.0/24",
                 "route 10.20.0.0/16 table 100", "link v0, " + lost):
        assert any(h.startswith(what) and lost in h for h in headers), (what, headers)
    assert headers[-1].startswith("link v0, moves to netns %s" % there), headers
    warning = [w for w in r["warnings"] if "moves to netns" in w]
    assert warning and "192.0.2.1/24, 2001:db8:1::1/64" in warning[0] and "2 route(s)" in warning[0] \
        and "membership of br0" in warning[0], r["warnings"]
    assert r["links"] == [{"name": "v0", "kind": "veth", "state": "down", "mtu": 1500,
                           "address": r["links"][0]["address"], "txqueuelen": 1000, "master": "",
                           "alias": "uplink", "to_netns": there}]


def test_move_then_a_second_run_finds_it_there(run_module, pair, ip_json):
    here, there = pair
    r = run_module("nl_link", {"name": "v0", "to_netns": there}, diff=True, netns=here)
    assert r.get("failed") is not True, r
    assert r["changed"] is True and r["write_requests"] == 1
    assert "v0" not in names(ip_json, here) and "v0" in names(ip_json, there)
    v0 = ip_json(there, "addr", "show", "dev", "v0")[0]
    assert "UP" not in v0["flags"] and [a for a in v0["addr_info"] if a["family"] == "inet"] == []
    assert [x for x in ip_json(here, "route", "show", "table", "all") if x.get("dev") == "v0"] == []
    assert r["links"][0]["to_netns"] == there and r["links"][0]["state"] == "down"
    # the second run, and its check mode, look there: nothing to do
    for check in (True, False):
        again = run_module("nl_link", {"name": "v0", "to_netns": there}, check=check, netns=here)
        assert again["changed"] is False and again["write_requests"] == 0 and again["commands"] == [], again
        assert again["links"] == ([] if check else r["links"]), again
    # by path too, and as a links item
    again = run_module("nl_link", {"links": [{"name": "v0", "to_netns": "/run/netns/" + there}]}, netns=here)
    assert again["changed"] is False and again["write_requests"] == 0, again


def test_commit_confirmed_rollback_moves_it_back_with_what_it_lost(run_module, pair, ip_json):
    here, there = pair
    before, before_there = snapshot(here), snapshot(there)
    r = run_module("nl_link", {"name": "v0", "to_netns": there, "confirm_timeout": 600}, netns=here)
    assert r.get("failed") is not True and r["changed"], r
    assert "v0" in names(ip_json, there)
    c = run_module("nl_confirm", {"state": "rolled_back", "ids": [r["confirm_id"]]})
    assert c.get("failed") is not True and c["rolled_back"] == [r["confirm_id"]], c
    rec = [x for x in records_of(here) if x["id"] == r["confirm_id"]][0]
    assert rec["state"] == "rolled_back", rec
    assert rec["undo_commands"][0] == "ip -n %s link set dev v0 netns %s" % (there, here)
    settle(here)
    # ifindex, master, alias, up, addresses, routes of every table: as before
    assert_same(before, snapshot(here))
    assert_same(before_there, snapshot(there))


def test_a_refusal_later_in_the_task_moves_it_back(run_module, pair, ip_json):
    """The kernel refuses to move a bridge (``netns_local``): the move of
    v0 just before it is undone, everything it lost restored."""
    here, there = pair
    before, before_there = snapshot(here), snapshot(there)
    r = run_module("nl_link", {"links": [{"name": "v0", "to_netns": there}, {"name": "br0", "to_netns": there}]},
                   netns=here)
    assert r.get("failed") is True, r
    assert "link set dev br0 netns" in r["msg"] and "immutable" in r["msg"], r["msg"]
    # undo_failures first: a failure then shows why (the whole result is cut short)
    assert r["undo_failures"] == [], r["undo_failures"]
    assert r["undone"] is True, r
    assert r["commands"][0] == "ip -n %s link set dev v0 netns %s" % (here, there), r["commands"]
    assert r["commands"][1].startswith("ip -n %s link set dev br0 netns %s  # refused: " % (here, there)), r["commands"]
    assert len(r["commands"]) == 2, r["commands"]
    settle(here)
    assert_same(before, snapshot(here))
    assert_same(before_there, snapshot(there))


@pytest.mark.parametrize("args,message", [
    ({"name": "v0", "to_netns": "nltest-none-such"}, "to_netns=nltest-none-such: no such network namespace"),
    ({"name": "v0", "to_netns": "../x"}, "to_netns='../x': a path to a network namespace must be absolute"),
    ({"name": "nope0", "to_netns": "THERE"}, "name=nope0: no such link, neither here nor in netns THERE"),
    ({"name": "v0", "to_netns": "THERE", "mtu": 1400}, "to_netns=THERE: moves the link only, mtu cannot be given"),
    ({"name": "v0", "to_netns": "THERE", "state": "up"}, "state=up: with to_netns the state is present"),
    ({"links": [{"name": "v0", "to_netns": "THERE"}, {"name": "mv0", "kind": "macvlan", "link": "v0"}]},
     "links[1].link=v0: this task moves that link to netns THERE"),
])
def test_bad_input_names_the_option_and_changes_nothing(run_module, pair, args, message):
    here, there = pair
    args = dict(args)
    if "to_netns" in args and args["to_netns"] == "THERE":
        args["to_netns"] = there
    if "links" in args:
        args["links"] = [dict(i, to_netns=there) if i.get("to_netns") else i for i in args["links"]]
    message = message.replace("THERE", there)
    before, before_there = snapshot(here), snapshot(there)
    r = run_module("nl_link", args, netns=here)
    assert r.get("failed") is True and message in r["msg"], (message, r.get("msg"))
    assert_same(before, snapshot(here))
    assert_same(before_there, snapshot(there))


def test_a_name_taken_there_is_refused_before_anything(run_module, pair, ip):
    here, there = pair
    ip(there, "link", "add", "v0", "type", "veth", "peer", "name", "v9")
    before, before_there = snapshot(here), snapshot(there)
    r = run_module("nl_link", {"name": "v0", "to_netns": there}, netns=here)
    assert r.get("failed") is True and "to_netns=%s: that namespace has a link named v0 already" % there in r["msg"], r
    assert_same(before, snapshot(here))
    assert_same(before_there, snapshot(there))


def test_commands_replayed_with_ip_move_the_same(run_module, pair, netns_factory, ip, ip_json):
    """The command the task prints, run by ip on a twin, does the same."""
    here, there = pair
    r = run_module("nl_link", {"name": "v1", "to_netns": there}, netns=here)
    assert r.get("failed") is not True, r
    twin, twin_there = netns_factory(), netns_factory()
    ip(twin, "link", "add", "v0", "type", "veth", "peer", "name", "v1")
    line = r["commands"][0].replace(here, twin).replace(there, twin_there)
    words = line.split()
    assert words[:3] == ["ip", "-n", twin]
    ip(twin, *words[3:])
    assert ("v1" in names(ip_json, twin_there)) and ("v1" in names(ip_json, there))
    assert "v1" not in names(ip_json, twin) and "v1" not in names(ip_json, here)


def test_check_mode_of_a_link_an_earlier_task_would_make_warns(run_module, pair):
    """In check mode the link may come from an earlier task of the play:
    nothing to move yet, a warning, and the play's check goes on."""
    here, there = pair
    r = run_module("nl_link", {"name": "new0", "to_netns": there}, check=True, netns=here)
    assert r.get("failed") is not True and r["changed"] is False and r["write_requests"] == 0, r
    assert any(w.startswith("name=new0 does not exist (yet): it is neither here nor in netns") for w in r["warnings"]), r
