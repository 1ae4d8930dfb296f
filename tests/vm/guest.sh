#!/bin/sh
# Runs INSIDE the VM guest; started by tests/vm/run.sh through `vng --exec`.
#
#   guest.sh RESULT_DIR PYTHON [PYTEST ARGS...]
#
# Loads the kernel modules the VM tier needs, then runs ONE pytest process
# over tests/vm.  Everything the host needs comes back through RESULT_DIR
# (a --rwdir): rc, pytest.log, junit.xml, boot_uptime, modprobe_failed.
# The host's root filesystem is read-only here (overlays on /etc /lib /home
# /opt /srv /usr /var /tmp vanish with the guest), hence HOME=/tmp and no
# pytest cache or bytecode writes.
res=$1
py=$2
shift 2

# Guest uptime when the script starts = how long the kernel took to boot.
cut -d' ' -f1 /proc/uptime > "$res/boot_uptime"
kver=$(uname -r)
echo "NLVM-GUEST-START kernel=$kver uptime=$(cat "$res/boot_uptime")s"

# Kernel messages stay in dmesg (saved below), not on the console between
# pytest's dots.
dmesg -n 1 2>/dev/null

export HOME=/tmp
export PYTHONDONTWRITEBYTECODE=1
# pytest's output goes through tee to the console: unbuffered, so a VM
# killed by run.sh's timeout shows the test it was in, not the last 8 KiB
# boundary Python happened to flush.
export PYTHONUNBUFFERED=1
# No entry-point plugins: importing e.g. hypothesis's plugin alone took
# minutes under TCG.  A VM test that needs a plugin names it with -p.
export PYTEST_DISABLE_PLUGIN_AUTOLOAD=1
export NETLINK_HOST_VM=1
export NETLINK_HOST_VM_KERNEL="$kver"
# Where a test may leave files for the host (e.g. benchmark figures).
export NETLINK_HOST_VM_RESULTS="$res"
# Where test_persist_vm.py saves state, program and unit for run.sh's second
# boot (a directory of the host's results: it outlives this guest).
export NETLINK_HOST_VM_PERSIST="${NETLINK_HOST_VM_PERSIST:-$res/persist}"
tests=tests/vm
suite="vm-$kver"
if [ "${NETLINK_HOST_VM_BOOT:-}" = systemd ]; then
    # run.sh's second boot, systemd as PID 1: only tests/vm/reboot, which
    # reads what the boot did; no modules to load for it.
    tests=tests/vm/reboot
    suite="vm-$kver-systemd-boot"
    skip_modprobe=1
fi

# Test modules, then the crypto the ESP/AH/IPcomp tests use (the kernel
# would autoload most of these, but a missing one should show here).
MODULES="esp4 esp6 ah4 ah6 ipcomp ipcomp6 xfrm_user xfrm_interface dummy
8021q bonding vrf veth bridge macvlan vxlan mpls_router mpls_iptunnel
ip_gre ip6_gre ipip sit ip6_tunnel geneve ipvlan
aes_generic gcm ghash_generic ctr seqiv echainiv authenc cbc hmac sha256_generic
sha1_generic deflate"
failed=""
[ -n "${skip_modprobe:-}" ] && MODULES=""
for m in $MODULES; do
    modprobe "$m" 2>>"$res/modprobe.err" || failed="$failed $m"
done
echo "$failed" > "$res/modprobe_failed"
[ -n "$failed" ] && echo "NLVM-GUEST modprobe failed:$failed"

# pytest.ini's cache_dir is in the (read-only) checkout: keep it in /tmp.
# The junit suite name carries the kernel.
start=$(cut -d' ' -f1 /proc/uptime)
{
    "$py" -m pytest -o cache_dir=/tmp/nlvm-pytest-cache -rfEs \
        --junitxml="$res/junit.xml" -o junit_suite_name="$suite" \
        "$tests" "$@"
    echo $? > "$res/rc"
} 2>&1 | tee "$res/pytest.log"
end=$(cut -d' ' -f1 /proc/uptime)
echo "$start $end" > "$res/pytest_uptime"
echo "NLVM-GUEST-END rc=$(cat "$res/rc" 2>/dev/null || echo missing)"
dmesg > "$res/dmesg.log" 2>&1
sync
