"""nl_fdb against this machine's kernel, in throwaway namespaces: a VXLAN
overlay across three namespaces whose head-end replication (the all-zero
MAC's flood list) is made by nl_fdb, proven by ping between their
bridges; every field through check mode, apply, a second run without a
write, --diff and absent; changes in place; replaced and absent leave
learned entries and the kernel's own alone; bad inputs refused with
nothing changed; the commands replayed with ``bridge -batch`` in a fresh
namespace give the same state; gathered output is input."""
import subprocess

import pytest

from ansible_collections.netlink.host.tests.integration.faults import inject
from ansible_collections.netlink.host.tests.integration.modules.fdb_helpers import fdb_of, vxlan_on_bridge

MOD = "nl_fdb"
ZERO = "00:00:00:00:00:00"
MAC = "02:00:00:00:00:09"


def ping(ns, dst, wait=1):
    """Whether ``dst`` answers a ping within ``wait`` seconds."""
    cmd = ["ip", "netns", "exec", ns, "ping", "-c", "1", "-i", "0.2", "-w", str(wait), dst]
    return subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=30,
                          check=False).returncode == 0


def bridge(ns, *args, **kw):
    proc = subprocess.run(["bridge", "-n", ns] + list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True, timeout=30, check=False, **kw)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


@pytest.fixture
def vx(netns, run_module):
    """br0 and vx0 (VXLAN 42, port 4789) on it, and a veth v0 (peer v1)
    as a second port of br0."""
    vxlan_on_bridge(run_module, netns, extra=[
        {"name": "v0", "kind": "veth", "veth": {"peer": "v1"}, "master": "br0", "state": "up"},
        {"name": "v1", "state": "up"}])
    return netns


@pytest.mark.slow(15)
def test_vxlan_overlay_across_three_namespaces(netns_factory, run_module):
    """Three namespaces on one underlay (a hub namespace's bridge), each
    with a bridge and a VXLAN device on it that does not learn remotes:
    nothing reaches the others' bridges until nl_fdb gives each VXLAN
    device a flood list of the other two VTEPs."""
    hub = netns_factory()
    spokes = [netns_factory(), netns_factory(), netns_factory()]
    assert not run_module("nl_link", {"name": "hb", "kind": "bridge", "state": "up"}, netns=hub).get("failed")
    for i, ns in enumerate(spokes, 1):
        r = run_module("nl_link", {"name": "u0", "kind": "veth", "state": "up",
                                   "veth": {"peer": "p%d" % i, "peer_netns": hub}}, netns=ns)
        assert not r.get("failed"), r
        r = run_module("nl_link", {"name": "p%d" % i, "master": "hb", "state": "up"}, netns=hub)
        assert not r.get("failed"), r
        assert not run_module("nl_addr", {"dev": "u0", "address": "10.99.0.%d/24" % i}, netns=ns).get("failed")
        vxlan_on_bridge(run_module, ns, local="10.99.0.%d" % i)
        assert not run_module("nl_addr", {"dev": "br0", "address": "10.200.0.%d/24" % i}, netns=ns).get("failed")
    assert not ping(spokes[0], "10.200.0.2")
    for i, ns in enumerate(spokes, 1):
        remotes = [{"mac": ZERO, "dst": "10.99.0.%d" % j} for j in (1, 2, 3) if j != i]
        r = run_module(MOD, {"dev": "vx0", "entries": remotes}, netns=ns)
        assert r["changed"] and r["write_requests"] == 2, r
        assert r["commands"][0] == "bridge -n %s fdb append %s dev vx0 self dst %s permanent" % (
            ns, ZERO, remotes[0]["dst"]), r
        again = run_module(MOD, {"dev": "vx0", "entries": remotes}, netns=ns)
        assert again["changed"] is False and again["write_requests"] == 0, again
    assert ping(spokes[0], "10.200.0.2", 5) and ping(spokes[0], "10.200.0.3", 5) and ping(spokes[1], "10.200.0.3", 5)
    # the flood list is a set: a rerun in another order writes nothing
    ns = spokes[0]
    r = run_module(MOD, {"dev": "vx0", "entries": [{"mac": ZERO, "dst": "10.99.0.3"}, {"mac": ZERO, "dst": "10.99.0.2"}]},
                   netns=ns)
    assert r["changed"] is False and r["write_requests"] == 0, r


# (name, the device, module args, what the library reads back of the entry)
FIELDS = [
    ("flood", "vx0", {"mac": ZERO, "dst": "192.0.2.2"}, {"entry_state": "permanent", "master": False}),
    ("unicast_remote", "vx0", {"mac": MAC, "dst": "192.0.2.2"}, {"dst": "192.0.2.2", "vni": None}),
    ("vni_port", "vx0", {"mac": MAC, "dst": "192.0.2.2", "vni": 43, "port": 4790}, {"vni": 43, "port": 4790}),
    ("own_vni_port", "vx0", {"mac": MAC, "dst": "192.0.2.2", "vni": 42, "port": 4789}, {"vni": None, "port": None}),
    ("vxlan_static", "vx0", {"mac": MAC, "dst": "192.0.2.2", "entry_state": "static"}, {"entry_state": "static"}),
    ("multicast_remote", "vx0", {"mac": "01:00:5e:00:00:09", "dst": "192.0.2.3"}, {"dst": "192.0.2.3"}),
    ("master_static", "v0", {"mac": MAC, "master": True, "entry_state": "static"},
     {"master": True, "entry_state": "static"}),
    ("master_permanent", "v0", {"mac": MAC, "master": True}, {"master": True, "entry_state": "permanent"}),
    ("master_sticky", "v0", {"mac": MAC, "master": True, "entry_state": "static", "sticky": True}, {"sticky": True}),
    ("vxlan_port_master", "vx0", {"mac": MAC, "master": True, "entry_state": "static"}, {"master": True}),
    ("bridge_self", "br0", {"mac": MAC}, {"master": False, "entry_state": "permanent"}),
    ("veth_self", "v1", {"mac": MAC}, {"master": False}),
    ("dynamic", "v0", {"mac": MAC, "master": True, "entry_state": "dynamic"}, {"entry_state": "dynamic"}),
]


@pytest.mark.parametrize("dev,args,shown", [f[1:] for f in FIELDS], ids=[f[0] for f in FIELDS])
def test_field(vx, run_module, dev, args, shown):
    args = dict(args, dev=dev)
    # What a user could have added (the kernel's own entries come and go:
    # a link-local's solicited-node group joins after the link is up).
    unchecked = fdb_of(vx, dev)
    r = run_module(MOD, args, netns=vx, check=True)
    assert r["changed"] and r["write_requests"] == 0 and len(r["commands"]) == 1, r
    assert fdb_of(vx, dev) == unchecked
    before = fdb_of(vx)
    r = run_module(MOD, args, netns=vx, diff=True)
    assert r["changed"] and r["write_requests"] == 1, r
    assert len(r["diff"]) == 1 and r["diff"][0]["before"] == "" and args["mac"] in r["diff"][0]["after"]
    (got,) = [e for e in fdb_of(vx, dev, owned_only=False) if e["mac"] == args["mac"] and e["master"] == shown.get(
        "master", e["master"]) and e["dst"] == args.get("dst")]
    assert r["entries"] == [got]
    for key, value in shown.items():
        assert got[key] == value, (key, got)
    again = run_module(MOD, args, netns=vx)
    assert again["changed"] is False and again["write_requests"] == 0 and again["commands"] == [], again
    if got["entry_state"] == "dynamic":
        return  # a dynamic entry is the kernel's to age: absent leaves it (test_absent_and_replaced_leave_learned)
    gone = run_module(MOD, dict(args, state="absent"), netns=vx, diff=True)
    assert gone["changed"] and gone["write_requests"] == 1 and gone["diff"][0]["after"] == "", gone
    assert fdb_of(vx) == before
    assert run_module(MOD, dict(args, state="absent"), netns=vx)["changed"] is False


def test_bridge_shows_what_the_module_made(vx, run_module):
    run_module(MOD, {"entries": [{"dev": "vx0", "mac": ZERO, "dst": "192.0.2.2"},
                                 {"dev": "vx0", "mac": ZERO, "dst": "192.0.2.3"},
                                 {"dev": "v0", "mac": MAC, "master": True, "entry_state": "static", "sticky": True}]},
               netns=vx)
    shown = bridge(vx, "fdb", "show", "dev", "vx0")
    assert "00:00:00:00:00:00 dst 192.0.2.2 self permanent" in shown and "dst 192.0.2.3 self permanent" in shown, shown
    shown = bridge(vx, "fdb", "show", "dev", "v0")
    (line,) = [x for x in shown.splitlines() if x.startswith(MAC)]
    assert "master br0 static" in line and "sticky" in line, shown


CHANGES = [
    ("dst", {"dev": "vx0", "mac": MAC, "dst": "192.0.2.2"}, {"dst": "192.0.2.3"}),
    ("vni", {"dev": "vx0", "mac": MAC, "dst": "192.0.2.2"}, {"vni": 7}),
    ("state_on_flood", {"dev": "vx0", "mac": ZERO, "dst": "192.0.2.2"}, {"entry_state": "static"}),
    ("master_state", {"dev": "v0", "mac": MAC, "master": True}, {"entry_state": "static"}),
    ("sticky", {"dev": "v0", "mac": MAC, "master": True, "entry_state": "static"}, {"sticky": True}),
]


@pytest.mark.parametrize("first,change", [c[1:] for c in CHANGES], ids=[c[0] for c in CHANGES])
def test_changed_in_place(vx, run_module, first, change):
    run_module(MOD, first, netns=vx)
    r = run_module(MOD, dict(first, **change), netns=vx, diff=True)
    assert r["changed"] and r["write_requests"] == 1 and len(r["diff"]) == 1, r
    (got,) = [e for e in fdb_of(vx, first["dev"]) if e["mac"] == first["mac"]]
    for key, value in change.items():
        assert got[key] == value, (key, got)
    assert run_module(MOD, dict(first, **change), netns=vx)["write_requests"] == 0


def test_absent_and_replaced_leave_learned_and_the_kernels_own(vx, run_module):
    """A learned entry (dynamic) and the kernel's own (the ports' addresses
    in the bridge, the multicast addresses of the devices) survive
    absent and replaced; the entries listed stay, the others go."""
    bridge(vx, "fdb", "add", "02:00:00:00:00:0d", "dev", "v0", "master", "dynamic")
    bridge(vx, "fdb", "append", ZERO, "dev", "vx0", "dst", "192.0.2.7")
    bridge(vx, "fdb", "add", "02:00:00:00:00:0e", "dev", "v0", "master", "static")
    kernel_own = [e for e in fdb_of(vx, owned_only=False) if e["entry_state"] != "dynamic"
                  and e not in fdb_of(vx)]
    assert kernel_own, "the kernel made no entries of its own"
    r = run_module(MOD, {"dev": "v0", "mac": "02:00:00:00:00:0d", "master": True, "state": "absent"}, netns=vx)
    assert r["changed"] is False, r
    r = run_module(MOD, {"state": "replaced", "entries": [
        {"dev": "vx0", "mac": ZERO, "dst": "192.0.2.2"}, {"dev": "v0", "mac": MAC, "master": True}]}, netns=vx, diff=True)
    assert r["changed"] and r["write_requests"] == 4, r
    assert sorted(c.split()[5] for c in r["commands"] if " del " in c) == [ZERO, "02:00:00:00:00:0e"], r["commands"]
    every = fdb_of(vx, owned_only=False)
    assert [e["mac"] for e in fdb_of(vx)] == [ZERO, MAC] or sorted(e["mac"] for e in fdb_of(vx)) == [ZERO, MAC]
    assert any(e["mac"] == "02:00:00:00:00:0d" for e in every), every
    for own in kernel_own:
        assert own in every, own
    again = run_module(MOD, {"state": "replaced", "entries": [
        {"dev": "vx0", "mac": ZERO, "dst": "192.0.2.2"}, {"dev": "v0", "mac": MAC, "master": True}]}, netns=vx)
    assert again["changed"] is False and again["write_requests"] == 0, again


def test_a_stacked_devices_address_is_the_kernels(vx, run_module):
    """A macvlan with a MAC of its own puts it in its lower device's
    address list, where ``bridge fdb show dev v1`` shows it as ``self
    permanent``: replaced on v1 takes the entry a user added there and
    leaves the macvlan's (its traffic would stop), and deleting v1 does
    not plan it (the kernel makes it again with the macvlan)."""
    run_module("nl_link", {"links": [{"name": "mv1", "kind": "macvlan", "link": "v1", "address": "02:00:00:00:0c:01",
                                      "macvlan": {"mode": "bridge"}, "state": "up"}]}, netns=vx)
    bridge(vx, "fdb", "add", "02:00:00:00:00:0f", "dev", "v1", "self", "permanent")
    shown = bridge(vx, "fdb", "show", "dev", "v1")
    assert "02:00:00:00:0c:01 self permanent" in shown and "02:00:00:00:00:0f self permanent" in shown, shown
    r = run_module(MOD, {"dev": "v1", "entries": [], "state": "replaced"}, netns=vx)
    assert r["changed"] and r["commands"] == ["bridge -n %s fdb del 02:00:00:00:00:0f dev v1 self" % vx], r
    shown = bridge(vx, "fdb", "show", "dev", "v1")
    assert "02:00:00:00:0c:01 self permanent" in shown and "02:00:00:00:00:0f" not in shown, shown
    r = run_module("nl_link", {"links": [{"name": "v1", "state": "absent"}]}, netns=vx, check=True, diff=True)
    assert not [d for d in r["diff"] if d["before_header"].startswith("fdb ")], r["diff"]


BAD = [
    ("bad_mac", {"dev": "vx0", "mac": "02:00:00:00:09", "dst": "192.0.2.2"}, "mac"),
    ("bad_mac_word", {"dev": "vx0", "mac": "zz:00:00:00:00:09"}, "mac"),
    ("vlan_4095", {"dev": "v0", "mac": MAC, "master": True, "vlan": 4095}, "vlan"),
    ("vlan_0", {"dev": "v0", "mac": MAC, "master": True, "vlan": 0}, "vlan"),
    ("vni_out_of_range", {"dev": "vx0", "mac": MAC, "dst": "192.0.2.2", "vni": 1 << 24}, "vni"),
    ("src_vni_out_of_range", {"dev": "vx0", "mac": MAC, "src_vni": -1}, "src_vni"),
    ("dst_on_a_veth", {"dev": "v1", "mac": MAC, "dst": "192.0.2.2"}, "dst"),
    ("vni_without_dst", {"dev": "vx0", "mac": MAC, "vni": 5}, "vni"),
    ("master_without_master", {"dev": "v1", "mac": MAC, "master": True}, "master"),
    ("master_on_the_bridge", {"dev": "br0", "mac": MAC, "master": True}, "master"),
    ("dst_on_master", {"dev": "vx0", "mac": MAC, "master": True, "dst": "192.0.2.2"}, "dst"),
    ("vlan_on_vxlan_self", {"dev": "vx0", "mac": MAC, "vlan": 5, "dst": "192.0.2.2"}, "vlan"),
    ("dst_of_the_other_family", {"dev": "vx0", "mac": ZERO, "dst": "2001:db8::2"}, "dst"),
    ("bad_dst", {"dev": "vx0", "mac": MAC, "dst": "192.0.2.300"}, "dst"),
    ("no_such_dev", {"dev": "nope0", "mac": MAC}, "dev"),
    ("unknown_key", {"entries": [{"dev": "vx0", "mac": MAC, "lladdr": MAC}]}, "entries[0]"),
    ("twice", {"dev": "vx0", "entries": [{"mac": ZERO, "dst": "192.0.2.2"}, {"mac": ZERO, "dst": "192.0.2.2"}]},
     "entries[1]"),
]


@pytest.mark.parametrize("args,option", [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_bad_input_refused_with_nothing_changed(vx, run_module, args, option):
    # one good entry beside the bad one: it is not written either
    before = fdb_of(vx)
    if "entries" not in args:
        args = {"entries": [{"dev": "vx0", "mac": ZERO, "dst": "192.0.2.9"}, args]}
    r = run_module(MOD, args, netns=vx)
    assert r.get("failed") and not r.get("write_requests"), r
    assert option in r["msg"], r["msg"]
    assert fdb_of(vx) == before


def test_commands_replayed_with_bridge_batch(vx, netns_factory, run_module):
    """What the module sent, as ``bridge -batch`` runs it in a fresh
    namespace with the same links, gives the same entries."""
    entries = [{"dev": "vx0", "mac": ZERO, "dst": "192.0.2.2"}, {"dev": "vx0", "mac": ZERO, "dst": "192.0.2.3"},
               {"dev": "vx0", "mac": MAC, "dst": "192.0.2.2", "vni": 7, "port": 4790, "entry_state": "static"},
               {"dev": "v0", "mac": MAC, "master": True, "entry_state": "static", "sticky": True},
               {"dev": "br0", "mac": "02:00:00:00:00:0b"}]
    r = run_module(MOD, {"entries": entries}, netns=vx)
    assert r["changed"] and len(r["commands"]) == len(entries), r
    fresh = netns_factory()
    vxlan_on_bridge(run_module, fresh, extra=[
        {"name": "v0", "kind": "veth", "veth": {"peer": "v1"}, "master": "br0", "state": "up"},
        {"name": "v1", "state": "up"}])
    prefix = "bridge -n %s " % vx
    lines = [c[len(prefix):] for c in r["commands"]]
    assert all(c.startswith(prefix) for c in r["commands"]), r["commands"]
    bridge(fresh, "-batch", "-", input="\n".join(lines) + "\n")
    assert fdb_of(fresh) == fdb_of(vx)


def test_gathered_is_input(vx, run_module):
    entries = [{"dev": "vx0", "mac": ZERO, "dst": "192.0.2.2"},
               {"dev": "vx0", "mac": MAC, "dst": "192.0.2.2", "vni": 7},
               {"dev": "v0", "mac": MAC, "master": True, "entry_state": "static"}]
    run_module(MOD, {"entries": entries}, netns=vx)
    g = run_module(MOD, {"state": "gathered"}, netns=vx)
    assert sorted(map(repr, g["gathered"])) == sorted(map(repr, entries)), g
    one = run_module(MOD, {"state": "gathered", "dev": "vx0"}, netns=vx)
    assert len(one["gathered"]) == 2, one
    again = run_module(MOD, {"entries": g["gathered"], "state": "replaced", "dev": "vx0"}, netns=vx)
    assert again["changed"] is False and again["write_requests"] == 0, again


def test_entries_go_with_their_link(vx, run_module):
    """Deleting the VXLAN device with nl_link plans its entries with it,
    and its diff shows them."""
    run_module(MOD, {"dev": "vx0", "entries": [{"mac": ZERO, "dst": "192.0.2.2"}, {"mac": MAC, "dst": "192.0.2.3"}]},
               netns=vx)
    r = run_module("nl_link", {"links": [{"name": "vx0", "state": "absent"}]}, netns=vx, check=True, diff=True)
    gone = sorted(d["before_header"] for d in r["diff"] if d["before_header"].startswith("fdb "))
    assert gone == sorted(["fdb %s dev vx0 self dst 192.0.2.2, goes with link vx0 (before)" % ZERO,
                           "fdb %s dev vx0 self, goes with link vx0 (before)" % MAC]), r["diff"]
    assert r["commands"] == ["ip -n %s link del dev vx0" % vx]   # the kernel deletes them: no request of their own


def test_a_bridges_entries_on_its_ports_go_with_it_and_come_back(vx, run_module, monkeypatch):
    """Deleting br0 flushes its FDB: its own entry and the entries it holds
    on its ports (v0's static entry, vx0's) are planned with the delete (one
    dump), vx0's own remote is
    not (vx0 stays), and when a later request of the task is refused the
    undo puts them back on the ports once they are in the bridge again."""
    entries = [{"dev": "v0", "mac": MAC, "master": True, "entry_state": "static"},
               {"dev": "vx0", "mac": "02:00:00:00:00:0a", "master": True, "entry_state": "static"},
               {"dev": "vx0", "mac": ZERO, "dst": "192.0.2.2"},
               {"dev": "br0", "mac": "02:00:00:00:00:0b"}]
    assert run_module(MOD, {"entries": entries}, netns=vx)["changed"]
    before = fdb_of(vx)
    plan = {"links": [{"name": "br0", "state": "absent"}, {"name": "late0", "kind": "dummy"}]}
    r = run_module("nl_link", plan, netns=vx, check=True, diff=True)
    gone = sorted(d["before_header"] for d in r["diff"] if d["before_header"].startswith("fdb "))
    assert gone == ["fdb %s dev v0 master, goes with link br0 (before)" % MAC,
                    "fdb 02:00:00:00:00:0a dev vx0 master, goes with link br0 (before)",
                    "fdb 02:00:00:00:00:0b dev br0 self, goes with link br0 (before)"], r["diff"]
    inject(monkeypatch, lambda n, req: " link add late0 " in str(req.label or ""))
    r = run_module("nl_link", plan, netns=vx)
    monkeypatch.undo()
    assert r.get("failed") and r["undone"] is True, r
    assert fdb_of(vx) == before
