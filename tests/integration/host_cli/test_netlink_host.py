"""netlink-host on throwaway namespaces: apply, diff, check and show, the
saved state round trip (show -> apply -> unchanged), drift, removals,
refusals (bad state, NetworkManager's links) with the kernel untouched."""
import json
import os

from snapshots import snapshot

STATE = {
    "links": [
        {"name": "br0", "kind": "bridge", "state": "up"},
        {"name": "v0", "kind": "veth", "veth": {"peer": "v1"}, "master": "br0", "mtu": 1400, "state": "up"},
    ],
    "addresses": [{"dev": "br0", "addresses": ["192.0.2.1/24", "2001:db8::1/64"]}],
    "rules": [{"priority": 100, "from": "192.0.2.0/24", "table": 100}],
}


def links(ip_json, ns):
    return dict((l["ifname"], l) for l in ip_json(ns, "-d", "link", "show"))


def global_addresses(addr_info):
    return sorted((a["local"], a["prefixlen"]) for a in addr_info if a["scope"] == "global")


def test_apply_then_check_and_diff_say_nothing(netns, netlink_host, state_file, ip_json):
    path = state_file(STATE)
    r = netlink_host("diff", path, netns=netns)
    assert r.returncode == 1, r
    assert "ip -n %s link add br0 up type bridge" % netns in r.stdout.splitlines()
    assert "ip -n %s rule add priority 100 from 192.0.2.0/24 protocol static lookup 100" % netns in r.stdout
    assert links(ip_json, netns).keys() == {"lo"}  # diff changed nothing
    r = netlink_host("apply", path, netns=netns)
    assert r.returncode == 0, r.stderr
    assert len(r.stdout.splitlines()) == 5 and "5 change(s) applied" in r.stderr
    got = links(ip_json, netns)
    assert got["v0"]["mtu"] == 1400 and got["v0"]["master"] == "br0"
    addrs = [a["local"] for a in ip_json(netns, "addr", "show", "dev", "br0")[0]["addr_info"]]
    assert "192.0.2.1" in addrs and "2001:db8::1" in addrs
    assert [x for x in ip_json(netns, "rule", "show") if x.get("priority") == 100][0]["table"] == "100"
    for cmd in ("check", "diff"):
        r = netlink_host(cmd, path, netns=netns)
        assert r.returncode == 0 and "ip " not in r.stdout, (cmd, r)
    r = netlink_host("apply", path, netns=netns)
    assert r.returncode == 0 and r.stdout == "" and "nothing to change" in r.stderr


def test_check_reports_drift_and_apply_repairs_it(netns, netlink_host, state_file, ip):
    path = state_file(STATE)
    assert netlink_host("apply", path, netns=netns).returncode == 0
    ip(netns, "link", "set", "v0", "mtu", "1300")
    ip(netns, "addr", "del", "192.0.2.1/24", "dev", "br0")
    ip(netns, "rule", "del", "priority", "100")
    r = netlink_host("check", path, netns=netns)
    assert r.returncode == 1, r
    lines = r.stdout.splitlines()
    assert "links: link v0: differs: mtu is 1300, saved 1400" in lines
    assert "addresses: address br0 192.0.2.1/24: missing (saved state has it)" in lines
    assert any(l.startswith("rules: rule priority 100") and "missing" in l for l in lines), lines
    j = json.loads(netlink_host("check", "--json", path, netns=netns).stdout)
    assert j["changed"] is True and [s["task"] for s in j["steps"]] == [
        "links (nl_link links)", "addresses (nl_addr devices)", "rules (nl_rule rules)"]
    assert netlink_host("apply", path, netns=netns).returncode == 0
    assert netlink_host("check", path, netns=netns).returncode == 0


def test_show_round_trips_after_a_simulated_reboot(netns, netlink_host, state_file, ip, ip_json):
    assert netlink_host("apply", state_file(STATE), netns=netns).returncode == 0
    r = netlink_host("show", netns=netns)
    assert r.returncode == 0, r.stderr
    shown = json.loads(r.stdout)
    assert {"links", "addresses", "rules", "version"} <= set(shown)
    saved = state_file(r.stdout, name="shown.json")
    addresses = ip_json(netns, "addr", "show", "dev", "br0")[0]["addr_info"]
    r = netlink_host("diff", saved, netns=netns)
    assert r.returncode == 0 and r.stdout == "", r  # show -> apply: unchanged
    # a reboot: the links (and with them their addresses) and the rule gone
    ip(netns, "link", "del", "v0")
    ip(netns, "link", "del", "br0")
    ip(netns, "rule", "del", "priority", "100")
    r = netlink_host("apply", saved, netns=netns)
    assert r.returncode == 0, r.stderr
    assert netlink_host("check", saved, netns=netns).returncode == 0
    assert set(links(ip_json, netns)) == {"lo", "br0", "v0", "v1"}
    again = ip_json(netns, "addr", "show", "dev", "br0")[0]["addr_info"]
    assert global_addresses(again) == global_addresses(addresses) == [("192.0.2.1", 24), ("2001:db8::1", 64)]
    # the kernel made br0's link-local address again itself: show left it out
    assert "fe80::" not in json.dumps(shown["addresses"])


def test_removals_run_after_additions(netns, netlink_host, state_file, ip, ip_json):
    ip(netns, "link", "add", "old0", "type", "veth", "peer", "name", "old1")
    ip(netns, "addr", "add", "198.51.100.1/24", "dev", "old0")
    doc = {"links": [{"name": "br0", "kind": "bridge"}, {"name": "old0", "state": "absent"}],
           "addresses": [{"dev": "br0", "addresses": ["198.51.100.1/24"]}]}
    r = netlink_host("apply", state_file(doc), netns=netns)
    assert r.returncode == 0, r.stderr
    cmds = r.stdout.splitlines()
    assert cmds[-1] == "ip -n %s link del dev old0" % netns, cmds
    assert set(links(ip_json, netns)) == {"lo", "br0"}


def test_bad_state_is_refused_with_the_kernel_untouched(netns, netlink_host, state_file):
    before = snapshot(netns)
    cases = [
        ({"links": [{"name": "br0", "kind": "bridge", "mtuu": 9000}]}, "links[0]: unsupported option(s) mtuu"),
        ({"links": [{"name": "br0", "kind": "bridge"}], "addresses": [{"dev": "br0", "addresses": ["300.1.1.1/24"]}]},
         "300.1.1.1"),
        ({"links": [{"name": "br0", "kind": "bridge", "mtu": "big"}]}, "links[0].mtu: 'big': must be an integer"),
        ({"linkz": []}, "unknown section(s) linkz"),
        ({"mode": "overridden"}, "mode 'overridden'"),
        ("[1, 2]", "must hold a JSON object"),
        ("{", "not valid JSON"),
    ]
    for doc, text in cases:
        r = netlink_host("apply", state_file(doc, name="bad.json"), netns=netns)
        assert r.returncode == 2 and text in r.stderr, (doc, r.stderr)
    assert snapshot(netns) == before


def test_files_of_a_directory_merge_in_name_order(netns, netlink_host, state_file, tmp_path, ip_json):
    d = str(tmp_path / "multi")
    state_file({"links": [{"name": "br0", "kind": "bridge"}]}, name="10-a.json", directory=d)
    state_file({"links": [{"name": "v0", "kind": "veth", "veth": {"peer": "v1"}, "master": "br0"}]},
               name="20-b.json", directory=d)
    state_file({"links": []}, name="ignored.txt", directory=d)
    r = netlink_host("apply", d, netns=netns)
    assert r.returncode == 0, r.stderr
    assert links(ip_json, netns)["v0"]["master"] == "br0"
    state_file({"mode": "replaced", "links": []}, name="30-c.json", directory=d)
    r = netlink_host("check", d, netns=netns)
    assert r.returncode == 2 and "the files must agree" in r.stderr


def test_an_error_names_the_file_and_the_item_in_it(netns, netlink_host, state_file, tmp_path):
    """With several files merged, links[1] of the merged list is 20-b.json's
    links[0]: the error used to name neither the file nor that index."""
    d = str(tmp_path / "named")
    state_file({"links": [{"name": "br0", "kind": "bridge"}]}, name="10-a.json", directory=d)
    bad = state_file({"links": [{"name": "v0", "kind": "veth", "mtuu": 1400}]}, name="20-b.json", directory=d)
    before = snapshot(netns)
    for cmd in ("apply", "diff", "check"):
        r = netlink_host(cmd, d, netns=netns)
        assert r.returncode == 2, r
        assert "error: %s: links (nl_link links): links[0]: unsupported option(s) mtuu" % bad in r.stderr, r.stderr
    r = netlink_host("apply", bad, netns=netns)
    assert r.returncode == 2 and "error: %s: links" % bad in r.stderr, r.stderr
    assert snapshot(netns) == before


def test_json_reports_a_failure_and_apply_is_one_transaction(netns, netlink_host, state_file, ip_json):
    """--json printed nothing on an error: a script reading stdout learnt
    nothing of the failure.  The document is one transaction: a refused
    route undoes the bridge the links task had made."""
    doc = {"links": [{"name": "br0", "kind": "bridge"}],
           "routes": [{"dst": "10.0.0.0/8", "gateway": "203.0.113.1"}]}  # no way to reach that gateway
    r = netlink_host("apply", "--json", state_file(doc), netns=netns)
    assert r.returncode == 2, r
    out = json.loads(r.stdout)
    assert out["failed"] is True and "routes (nl_route routes)" in out["error"], out
    assert "(the 1 change(s) already applied were undone)" in out["error"], out
    assert out["changed"] is False and out["steps"] == [], out
    assert "br0" not in links(ip_json, netns)  # undone with the route
    r = netlink_host("check", "--json", state_file("{", name="bad.json"), netns=netns)
    out = json.loads(r.stdout)
    assert r.returncode == 2 and out["failed"] is True and "not valid JSON" in out["error"] and out["steps"] == []


def test_apply_reports_what_the_read_back_saw(netns, state_file, monkeypatch):
    """A link setting the kernel acks but ignores: the module says changed
    false (its read-back); netlink-host said "1 change(s) applied" and
    changed: true.  In-process, the read-back made to see no move."""
    import io
    from ansible_collections.netlink.host.plugins.module_utils.host_cli import cli
    from ansible_collections.netlink.host.plugins.module_utils.tasks.link import LinkTask
    monkeypatch.setattr(LinkTask, "read_back", lambda self, plan, desired, current, results: (["ignored"], False))
    path = state_file({"links": [{"name": "br0", "kind": "bridge"}]})
    out, err = io.StringIO(), io.StringIO()
    assert cli.main(["apply", "--json", "--netns", netns, path], out, err) == 0
    doc = json.loads(out.getvalue())
    assert doc["changed"] is False and doc["steps"][0]["changed"] is False and doc["steps"][0]["applied"] is True
    assert doc["steps"][0]["warnings"] == ["ignored"]
    out, err = io.StringIO(), io.StringIO()
    assert cli.main(["apply", "--netns", netns, path], out, err) == 0  # br0 is there now: nothing sent
    assert "nothing to change" in err.getvalue()
    path = state_file({"links": [{"name": "br1", "kind": "bridge"}]}, name="t.json")
    out, err = io.StringIO(), io.StringIO()
    assert cli.main(["apply", "--netns", netns, path], out, err) == 0
    assert "1 command(s) sent, but the kernel's state did not move" in err.getvalue(), err.getvalue()


def test_a_file_with_keys_must_be_root_only(netns, netlink_host, state_file):
    doc = {"xfrm_states": []}
    r = netlink_host("apply", state_file(doc, name="k.json", mode=0o644), netns=netns)
    assert r.returncode == 2 and "readable by others (mode 0644): chmod 600" in r.stderr
    r = netlink_host("apply", state_file(doc, name="k.json", mode=0o600), netns=netns)
    assert "readable by others" not in r.stderr


def _fake_nm(tmp_path, index=None, name=None):
    root = tmp_path / "nmroot"
    if index is not None:
        (root / "run/NetworkManager/devices").mkdir(parents=True, exist_ok=True)
        (root / "run/NetworkManager/devices" / str(index)).write_text(
            "# NetworkManager runtime state\n[device]\nmanaged=true\nconnection-uuid=0c2f\n")
    if name is not None:
        (root / "etc/NetworkManager/system-connections").mkdir(parents=True, exist_ok=True)
        (root / "etc/NetworkManager/system-connections/x.nmconnection").write_text(
            "[connection]\nid=x\ntype=bridge\ninterface-name=%s\n" % name)
    return str(root)


def test_links_networkmanager_manages_are_refused(netns, netlink_host, state_file, ip, ip_json, tmp_path):
    ip(netns, "link", "add", "nm0", "type", "veth", "peer", "name", "nm1")
    index = links(ip_json, netns)["nm0"]["ifindex"]
    path = state_file({"links": [{"name": "nm0", "mtu": 1280}]})
    before = snapshot(netns)
    r = netlink_host("apply", "--nm-root", _fake_nm(tmp_path, index=index), path, netns=netns)
    assert r.returncode == 2, r
    assert "refusing to change nm0" in r.stderr and "devices/%d: managed=true" % index in r.stderr
    assert snapshot(netns) == before
    # unmanaged: fine
    (tmp_path / "nmroot/run/NetworkManager/devices" / str(index)).write_text("[device]\nmanaged=false\n")
    r = netlink_host("diff", "--nm-root", str(tmp_path / "nmroot"), path, netns=netns)
    assert r.returncode == 1
    # a profile bound by name refuses a link not created yet, at boot as later
    path = state_file({"links": [{"name": "br9", "kind": "bridge"}]}, name="b.json")
    root = _fake_nm(tmp_path, name="br9")
    r = netlink_host("apply", "--nm-root", root, path, netns=netns)
    assert r.returncode == 2 and "interface-name=br9" in r.stderr, r.stderr
    assert "br9" not in links(ip_json, netns)
    r = netlink_host("apply", "--nm-root", root, "--ignore-networkmanager", path, netns=netns)
    assert r.returncode == 0 and "br9" in links(ip_json, netns)


def test_help_names_every_command(netlink_host):
    r = netlink_host("--help")
    assert r.returncode == 0
    for word in ("apply", "show", "diff", "check", "exit status"):
        assert word in r.stdout
    assert netlink_host().returncode == 2


def test_check_of_an_empty_directory_says_nothing_is_saved(netns, netlink_host, tmp_path):
    """It said "no drift: the kernel matches " and no file after it."""
    r = netlink_host("check", str(tmp_path), netns=netns)
    assert r.returncode == 0 and r.stdout == "no drift: the kernel matches (no state files: nothing saved to compare with)\n"


def test_no_netns_option_is_needed_for_reading_the_files(netlink_host, tmp_path):
    """A missing state file is an error before any netlink socket opens."""
    r = netlink_host("check", str(tmp_path / "nothere"))
    assert r.returncode == 2 and "no such file or directory" in r.stderr
    assert not os.path.exists(str(tmp_path / "nothere"))


def test_show_leaves_out_the_routes_the_kernel_makes(netns, netlink_host, state_file, ip):
    """show saved the kernel's own routes (prefix, local, broadcast, fe80::/64),
    among them those of an address it leaves out (a DHCP lease): after a
    reboot, apply failed on them (their src is not there)."""
    ip(netns, "link", "add", "dv", "type", "veth", "peer", "name", "dw")
    ip(netns, "link", "set", "dv", "up")
    ip(netns, "addr", "add", "198.51.100.7/24", "dev", "dv", "valid_lft", "600", "preferred_lft", "600")
    ip(netns, "addr", "add", "203.0.113.1/24", "dev", "dv")
    ip(netns, "route", "add", "192.0.2.0/24", "via", "203.0.113.254")
    r = netlink_host("show", netns=netns)
    assert r.returncode == 0, r.stderr
    shown = json.loads(r.stdout)
    assert [x["dst"] for x in shown["routes"]] == ["192.0.2.0/24"], shown["routes"]
    saved = state_file(r.stdout, name="shown.json")
    assert netlink_host("diff", saved, netns=netns).stdout == ""
    ip(netns, "link", "del", "dv")  # a reboot
    r = netlink_host("apply", saved, netns=netns)
    assert r.returncode == 0, r.stderr
    assert netlink_host("check", saved, netns=netns).returncode == 0


def test_show_leaves_out_addresses_with_a_lifetime(netns, netlink_host, state_file, ip):
    """A SLAAC, privacy or DHCP address has a finite lifetime and belongs to
    whatever made it: show must not save it as a fixed address."""
    assert netlink_host("apply", state_file(STATE), netns=netns).returncode == 0
    ip(netns, "addr", "add", "2001:db8:5::99/64", "dev", "br0", "valid_lft", "3600", "preferred_lft", "1800")
    ip(netns, "addr", "add", "198.51.100.7/24", "dev", "br0", "valid_lft", "600", "preferred_lft", "600")
    shown = json.loads(netlink_host("show", netns=netns).stdout)
    text = json.dumps(shown["addresses"])
    assert "192.0.2.1/24" in text and "2001:db8::1/64" in text, text  # the fixed ones stay
    assert "2001:db8:5::99" not in text and "198.51.100.7" not in text, text


def test_a_saved_move_applies_once_and_then_finds_the_link_there(netns, netns_factory, netlink_host, state_file,
                                                                 ip, ip_json):
    """nl_link's to_netns in a saved state: apply moves the link, check
    and a second apply find it in its namespace and have nothing to do."""
    there = netns_factory()
    ip(netns, "link", "add", "v0", "type", "veth", "peer", "name", "v1")
    ip(netns, "addr", "add", "192.0.2.1/24", "dev", "v0")
    path = state_file({"links": [{"name": "v0", "to_netns": there}]})
    r = netlink_host("diff", path, netns=netns)
    assert r.returncode == 1 and r.stdout.splitlines() == ["ip -n %s link set dev v0 netns %s" % (netns, there)], r
    r = netlink_host("apply", path, netns=netns)
    assert r.returncode == 0, r.stderr
    assert "v0" not in links(ip_json, netns) and "v0" in links(ip_json, there)
    for cmd in ("check", "diff"):
        r = netlink_host(cmd, path, netns=netns)
        assert r.returncode == 0 and "ip " not in r.stdout, (cmd, r)
    r = netlink_host("apply", path, netns=netns)
    assert r.returncode == 0 and r.stdout == "" and "nothing to change" in r.stderr, r


def test_neighbours_section_round_trips(netns, netlink_host, state_file, ip, ip_json):
    """Static neighbours are a section of the saved state: applied after
    their links, shown, and back after a simulated reboot."""
    doc = {"links": [{"name": "v0", "kind": "veth", "veth": {"peer": "v1"}, "state": "up"}],
           "neighbours": [{"dev": "v0", "dst": "192.0.2.9", "lladdr": "02:00:00:00:00:09"},
                          {"dev": "v0", "dst": "2001:db8::10", "proxy": True}]}
    path = state_file(doc)
    r = netlink_host("apply", path, netns=netns)
    assert r.returncode == 0, r.stderr
    assert "ip -n %s neigh replace 192.0.2.9 lladdr 02:00:00:00:00:09 nud permanent dev v0 protocol static" % netns \
        in r.stdout.splitlines()
    assert netlink_host("check", path, netns=netns).returncode == 0
    shown = json.loads(netlink_host("show", netns=netns).stdout)
    assert {"dev": "v0", "dst": "192.0.2.9", "lladdr": "02:00:00:00:00:09", "protocol": "static"} in shown["neighbours"]
    saved = state_file(json.dumps(shown), name="shown.json")
    ip(netns, "link", "del", "v0")
    assert netlink_host("apply", saved, netns=netns).returncode == 0
    (entry,) = ip_json(netns, "neigh", "show", "dev", "v0", "192.0.2.9")
    assert entry["lladdr"] == "02:00:00:00:00:09" and entry["state"] == ["PERMANENT"]
    assert netlink_host("check", saved, netns=netns).returncode == 0
