"""Boot 2 of the reboot test (issue 13): systemd as PID 1 put the state back.

Collected only in the guest run.sh boots with systemd as init after boot 1
(tests/vm/test_persist_vm.py) saved the state and installed the unit with
nl_persist; that unit dir is this guest's /etc/systemd/system, unchanged.
This guest's kernel started empty: whatever of the state is there, the
unit's ExecStart (netlink-host apply) made.  tests/vm/nlvm-reboot-check.service
runs these tests once the boot has reached network.target, then powers the
guest off.
"""
import subprocess

import vm_persist_state as st

UNIT = "netlink-host.service"


def show(unit, *props):
    out = subprocess.run(["systemctl", "show", unit] + ["-p" + p for p in props], check=True,
                         stdout=subprocess.PIPE, universal_newlines=True).stdout
    return dict(line.split("=", 1) for line in out.splitlines() if "=" in line)


def test_pid1_is_systemd():
    with open("/proc/1/comm") as f:
        assert f.read().strip() == "systemd"


def test_unit_ran_and_succeeded():
    props = show(UNIT, "LoadState", "UnitFileState", "ActiveState", "Result", "ExecMainStatus",
                 "ConditionResult", "FragmentPath")
    assert props["LoadState"] == "loaded" and props["FragmentPath"] == "/etc/systemd/system/" + UNIT, props
    assert props["UnitFileState"] == "enabled", props
    assert props["ConditionResult"] == "yes", props  # the state dir was there
    assert (props["ActiveState"], props["Result"], props["ExecMainStatus"]) == ("active", "success", "0"), props


def test_state_is_back():
    assert st.missing() == []


def test_unit_finished_before_network_pre_and_network_target():
    """ActiveEnterTimestampMonotonic of a oneshot is when its ExecStart
    ended; the targets' is when they were reached.  network.target is
    pulled in by the kernel command line (systemd.wants=network.target), as
    a network manager would on a real host."""
    unit = int(show(UNIT, "ActiveEnterTimestampMonotonic")["ActiveEnterTimestampMonotonic"])
    pre = int(show("network-pre.target", "ActiveEnterTimestampMonotonic")["ActiveEnterTimestampMonotonic"])
    net = int(show("network.target", "ActiveEnterTimestampMonotonic")["ActiveEnterTimestampMonotonic"])
    assert unit > 0 and pre > 0 and net > 0, (unit, pre, net)
    assert unit <= pre <= net, (unit, pre, net)


def test_journal_has_the_applied_commands():
    out = subprocess.run(["journalctl", "-b", "-o", "cat", "-u", UNIT, "--no-pager"], check=True,
                         stdout=subprocess.PIPE, universal_newlines=True).stdout
    assert "nlp-br0" in out, out
