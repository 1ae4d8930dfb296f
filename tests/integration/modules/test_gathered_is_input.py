"""``state: gathered`` is input, for every module and every filter its
gathered state takes: a namespace set up with ``ip`` (links, addresses,
routes, rules, neighbour entries, IPsec policies of several kinds, families, tables and
protocols), gathered, and the gathered list fed back through the option
that takes a list, as a user pastes it (``links:``, ``addresses:``,
``routes:``, ``rules:``, ``neighbours:``, ``policies:``/``defaults:``): no change, no write
request, and ``ip`` reads the same kernel state before and after.

SAs cannot be made on the host kernel (no ESP): their round trip runs in
tests/vm/test_nl_xfrm_vm.py.
"""
import json
import subprocess
import time

import pytest

from ansible_collections.netlink.host.tests.integration.snapshots import ip_json, snapshot

run_module = None

SETUP = [
    "link add br0 mtu 1400 type bridge forward_delay 0 stp_state 0",
    "link add veth0 type veth peer name veth1",
    "link set veth1 master br0",
    "link add vx0 type vxlan id 42 dev veth0 dstport 4789 local 10.0.0.1 remote 10.0.0.2",
    "link add mv0 link veth0 type macvlan mode private",
    "tuntap add tap0 mode tap",
    "link set br0 up",
    "link set veth0 up",
    "link set veth1 up",
    "addr add 192.0.2.1/24 dev br0 broadcast +",
    "addr add 192.0.2.2/24 dev br0 label br0:sec",
    "addr add 198.51.100.1/25 dev br0 metric 50 noprefixroute",
    "addr add 2001:db8::1/64 dev br0 nodad",
    "addr add 10.0.0.1 peer 10.0.0.2/30 dev veth0",
    "addr add 2001:db8:5::1/64 dev veth0 nodad",
    "addr add 127.0.0.2/8 dev lo",
    "route add 10.70.0.0/16 via 192.0.2.254 proto static",
    "route add 10.71.0.0/16 via 192.0.2.254 proto bird table 100",
    "route add 10.72.0.0/16 dev br0 proto static table 100 mtu lock 1300",
    "route add 10.73.0.0/16 proto static nexthop via 192.0.2.254 dev br0 nexthop via 10.0.0.2 dev veth0",
    "route add blackhole 10.74.0.0/16 table 200",
    "route add 10.75.0.0/16 via 192.0.2.254 table 100 proto static encap ip id 7 dst 192.0.2.9",
    "route add 2001:db8:71::/48 via 2001:db8::2 proto static pref high",
    "route add 2001:db8:72::/48 dev veth0 table 100 metric 10",
    "rule add priority 100 from 10.1.0.0/16 table 100",
    "rule add priority 110 fwmark 0x10/0xff table 200 proto bird",
    "rule add priority 120 iif br0 to 10.2.0.0/16 table main",
    "rule add priority 130 not from all table 100 suppress_prefixlength 0",
    "xfrm policy add src 10.1.0.0/16 dst 10.2.0.0/16 dir out tmpl src 192.0.2.1 dst 192.0.2.9 proto esp "
    "mode tunnel reqid 1",
    "xfrm policy add src 10.2.0.0/16 dst 10.1.0.0/16 dir in tmpl src 192.0.2.9 dst 192.0.2.1 proto esp "
    "mode tunnel reqid 1 level use",
    "xfrm policy add src 2001:db8:1::/48 dst 2001:db8:2::/48 proto tcp dport 22 dir fwd action block "
    "priority 5 mark 0x7 mask 0xff",
    "xfrm policy setdefault fwd block",
    "neigh add 192.0.2.20 lladdr 02:00:00:00:00:20 dev br0 nud permanent protocol static",
    "neigh add 192.0.2.21 lladdr 02:00:00:00:00:21 dev br0 nud permanent",
    "neigh add 192.0.2.22 lladdr 02:00:00:00:00:22 dev br0 nud noarp protocol bird",
    "neigh add 2001:db8::20 lladdr 02:00:00:00:00:20 dev br0 nud permanent router protocol static",
    "neigh add 2001:db8:5::20 lladdr 02:00:00:00:00:20 dev veth0 nud permanent extern_learn protocol zebra",
    "neigh add 10.0.0.2 lladdr 02:00:00:00:00:02 dev veth0 nud permanent",
    "neigh add proxy 2001:db8::21 dev br0 router protocol static",
    "neigh add proxy 192.0.2.23 dev br0",
]
SETUP6 = [  # run with ip -6
    "rule add priority 100 from 2001:db8:1::/48 table 100",
    "rule add priority 110 ipproto tcp dport 443 table 200 proto static",
]


@pytest.fixture(autouse=True)
def _helpers(request):
    global run_module
    run_module = request.getfixturevalue("run_module")


@pytest.fixture(scope="module")
def lab(module_netns):
    """One namespace for every case (none of them may change it)."""
    ns = module_netns
    for family, lines in (([], SETUP), (["-6"], SETUP6)):
        subprocess.run(["ip"] + family + ["-n", ns, "-batch", "-"], input="\n".join(lines) + "\n", check=True,
                       universal_newlines=True, timeout=60)
    deadline = time.monotonic() + 10
    while any(a.get("tentative") for l in ip_json(ns, "addr", "show") for a in l.get("addr_info", [])):
        # the link-locals' DAD: it ends with routes and flags of its own
        assert time.monotonic() < deadline, "IPv6 DAD did not finish in 10 s"
        time.sleep(0.05)
    return ns


def kernel(ns):
    """What ``ip`` shows (links, addresses, routes, rules of both families, the static neighbours,
    the SPD and its defaults), without what moves by itself."""
    out = snapshot(ns)
    out["rule6"] = ip_json(ns, "-6", "rule", "show")
    out["neigh"] = sorted((n for n in ip_json(ns, "neigh", "show", "nud", "permanent") +
                           ip_json(ns, "neigh", "show", "nud", "noarp") + ip_json(ns, "neigh", "show", "proxy")
                           if not n["dst"].startswith("ff02:")), key=repr)
    for args in (("policy", "show"), ("policy", "getdefault")):
        out["xfrm " + args[1]] = subprocess.run(["ip", "-n", ns, "xfrm"] + list(args), check=True, timeout=30,
                                                stdout=subprocess.PIPE, universal_newlines=True).stdout
    return out


def fed_back(lab, module, filters, option, extra=None):
    """Gather with ``filters`` and feed the result back as ``option`` (with
    ``extra`` options), for real and in check mode: no change, no write
    request, the same kernel.  Returns the gathered list."""
    g = run_module(module, dict(filters, state="gathered"), netns=lab)
    assert not g.get("failed") and g["changed"] is False, g
    items = g["gathered"]
    assert items, (module, filters, "gathered nothing: the case would test nothing")
    before = kernel(lab)
    args = dict(extra or {}, **{option: items})
    for check in (True, False):
        r = run_module(module, args, netns=lab, check=check, diff=True)
        assert not r.get("failed"), (module, filters, check, r.get("msg"))
        assert r["changed"] is False and r["write_requests"] == 0, (module, filters, check, r.get("commands"),
                                                                    r.get("diff"))
    assert kernel(lab) == before
    return items


# -- nl_link -----------------------------------------------------------------

@pytest.mark.parametrize("filters", [{}, {"name": "br0"}, {"name": "lo"},
                                     {"links": [{"name": "veth0"}, {"name": "veth1"}]}],
                         ids=["all", "name=br0", "name=lo", "links"])
def test_nl_link(lab, filters):
    items = fed_back(lab, "nl_link", filters, "links")
    if filters.get("name"):
        assert [i["name"] for i in items] == [filters["name"]]


# -- nl_addr -----------------------------------------------------------------

@pytest.mark.parametrize("state", ["present", "replaced"])
def test_nl_addr_every_device_as_addresses(lab, state):
    """The flat list of every device's addresses, each naming its dev, is
    the ``addresses`` of one task without ``dev``."""
    items = fed_back(lab, "nl_addr", {}, "addresses", extra={"state": state})
    assert set(i["dev"] for i in items) == {"lo", "br0", "veth0", "veth1"}, items


@pytest.mark.parametrize("dev", ["lo", "br0", "veth0", "veth1"])
@pytest.mark.parametrize("state", ["present", "replaced"])
@pytest.mark.parametrize("top_dev", [False, True], ids=["items-name-dev", "top-level-dev"])
def test_nl_addr_one_device(lab, dev, state, top_dev):
    extra = {"state": state}
    if top_dev:
        extra["dev"] = dev
    items = fed_back(lab, "nl_addr", {"dev": dev}, "addresses", extra=extra)
    assert set(i["dev"] for i in items) == {dev}


# -- nl_route ----------------------------------------------------------------

ROUTE_FILTERS = [{}, {"family": 4}, {"family": "inet6"}, {"table": 100}, {"table": "main"}, {"table": "local"},
                 {"table": 200, "family": 4}, {"protocol": "static"}, {"protocol": "kernel"}, {"protocol": "bird"},
                 {"dev": "br0"}, {"dev": "veth0", "family": 6}, {"dev": "lo"}]


@pytest.mark.parametrize("filters", ROUTE_FILTERS, ids=[repr(f) for f in ROUTE_FILTERS])
def test_nl_route(lab, filters):
    fed_back(lab, "nl_route", filters, "routes")


@pytest.mark.parametrize("filters", [{}, {"table": 100}, {"table": "main"}], ids=["all", "table=100", "main"])
def test_nl_route_replaced(lab, filters):
    """``replaced`` owns the static routes of the tables the items name:
    every route of those tables, gathered and fed back with it, is exactly
    what is there."""
    fed_back(lab, "nl_route", filters, "routes", extra={"state": "replaced"})


@pytest.mark.parametrize("module, option", [("nl_route", "routes"), ("nl_rule", "rules"), ("nl_neigh", "neighbours")])
def test_gathered_file_is_input_too(lab, tmp_path, module, option):
    """``gathered_file`` holds the same JSON list (read with from_json)."""
    path = tmp_path / "gathered.json"
    r = run_module(module, {"state": "gathered", "gathered_file": str(path)}, netns=lab)
    assert r["changed"] and r["gathered_count"] > 5, r
    items = json.loads(path.read_text())
    assert items == run_module(module, {"state": "gathered"}, netns=lab)["gathered"]
    before = kernel(lab)
    r = run_module(module, {option: items}, netns=lab)
    assert not r.get("failed") and r["changed"] is False and r["write_requests"] == 0, r
    assert kernel(lab) == before


# -- nl_rule -----------------------------------------------------------------

RULE_FILTERS = [{}, {"family": 4}, {"family": 6}, {"table": 100}, {"table": "main"}, {"protocol": "bird"},
                {"protocol": "kernel"}, {"family": 6, "table": 200, "protocol": "static"}]


@pytest.mark.parametrize("filters", RULE_FILTERS, ids=[repr(f) for f in RULE_FILTERS])
def test_nl_rule(lab, filters):
    fed_back(lab, "nl_rule", filters, "rules")


def test_nl_rule_replaced_with_every_rule(lab):
    """``replaced`` removes the unlisted static rules of the tables the
    list names: with every rule listed, none."""
    fed_back(lab, "nl_rule", {}, "rules", extra={"state": "replaced"})


# -- nl_neigh ----------------------------------------------------------------

NEIGH_FILTERS = [{}, {"dev": "br0"}, {"family": 6}, {"nud": "noarp", "family": 4}, {"dev": "veth0", "family": 6}]


@pytest.mark.parametrize("filters", NEIGH_FILTERS, ids=[repr(f) for f in NEIGH_FILTERS])
def test_nl_neigh(lab, filters):
    fed_back(lab, "nl_neigh", filters, "neighbours")


def test_nl_neigh_replaced_with_every_entry(lab):
    """``replaced`` of br0 with every static entry of br0 listed removes none."""
    items = fed_back(lab, "nl_neigh", {"dev": "br0"}, "neighbours")
    fed_back(lab, "nl_neigh", {"dev": "br0"}, "neighbours", extra={"state": "replaced", "dev": "br0"})
    assert items


# -- nl_xfrm -----------------------------------------------------------------

@pytest.mark.parametrize("show_keys", [False, True])
def test_nl_xfrm_policies_and_defaults(lab, show_keys):
    g = run_module("nl_xfrm", {"state": "gathered", "show_keys": show_keys}, netns=lab)["gathered"]
    assert len(g["policies"]) == 3 and g["defaults"]["fwd"] == "block" and g["states"] == [], g
    before = kernel(lab)
    for state in ("present", "replaced"):
        args = {"state": state, "states": g["states"], "policies": g["policies"], "defaults": g["defaults"]}
        r = run_module("nl_xfrm", args, netns=lab, diff=True)
        assert not r.get("failed") and r["changed"] is False and r["write_requests"] == 0, (state, r)
    assert kernel(lab) == before
