"""nl_netconf: the namespace's IP settings (net.ipv4.ip_forward, the
``all`` and ``default`` sysctls) against the host kernel in throwaway
namespaces, read back with ``ip netns exec NS sysctl``: check mode changes
nothing, a run sets them (and the kernel sets every link's forwarding
with ``all``), the next sends nothing, the diff shows what goes with a
write to ``all``, a refusal later in the task puts everything back (every
link's forwarding included), gathered fed back changes nothing, saved
with nl_persist and applied by netlink-host, bad input changes nothing,
and the machine's own namespace is untouched."""
import subprocess

import pytest

from ansible_collections.netlink.host.tests.integration.faults import inject_proc

NAMES = ["net.ipv4.ip_forward", "net.ipv6.conf.all.forwarding", "net.ipv4.conf.default.rp_filter",
         "net.ipv4.conf.all.accept_redirects", "net.ipv4.conf.default.forwarding", "net.ipv6.conf.default.forwarding",
         "net.ipv4.conf.v0.forwarding", "net.ipv4.conf.v1.forwarding", "net.ipv6.conf.v0.forwarding",
         "net.ipv6.conf.v1.forwarding", "net.ipv6.conf.default.accept_ra"]
ROUTER = {"all": {"ipv4": {"forwarding": True}, "ipv6": {"forwarding": True}},
          "default": {"ipv4": {"rp_filter": "loose"}}}


def sysctl(ns, *names):
    cmd = ["sysctl", "-e"] + list(names or NAMES)
    if ns is not None:
        cmd = ["ip", "netns", "exec", ns] + cmd
    out = subprocess.run(cmd, check=True, stdout=subprocess.PIPE, universal_newlines=True).stdout
    return dict((k.strip(), int(v)) for k, v in (line.split("=", 1) for line in out.splitlines()))


@pytest.fixture
def lab(netns, ip_batch):
    """v1 forwards IPv4 on its own already: an undo of ip_forward must keep it."""
    ip_batch(netns, ["link add v0 type veth peer name v1"])
    subprocess.run(["ip", "netns", "exec", netns, "sysctl", "-qw", "net.ipv4.conf.v1.forwarding=1"], check=True)
    return netns


def test_check_mode_set_rerun_and_diff(run_module, lab):
    host = sysctl(None, "net.ipv4.ip_forward", "net.ipv6.conf.all.forwarding")
    before = sysctl(lab)
    r = run_module("nl_netconf", ROUTER, check=True, diff=True, netns=lab)
    assert r.get("failed") is not True, r
    assert r["changed"] is True and r["write_requests"] == 0 and sysctl(lab) == before
    assert r["settings"] == ROUTER
    r = run_module("nl_netconf", ROUTER, diff=True, netns=lab)
    assert r.get("failed") is not True, r
    ns = "ip netns exec %s sysctl -w " % lab
    assert r["commands"] == [ns + "net.ipv4.ip_forward=1", ns + "net.ipv6.conf.all.forwarding=1",
                             ns + "net.ipv4.conf.default.rp_filter=2"]
    assert r["write_requests"] == 3
    after = sysctl(lab)
    assert after == dict(before, **{
        "net.ipv4.ip_forward": 1, "net.ipv6.conf.all.forwarding": 1, "net.ipv4.conf.default.rp_filter": 2,
        # what the kernel sets with all.forwarding
        "net.ipv4.conf.all.accept_redirects": 0, "net.ipv4.conf.default.forwarding": 1,
        "net.ipv6.conf.default.forwarding": 1, "net.ipv4.conf.v0.forwarding": 1, "net.ipv6.conf.v0.forwarding": 1,
        "net.ipv6.conf.v1.forwarding": 1})
    headers = [d["before_header"] for d in r["diff"]]
    for h in ("sysctl net.ipv4.ip_forward (before)",
              "sysctl net.ipv4.conf.v0.forwarding, set with net.ipv4.ip_forward (before)",
              "sysctl net.ipv4.conf.all.accept_redirects, set with net.ipv4.ip_forward (before)",
              "sysctl net.ipv6.conf.v1.forwarding, set with net.ipv6.conf.all.forwarding (before)"):
        assert h in headers, (h, headers)
    # v1 forwarded IPv4 already: ip_forward does not change it, but its undo would
    assert "sysctl net.ipv4.conf.v1.forwarding, kept as it is when net.ipv4.ip_forward is undone (before)" \
        in headers, headers
    assert r["settings"] == ROUTER
    r = run_module("nl_netconf", ROUTER, netns=lab)
    assert r["changed"] is False and r["write_requests"] == 0 and r["commands"] == [], r
    assert sysctl(None, "net.ipv4.ip_forward", "net.ipv6.conf.all.forwarding") == host


def test_a_refusal_later_in_the_task_puts_every_link_back(run_module, lab, monkeypatch):
    """``default`` runs after ``all``; its write is refused (EACCES, a
    read-only file in its place): ip_forward and what went with it (every
    link's forwarding, default's, all.accept_redirects) are put back, v1's
    own forwarding included."""
    before = sysctl(lab)

    def fail(n, req):
        return req.path == "net/ipv4/conf/default/rp_filter"

    inject_proc(monkeypatch, fail)
    r = run_module("nl_netconf", ROUTER, netns=lab)
    monkeypatch.undo()
    assert r.get("failed") is True and r["undone"] is True, r
    assert "net.ipv4.conf.default.rp_filter=2" in r["msg"] and "Permission denied" in r["msg"], r["msg"]
    assert r["changed"] is False
    assert sysctl(lab) == before


def test_gathered_is_input_that_changes_nothing(run_module, lab):
    assert run_module("nl_netconf", ROUTER, netns=lab)["changed"] is True
    r = run_module("nl_netconf", {"state": "gathered"}, netns=lab)
    got = r["gathered"]
    assert got["all"]["ipv4"]["forwarding"] is True and got["default"]["ipv4"]["rp_filter"] == "loose"
    assert "token" not in got["all"]["ipv6"]
    back = run_module("nl_netconf", {"all": got["all"], "default": got["default"]}, netns=lab)
    assert back.get("failed") is not True, back
    assert back["changed"] is False and back["write_requests"] == 0


@pytest.mark.parametrize("args,says", [
    ({"all": {"ipv4": {"rp_filter": "medium"}}}, "all.ipv4.rp_filter='medium' is not one of off, strict, loose"),
    ({"default": {"ipv6": {"hop_limit": 300}}}, "default.ipv6.hop_limit=300 is out of range (1-255)"),
    ({"all": {"ipv6": {"token": "::1"}}}, "all.ipv6.token"),
    ({"all": {"ipv4": {"forwarding": True}}, "default": {"ipv4": {"arp_ignore": 9}}},
     "default.ipv4.arp_ignore=9 is out of range (0-8)"),
    ({}, "all or default: required"),
])
def test_bad_input_names_option_and_value_and_changes_nothing(run_module, lab, args, says):
    before = sysctl(lab)
    r = run_module("nl_netconf", args, netns=lab)
    assert r.get("failed") is True and says in r["msg"], r.get("msg")
    assert sysctl(lab) == before


def test_saved_with_nl_persist_and_applied_at_boot(run_module, lab, tmp_path):
    """nl_persist saves the sections; the installed netlink-host applies them
    before the links (so a link's own forwarding is what stays), and a
    second apply finds nothing to do."""
    where = dict(dir=str(tmp_path / "etc"), prefix=str(tmp_path / "usr"), unit_dir=str(tmp_path / "units"))
    links = [{"name": "v0", "ipv4": {"forwarding": False}}]
    r = run_module("nl_persist", dict(where, netconf_all=ROUTER["all"], netconf_default=ROUTER["default"],
                                      links=links))
    assert r.get("failed") is not True, r
    program = r["program"]
    run = subprocess.run([program, "apply", where["dir"], "--netns", lab], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, universal_newlines=True, check=False)
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    ns = "ip netns exec %s sysctl -w " % lab
    assert lines.index(ns + "net.ipv4.ip_forward=1") < lines.index(ns + "net.ipv4.conf.v0.forwarding=0"), lines
    got = sysctl(lab)
    assert got["net.ipv4.ip_forward"] == 1 and got["net.ipv4.conf.default.rp_filter"] == 2
    assert got["net.ipv4.conf.v0.forwarding"] == 0 and got["net.ipv4.conf.v1.forwarding"] == 1
    again = subprocess.run([program, "apply", where["dir"], "--netns", lab], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, universal_newlines=True, check=False)
    assert again.returncode == 0 and again.stdout == "" and "nothing to change" in again.stderr, again
    shown = subprocess.run([program, "show", "--netns", lab], stdout=subprocess.PIPE, universal_newlines=True,
                           check=True).stdout
    assert '"netconf_all"' in shown and '"netconf_default"' in shown


@pytest.mark.slow(12)  # waits out a confirm deadline
def test_commit_confirmed_rolls_ip_forward_and_every_link_back(run_module, lab):
    """Not confirmed, the watchdog (another process, from the stored undo
    plan alone) writes ip_forward back and every link with it."""
    from ansible_collections.netlink.host.plugins.module_utils.confirm import store
    from ansible_collections.netlink.host.tests.integration.confirm_wait import wait_final
    before = sysctl(lab)
    r = run_module("nl_netconf", dict(ROUTER, confirm_timeout=5), netns=lab)
    assert r.get("failed") is not True and r["confirm_id"], r
    assert sysctl(lab)["net.ipv4.ip_forward"] == 1
    rec = wait_final(r["confirm_id"], 60)
    assert rec["state"] == store.ROLLED_BACK, rec
    assert sysctl(lab) == before


def test_commands_replayed_elsewhere_give_the_same_values(run_module, lab, netns_factory, ip_batch):
    other = netns_factory()
    ip_batch(other, ["link add v0 type veth peer name v1"])
    subprocess.run(["ip", "netns", "exec", other, "sysctl", "-qw", "net.ipv4.conf.v1.forwarding=1"], check=True)
    r = run_module("nl_netconf", ROUTER, netns=lab)
    assert r.get("failed") is not True and r["commands"], r
    for cmd in r["commands"]:
        subprocess.run(cmd.replace(lab, other), shell=True, check=True)
    assert sysctl(other) == sysctl(lab)
