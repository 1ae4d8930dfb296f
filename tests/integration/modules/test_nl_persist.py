"""nl_persist: saves exactly what it is given (validated first), installs
the program and the unit (systemd-analyze verify passes on it), is
idempotent, honours check mode, reports drift, and its EXAMPLES run."""
import json
import os
import shutil
import stat
import subprocess

import yaml

from ansible_collections.netlink.host.plugins.modules import nl_persist

LINKS = [{"name": "br0", "kind": "bridge", "state": "up"}]
ADDRS = [{"dev": "br0", "addresses": ["192.0.2.1/24"]}, {"dev": "eth-x", "addresses": ["10.9.0.1/16"]}]


def where(tmp_path):
    return {"dir": str(tmp_path / "etc"), "prefix": str(tmp_path / "usr"), "unit_dir": str(tmp_path / "units")}


def test_saves_installs_and_is_idempotent(run_module, tmp_path):
    args = dict(where(tmp_path), links=LINKS, addresses=ADDRS, mode="replaced")
    r = run_module("nl_persist", args, check=True)
    assert r["changed"] is True and not os.path.exists(args["dir"]), r
    r = run_module("nl_persist", args, diff=True)
    assert r["changed"] is True and r["files"] == [os.path.join(args["dir"], "ansible.json")], r
    with open(r["files"][0]) as f:
        saved = json.load(f)
    assert saved == {"version": 1, "mode": "replaced", "links": LINKS, "addresses": ADDRS}
    assert stat.S_IMODE(os.stat(r["files"][0]).st_mode) == 0o644
    assert '"br0"' in r["diff"][0]["after"] and r["diff"][0]["before"] == ""
    assert r["exec_start"] == "%s apply %s" % (r["program"], args["dir"])
    assert os.access(r["program"], os.X_OK)
    with open(r["unit"]) as f:
        unit = f.read()
    assert "ExecStart=%s\n" % r["exec_start"] in unit
    # the unit waits for the NIC the state uses but does not create
    assert "Wants=network-pre.target sys-subsystem-net-devices-eth\\x2dx.device" in unit
    assert os.path.islink(os.path.join(args["unit_dir"], "multi-user.target.wants", "netlink-host.service"))
    for check in (True, False):
        r = run_module("nl_persist", args, check=check)
        assert r["changed"] is False, r


def test_unit_passes_systemd_analyze_verify(run_module, tmp_path):
    analyze = shutil.which("systemd-analyze")
    assert analyze, "systemd-analyze is missing: scripts/setup.sh installs systemd"
    r = run_module("nl_persist", dict(where(tmp_path), links=LINKS))
    proc = subprocess.run([analyze, "verify", r["unit"]], check=False, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          universal_newlines=True, timeout=120)
    assert proc.returncode == 0, proc.stdout
    assert "netlink-host.service" not in proc.stdout, proc.stdout  # no complaint about our unit


def test_bad_input_writes_nothing(run_module, tmp_path):
    args = dict(where(tmp_path), links=[{"name": "br0", "kind": "bridgex"}])
    r = run_module("nl_persist", args)
    assert r.get("failed") and "links[0].kind: 'bridgex': must be one of" in r["msg"], r
    assert not os.path.exists(args["dir"])
    r = run_module("nl_persist", dict(where(tmp_path), rules=[{"priority": 5, "table": "nosuchtable"}]))
    assert r.get("failed") and "nosuchtable" in r["msg"], r


def test_check_reports_drift_in_a_namespace(run_module, tmp_path, netns, ip):
    args = dict(where(tmp_path), links=LINKS + [{"name": "v0", "kind": "veth", "veth": {"peer": "v1"}, "mtu": 1400}])
    run_module("nl_persist", args)
    r = run_module("nl_persist", {"state": "check", "dir": args["dir"]}, netns=netns)
    assert r["drifted"] is True and r["changed"] is False, r
    assert "link br0: missing (saved state has it)" in r["drift"]
    assert "ip -n %s link add br0 up type bridge" % netns in r["commands"]
    subprocess.run([r"%s" % os.path.join(args["prefix"], "sbin/netlink-host"), "apply", "--netns", netns, args["dir"]],
                   check=True, timeout=120)
    r = run_module("nl_persist", {"state": "check", "dir": args["dir"]}, netns=netns)
    assert r["drifted"] is False and r["drift"] == [], r
    ip(netns, "link", "set", "v0", "mtu", "1300")
    r = run_module("nl_persist", {"state": "check", "dir": args["dir"]}, netns=netns)
    assert r["drift"] == ["link v0: differs: mtu is 1300, saved 1400"], r


def test_absent_removes_the_state(run_module, tmp_path):
    args = dict(where(tmp_path), links=LINKS, install=False)
    run_module("nl_persist", args)
    r = run_module("nl_persist", {"state": "absent", "dir": args["dir"]})
    assert r["changed"] is True and os.listdir(args["dir"]) == []
    assert run_module("nl_persist", {"state": "absent", "dir": args["dir"]})["changed"] is False


def test_examples_run(run_module, tmp_path):
    shutil.rmtree("/tmp/nl_persist_example", ignore_errors=True)
    try:
        for task in yaml.safe_load(nl_persist.EXAMPLES):
            r = run_module("nl_persist", task["netlink.host.nl_persist"], check=task.get("check_mode", False))
            assert r.get("failed") is not True, (task["name"], r)
    finally:
        shutil.rmtree("/tmp/nl_persist_example", ignore_errors=True)


SA = {"src": "192.0.2.1", "dst": "192.0.2.2", "proto": "esp", "spi": 4096, "mode": "tunnel",
      "aead": {"name": "rfc4106(gcm(aes))", "key": "0x0102030405060708090a0b0c0d0e0f1011121314", "icv_len": 128}}


def test_only_the_keys_are_masked_in_the_result(run_module, tmp_path):
    """no_log on the whole xfrm_states list starred every string of it
    wherever it appeared: the saved address 192.0.2.1/24 showed as
    ********/24 in the diff."""
    args = dict(where(tmp_path), addresses=[{"dev": "br0", "addresses": ["192.0.2.1/24"]}], xfrm_states=[SA],
                install=False)
    for check in (True, False):
        r = run_module("nl_persist", args, check=check, diff=True)
        assert r["changed"] is True and not r.get("failed"), r
        assert '"192.0.2.1/24"' in r["diff"][0]["after"], r["diff"][0]
        assert SA["aead"]["key"] not in json.dumps(r), r
    secret = os.path.join(args["dir"], "ansible-secret.json")
    assert stat.S_IMODE(os.stat(secret).st_mode) == 0o600
    with open(secret) as f:
        assert json.load(f)["xfrm_states"] == [SA]


def test_check_mode_predicts_what_a_real_run_changes(run_module, tmp_path):
    """Check mode said unchanged where the real run then changed: a key
    file someone made readable (the run makes it 0600 again; netlink-host
    refuses it until then) and enable: false (the run removes the link)."""
    args = dict(where(tmp_path), xfrm_states=[SA])
    assert run_module("nl_persist", args)["changed"] is True
    secret = os.path.join(args["dir"], "ansible-secret.json")
    os.chmod(secret, 0o644)
    assert run_module("nl_persist", args, check=True)["changed"] is True
    assert run_module("nl_persist", args)["changed"] is True
    assert stat.S_IMODE(os.stat(secret).st_mode) == 0o600
    args["enable"] = False
    assert run_module("nl_persist", args, check=True)["changed"] is True
    assert run_module("nl_persist", args)["changed"] is True
    assert not os.path.lexists(os.path.join(args["unit_dir"], "multi-user.target.wants", "netlink-host.service"))
    for check in (True, False):
        assert run_module("nl_persist", args, check=check)["changed"] is False


def test_two_saved_states_share_one_unit_and_must_agree(run_module, tmp_path):
    """Several names in one dir are applied together at boot: the unit must
    wait for the devices of all of them (it kept only the last run's, and
    the two tasks rewrote it in turn, never idempotent), and a mode that
    differs from another file's fails the play, not the boot."""
    a = dict(where(tmp_path), name="a", addresses=[{"dev": "eth-a", "addresses": ["10.1.0.1/16"]}])
    b = dict(where(tmp_path), name="b", addresses=[{"dev": "eth-b", "addresses": ["10.2.0.1/16"]}])
    run_module("nl_persist", a)
    r = run_module("nl_persist", b)
    with open(r["unit"]) as f:
        unit = f.read()
    assert "sys-subsystem-net-devices-eth\\x2da.device" in unit and "sys-subsystem-net-devices-eth\\x2db.device" in unit
    for args in (a, b):
        for check in (True, False):
            assert run_module("nl_persist", args, check=check)["changed"] is False, args["name"]
    r = run_module("nl_persist", dict(b, mode="replaced"))
    assert r.get("failed") and "a.json: mode present" in r["msg"] and "replaced" in r["msg"], r
    with open(os.path.join(b["dir"], "b.json")) as f:
        assert json.load(f)["mode"] == "present"  # nothing written


def _unit_lines(path, key):
    with open(path) as f:
        return [line for line in f.read().splitlines() if line.startswith(key + "=")]


def test_the_unit_does_not_wait_for_links_the_state_creates(run_module, tmp_path):
    """Issue 20, defect 2: a veth pair in the state made the unit want and
    wait for sys-subsystem-net-devices-v1.device, a device only the unit
    itself creates, so the boot waited out the device job's timeout.  The
    NIC the state only addresses is still waited for."""
    links = [{"name": "v0", "kind": "veth", "veth": {"peer": "v1"}}, {"name": "v1", "state": "up"}]
    r = run_module("nl_persist", dict(where(tmp_path), links=links,
                                      addresses=[{"dev": "eth-x", "addresses": ["10.9.0.1/16"]}]))
    assert not r.get("failed"), r
    for key in ("Wants", "After"):
        lines = _unit_lines(r["unit"], key)
        assert len(lines) == 1 and lines[0].endswith(" sys-subsystem-net-devices-eth\\x2dx.device"), lines
        assert "devices-v0." not in lines[0] and "devices-v1." not in lines[0], lines
    r = run_module("nl_persist", dict(where(tmp_path), links=links))
    assert r["changed"] is True, r  # the NIC's gone: the unit is rewritten without it
    for key in ("Wants", "After"):
        assert ".device" not in _unit_lines(r["unit"], key)[0], key


def test_the_docs_say_which_sections_go_to_the_key_file(run_module, tmp_path):
    """The docs said policies and defaults were saved in the 0600 file; they
    (no keys) go to the plain one."""
    doc = yaml.safe_load(nl_persist.DOCUMENTATION)["options"]
    policy = {"selector": {"src": "10.1.0.0/16", "dst": "10.2.0.0/16"}, "dir": "out", "action": "block"}
    r = run_module("nl_persist", dict(where(tmp_path), install=False, xfrm_states=[SA], xfrm_policies=[policy],
                                      xfrm_defaults={"fwd": "allow"}))
    with open(r["files"][1]) as f:
        secret = json.load(f)
    for name in ("xfrm_states", "xfrm_policies", "xfrm_defaults"):
        text = " ".join(doc[name]["description"])
        assert ("0600" in text) == (name in secret), (name, text)
