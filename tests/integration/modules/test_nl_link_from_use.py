"""nl_link as users run it, against the host kernel in throwaway namespaces:
a namespace given by path (and its ``commands`` run as printed), a veth whose
peer lives in another namespace, gathered output fed back as input, and the
kernel's quirks that must not make a task loop.
"""
import json
import os
import signal
import subprocess
import time

import pytest

from test_nl_link import converge, links


def view(state):
    """What a user configures on a link, by name (ifindex and MACs differ
    between namespaces)."""
    out = {}
    for l in state:
        info = l.get("linkinfo") or {}
        out[l["ifname"]] = (l.get("mtu"), l.get("master"), "UP" in l["flags"], l.get("ifalias"),
                            info.get("info_kind"), l.get("link"), l.get("txqlen"))
    return out


def nsenter_ip_json(path, *args):
    out = subprocess.run(["nsenter", "--net=" + path, "ip", "-j"] + list(args), check=True,
                         stdout=subprocess.PIPE, universal_newlines=True, timeout=30).stdout
    return json.loads(out) if out.strip() else []


@pytest.fixture
def unnamed_netns():
    """A namespace only a path names: /proc/PID/ns/net of a process of ours."""
    proc = subprocess.Popen(["unshare", "--net", "sleep", "300"])
    path = "/proc/%d/ns/net" % proc.pid
    try:
        for _attempt in range(100):  # until unshare has switched namespaces
            if os.readlink(path) != os.readlink("/proc/self/ns/net"):
                break
            time.sleep(0.05)
        else:
            raise AssertionError("unshare --net did not start")
        subprocess.run(["nsenter", "--net=" + path, "ip", "link", "set", "lo", "up"], check=True, timeout=30)
        yield path
    finally:
        os.kill(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)


TASK = {"links": [
    {"name": "br0", "kind": "bridge", "state": "up", "mtu": 1400, "alias": "lab bridge"},
    {"name": "v0", "kind": "veth", "veth": {"peer": "v1"}, "master": "br0", "state": "up", "txqueuelen": 500},
    {"name": "v1", "state": "up", "mtu": 1400},
    {"name": "mv0", "kind": "macvlan", "link": "v1", "macvlan": {"mode": "bridge"}},
]}


@pytest.mark.parametrize("how", ["run-netns-path", "proc-pid-path"])
def test_netns_by_path_prints_runnable_commands(run_module, netns, netns_factory, unnamed_netns, ip_json, how):
    """Check mode on a namespace given by path prints ``nsenter --net=PATH
    ip ...``; those commands, run by a shell, build the same links as the
    module builds in another namespace, and the module then finds nothing
    to do there."""
    path = "/run/netns/%s" % netns_factory() if how == "run-netns-path" else unnamed_netns
    planned = run_module("nl_link", TASK, check=True, netns=path)
    assert planned.get("failed") is not True, planned
    assert all(c.startswith("nsenter --net=%s ip " % path) for c in planned["commands"]), planned["commands"]
    for command in planned["commands"]:
        subprocess.run(command, shell=True, check=True, timeout=30)
    applied = run_module("nl_link", TASK, netns=netns)
    assert applied["changed"] is True and applied["commands"] == [c.replace("nsenter --net=%s ip" % path,
                                                                            "ip -n %s" % netns)
                                                                  for c in planned["commands"]]
    assert view(nsenter_ip_json(path, "-d", "link", "show")) == view(ip_json(netns, "-d", "link", "show"))
    again = run_module("nl_link", TASK, netns=path)
    assert again["changed"] is False and again["write_requests"] == 0, again["commands"]


@pytest.mark.parametrize("spelling", ["name", "path"])
def test_veth_with_peer_in_another_namespace_converges(run_module, netns, netns_factory, ip_json, spelling):
    """The container pattern: the second run finds the peer where it was
    put (by namespace id, whatever the namespace is called) and sends
    nothing."""
    other = netns_factory()
    peer_netns = other if spelling == "name" else "/run/netns/" + other
    args = {"name": "veth0", "kind": "veth", "state": "up", "mtu": 1450,
            "veth": {"peer": "ceth0", "peer_netns": peer_netns}}
    r = converge(run_module, netns, args)
    assert r["commands"] == ["ip -n %s link add veth0 mtu 1450 up type veth peer name ceth0 netns %s"
                             % (netns, peer_netns)]
    assert "ceth0" not in links(ip_json, netns) and "ceth0" in links(ip_json, other)
    assert links(ip_json, netns)["veth0"]["link_netnsid"] == 0
    # the result and a later run show the peer as the task spelled it
    r = run_module("nl_link", args, netns=netns)
    assert r["links"][0]["veth"] == {"peer": "ceth0", "peer_netns": peer_netns}
    # a peer asked in a different namespace is a change the kernel cannot make in place
    third = netns_factory()
    r = run_module("nl_link", dict(args, veth={"peer": "ceth0", "peer_netns": third}), netns=netns)
    assert r["failed"] and "recreate" in r["msg"], r


def test_gathered_output_round_trips_on_a_realistic_namespace(run_module, netns, netns_factory, ip_batch, ip):
    """Everything `state: gathered` returns, lo included, fed back as
    input: no change, no write request."""
    other = netns_factory()
    ip_batch(netns, [
        "link set lo mtu 65536",
        "link add br0 mtu 1400 type bridge forward_delay 0 stp_state 0",
        "link add p0 mtu 1400 master br0 txqueuelen 500 type veth peer name p1",
        "link add p2 master br0 type veth peer name p3",
        "link set dev p0 alias 'first port'",
        "link add mv0 link p1 address 02:00:00:00:00:42 type macvlan mode private",
        "link add vx0 type vxlan id 42 dev p3 local 192.0.2.1 remote 192.0.2.2 dstport 4789 ttl 16",
        "link add br1 type bridge stp_state 1 forward_delay 400 hello_time 150 priority 4096",
        "link add veth9 type veth peer name ceth9 netns %s" % other,
        "link set br0 up",
        "link set p0 up",
    ])
    ip(netns, "tuntap", "add", "tap0", "mode", "tap")
    gathered = run_module("nl_link", {"state": "gathered"}, netns=netns)
    assert gathered.get("failed") is not True, gathered
    by_name = dict((l["name"], l) for l in gathered["gathered"])
    assert by_name["lo"]["mtu"] == 65536
    assert by_name["veth9"]["veth"] == {"peer": "ceth9", "peer_netns": other}
    assert by_name["br0"]["bridge"]["forward_delay"] == 0
    r = run_module("nl_link", {"links": gathered["gathered"]}, netns=netns)
    assert r.get("failed") is not True, r
    assert r["changed"] is False and r["write_requests"] == 0, r["commands"]


@pytest.mark.parametrize("bridge_mtu,port_mtu", [(9000, 1500), (1500, 9000)])
def test_bridge_mtu_with_a_port_joining_in_the_same_task(run_module, netns, ip_json, bridge_mtu, port_mtu):
    """The kernel resets a bridge's MTU to its smallest port's when a port
    joins, unless the MTU was set on the existing bridge: the task sets it
    again after its ports, and the second run has nothing to do."""
    args = {"links": [
        {"name": "br0", "kind": "bridge", "mtu": bridge_mtu, "state": "up"},
        {"name": "v0", "kind": "veth", "veth": {"peer": "v1"}, "master": "br0", "mtu": port_mtu},
    ]}
    r = converge(run_module, netns, args)
    assert r["commands"][-1] == "ip -n %s link set dev br0 mtu %d" % (netns, bridge_mtu)
    got = links(ip_json, netns)
    assert got["br0"]["mtu"] == bridge_mtu and got["v0"]["mtu"] == port_mtu
    # and a port that joins later no longer moves it
    run_module("nl_link", {"name": "v2", "kind": "veth", "veth": {"peer": "v3"}, "master": "br0", "mtu": 1280},
               netns=netns)
    assert links(ip_json, netns)["br0"]["mtu"] == bridge_mtu


def test_a_setting_the_kernel_drops_is_reported_not_resent(run_module, netns, ip_json):
    """A bridge option of a feature this kernel was built without
    (CONFIG_BRIDGE_VLAN_FILTERING: vlan_default_pvid) is accepted and not
    applied: the run says so, and the next one neither re-sends it nor
    reports a change.  On a kernel that has the feature (not this
    machine's), the same task must simply apply it and converge."""
    probe = run_module("nl_link", {"name": "probe0", "kind": "bridge"}, netns=netns)
    assert probe.get("failed") is not True, probe
    args = {"name": "br0", "kind": "bridge", "bridge": {"vlan_default_pvid": 5}}
    if "vlan_default_pvid" in links(ip_json, netns)["probe0"]["linkinfo"]["info_data"]:
        r = run_module("nl_link", args, netns=netns)
        assert r.get("failed") is not True and r["changed"] is True, r
        assert links(ip_json, netns)["br0"]["linkinfo"]["info_data"]["vlan_default_pvid"] == 5
        r = run_module("nl_link", args, netns=netns)
        assert r["changed"] is False and r["write_requests"] == 0, r["commands"]
        return
    r = run_module("nl_link", args, netns=netns)
    assert r.get("failed") is not True and r["changed"] is True, r
    assert any("br0" in w and "bridge.vlan_default_pvid=5" in w for w in r.get("warnings", [])), r
    r = run_module("nl_link", args, netns=netns)
    assert r["changed"] is False and r["write_requests"] == 0, r["commands"]
    assert any("bridge.vlan_default_pvid=5" in w and "does not report" in w for w in r.get("warnings", [])), r
    # an update that only asks for it changes nothing either
    r = run_module("nl_link", {"name": "br0", "bridge": {"vlan_default_pvid": 7, "stp": True}}, netns=netns)
    assert r["changed"] is True and r["write_requests"] == 1
    assert links(ip_json, netns)["br0"]["linkinfo"]["info_data"]["stp_state"] == 1
