"""Boot 1 of the reboot test (issue 13): apply with persistence.

In the guest's own network namespace (the unit applies there at boot; the
VM is thrown away), the modules apply vm_persist_state's links, addresses,
routes and rules, and nl_persist saves the same lists with the program and
the unit, under NETLINK_HOST_VM_PERSIST (a directory of the host's results,
so it outlives this guest).  tests/vm/run.sh then boots the kernel again with
systemd as PID 1 and that directory's unit dir as /etc/systemd/system, and
tests/vm/reboot/ checks that netlink-host.service put the state back before
network.target.
"""
import os
import shutil
import subprocess

import vm_persist_state as st


def test_apply_and_persist_for_the_reboot(run_module):
    persist = os.environ.get("NETLINK_HOST_VM_PERSIST")
    assert persist, "guest.sh sets NETLINK_HOST_VM_PERSIST"
    # a state of an earlier run must not stand in for this one's
    shutil.rmtree(persist, ignore_errors=True)
    assert st.missing(), "the guest's namespace holds the state before the test applied it"

    for module, args in (("nl_link", {"links": st.LINKS}),
                         ("nl_addr", {"devices": st.ADDRESSES}),
                         ("nl_route", {"routes": st.ROUTES}),
                         ("nl_rule", {"rules": st.RULES})):
        r = run_module(module, args)
        assert not r.get("failed") and r["changed"], (module, r)
    assert st.missing() == []

    r = run_module("nl_persist", {
        "links": st.LINKS, "addresses": st.ADDRESSES, "routes": st.ROUTES, "rules": st.RULES,
        "dir": os.path.join(persist, "etc"), "prefix": os.path.join(persist, "usr"),
        "unit_dir": os.path.join(persist, "units"),
    })
    assert not r.get("failed") and r["changed"], r
    assert r["unit"] == os.path.join(persist, "units", "netlink-host.service")
    assert os.path.islink(os.path.join(persist, "units", "multi-user.target.wants", "netlink-host.service"))

    # The saved state is what the kernel holds now: the program finds no drift.
    proc = subprocess.run([r["program"], "check", os.path.join(persist, "etc")], check=False,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True)
    assert proc.returncode == 0, proc.stdout
