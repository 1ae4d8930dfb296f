#!/usr/bin/env bash
# Tier 3 of docs/TESTING: the full-kernel VM tests (tests/vm/).
#
#   tests/vm/run.sh [--provision-only] [--kernel VER] [--verbose] [-- PYTEST ARGS]
#
# Provisions what it needs on first use (reused afterwards):
#   - Debian packages qemu-system-x86, kmod, busybox-static, file
#     (apt-get update at most once per run, only when something is missing);
#   - virtme-ng (pinned) in a venv: .venv-vm/ in the repo root;
#   - the kernel matrix, from Debian's archive with `apt-get download`,
#     unpacked under .cache/vm/kernels/<ver>/ with depmod run on it.
# Then boots each kernel ONCE under QEMU/TCG with vng and runs one pytest
# process over tests/vm/ inside it (tests/vm/guest.sh), prints pytest's
# summary line per kernel, and writes tests/output/junit-vm-<ver>.xml.
#
# Exit status: 0 only if every kernel booted and its pytest run passed.
# Anything missing (QEMU, kernel, python with pytest), a VM that does not
# start or does not report back, or failing tests: non-zero, loudly.
#
# Environment:
#   NETLINK_HOST_VM_KERNEL_PACKAGES  Debian meta packages naming the kernel
#       matrix (default "linux-image-amd64 linux-image-6.12-amd64": on
#       bookworm, the stock 6.1 and bookworm's 6.12).
#   NETLINK_HOST_VM_PYTHON  python with pytest to run in the guest
#       (default .venv-2.19/bin/python, made by scripts/setup.sh).
#   NETLINK_HOST_VM_TIMEOUT  seconds per kernel before the VM is killed (1800: two
#                            guests share two cores under TCG with the foreground
#                            tiers; a run takes 11-12 min here, and CI's machine
#                            was about 1.4x slower on 2026-12-07 and went past
#                            the earlier 1200).
#   NETLINK_HOST_VM_MEMORY / NETLINK_HOST_VM_CPUS  (1G / 2).
set -euo pipefail

# Everything runs inside main(), which bash parses whole before running it:
# editing this file while a run is going cannot derail that run.
main() {

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
CACHE=$ROOT/.cache/vm
VENV=$ROOT/.venv-vm
VIRTME_NG_VERSION=1.42
KERNEL_PACKAGES=${NETLINK_HOST_VM_KERNEL_PACKAGES:-linux-image-amd64 linux-image-6.12-amd64}
TIMEOUT=${NETLINK_HOST_VM_TIMEOUT:-1800}
MEMORY=${NETLINK_HOST_VM_MEMORY:-1G}
CPUS=${NETLINK_HOST_VM_CPUS:-2}
OUTDIR=$ROOT/tests/output
DEBS="qemu-system-x86 kmod busybox-static file"

PROVISION_ONLY=0
ONLY_KERNEL=""
VERBOSE=0
PYTEST_ARGS=()
while [ $# -gt 0 ]; do
    case $1 in
        --provision-only) PROVISION_ONLY=1 ;;
        --kernel) ONLY_KERNEL=$2; shift ;;
        --verbose|-v) VERBOSE=1 ;;
        --) shift; PYTEST_ARGS=("$@"); break ;;
        -h|--help) sed -n '2,30p' "$0"; exit 0 ;;
        *) echo "run.sh: unknown argument $1 (try --help)" >&2; exit 2 ;;
    esac
    shift
done

say() { echo "vm: $*"; }
die() { echo "vm: FAILED: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "needs root (apt-get, depmod, QEMU)"
# The guest sees the host's / read-only, but /tmp, /var and /run are its own
# overlays or tmpfs: a checkout there is shared into the guest explicitly.
# (The results dir is inside it then, so that one mount carries both.)
VNG_MOUNTS=(--rwdir "$CACHE/results")
case $ROOT in
    /tmp/*|/var/*|/run/*) VNG_MOUNTS=(--rwdir "$ROOT") ;;
esac
mkdir -p "$CACHE" "$OUTDIR"

# One run at a time per checkout (results dirs and the kernel cache are shared).
exec 9>"$CACHE/lock"
flock -n 9 || { say "another run.sh holds $CACHE/lock, waiting"; flock 9; }

# ------------------------------------------------------------ provisioning
APT_UPDATED=0
apt_update_once() {
    if [ $APT_UPDATED = 0 ]; then
        say "apt-get update"
        apt-get -o DPkg::Lock::Timeout=600 update -qq || die "apt-get update"
        APT_UPDATED=1
    fi
}

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

missing=""
for p in $DEBS; do installed "$p" || missing="$missing $p"; done
if [ -n "$missing" ]; then
    apt_update_once
    say "apt-get install$missing"
    # shellcheck disable=SC2086  # $missing is a list of package names: split it
    DEBIAN_FRONTEND=noninteractive apt-get install -o DPkg::Lock::Timeout=600 -y -qq --no-install-recommends $missing >/dev/null \
        || die "apt-get install$missing"
fi
command -v qemu-system-x86_64 >/dev/null || die "no qemu-system-x86_64 after installing qemu-system-x86"
DEPMOD=$(command -v depmod || echo /sbin/depmod)
[ -x "$DEPMOD" ] || die "no depmod after installing kmod"

if ! [ -x "$VENV/bin/vng" ] || ! ls -d "$VENV"/lib/python3*/site-packages/virtme_ng-$VIRTME_NG_VERSION.dist-info >/dev/null 2>&1; then
    say "creating $VENV with virtme-ng==$VIRTME_NG_VERSION"
    rm -rf "$VENV"
    python3 -m venv "$VENV" || die "python3 -m venv $VENV"
    "$VENV/bin/pip" install -q --disable-pip-version-check "virtme-ng==$VIRTME_NG_VERSION" 2>&1 \
        | grep -v '^WARNING: Location' || true
    [ -x "$VENV/bin/vng" ] || die "virtme-ng==$VIRTME_NG_VERSION did not install into $VENV"
fi

# kernel_version META -> prints e.g. 6.1.0-56-amd64
kernel_version() {
    apt-cache depends "$1" 2>/dev/null \
        | awk '/Depends: linux-image-[0-9]/ {sub("linux-image-", "", $2); print $2; exit}' || true
}

# fetch_kernel VER: .cache/vm/kernels/VER/{boot/vmlinuz-VER,lib/modules/VER}
fetch_kernel() {
    local ver=$1 dir=$CACHE/kernels/$1 tmp deb
    [ -f "$dir/.ready" ] && return 0
    say "fetching linux-image-$ver"
    tmp=$CACHE/download.$$
    rm -rf "$tmp" "$dir"; mkdir -p "$tmp"
    if ! (cd "$tmp" && apt-get download -q "linux-image-$ver" >/dev/null 2>&1); then
        apt_update_once
        (cd "$tmp" && apt-get download -q "linux-image-$ver" >/dev/null) \
            || { rm -rf "$tmp"; die "apt-get download linux-image-$ver"; }
    fi
    deb=$(ls "$tmp"/*.deb)
    mkdir -p "$dir.part"
    dpkg -x "$deb" "$dir.part" || die "dpkg -x $deb"
    rm -rf "$tmp"
    [ -f "$dir.part/boot/vmlinuz-$ver" ] || die "no boot/vmlinuz-$ver in linux-image-$ver"
    # The guest sees this tree at the same path: virtme-ng finds the modules
    # beside the vmlinuz (.../lib/modules/VER) and links them to the guest's
    # /lib/modules/VER, so nothing is written to the host's /lib/modules.
    "$DEPMOD" -b "$dir.part" "$ver" || die "depmod $ver"
    touch "$dir.part/.ready"
    mv "$dir.part" "$dir"
}

KERNELS=()
for meta in $KERNEL_PACKAGES; do
    ver=$(kernel_version "$meta")
    if [ -z "$ver" ]; then
        apt_update_once
        ver=$(kernel_version "$meta")
    fi
    [ -n "$ver" ] || die "apt-cache depends $meta names no linux-image-<ver> (no such package here?)"
    case " ${KERNELS[*]:-} " in *" $ver "*) continue ;; esac
    KERNELS+=("$ver")
done
if [ -n "$ONLY_KERNEL" ]; then
    case " ${KERNELS[*]} " in
        *" $ONLY_KERNEL "*) KERNELS=("$ONLY_KERNEL") ;;
        *) die "--kernel $ONLY_KERNEL is not in the matrix: ${KERNELS[*]}" ;;
    esac
fi
for ver in "${KERNELS[@]}"; do fetch_kernel "$ver"; done
# Drop kernels that left the matrix (each is ~250 MB unpacked).
if [ -z "$ONLY_KERNEL" ]; then
    for d in "$CACHE"/kernels/*; do
        [ -d "$d" ] || continue
        case " ${KERNELS[*]} " in *" $(basename "$d") "*) ;; *) rm -rf "$d" ;; esac
    done
fi
say "kernel matrix: ${KERNELS[*]}"

# Python with pytest, used inside the guest (the guest sees the host's fs).
PY=${NETLINK_HOST_VM_PYTHON:-$ROOT/.venv-2.19/bin/python}
[ -x "$PY" ] || die "no python at $PY: run scripts/setup.sh (creates .venv-2.19) or set NETLINK_HOST_VM_PYTHON"
"$PY" -c 'import pytest' 2>/dev/null || die "$PY has no pytest: run scripts/setup.sh or set NETLINK_HOST_VM_PYTHON"
case $PY in
    "$ROOT"/*) ;;
    /tmp/*|/var/*|/run/*) die "$PY is under /tmp, /var or /run outside the checkout, invisible to the guest" ;;
esac

[ $PROVISION_ONLY = 1 ] && { say "provisioned"; exit 0; }

# Collect on the host first (fast): import errors show in seconds, not after
# a boot, and the root conftest makes its .build/ link while / is writable.
# Byte-compile the collection and tests here: the guest's / is read-only, so
# whatever has no .pyc yet would be compiled again (slowly) on every import.
"$PY" -m compileall -q -j 0 "$ROOT/plugins" "$ROOT/tests" "$ROOT/conftest.py" >/dev/null 2>&1 || true
set +e
(cd "$ROOT" && NETLINK_HOST_VM=1 PYTEST_DISABLE_PLUGIN_AUTOLOAD=1 "$PY" -m pytest -q --collect-only \
    tests/vm "${PYTEST_ARGS[@]}" >"$CACHE/collect.log" 2>&1)
crc=$?
set -e
if [ $crc = 5 ]; then
    die "no tests in tests/vm were selected (pytest args: ${PYTEST_ARGS[*]:-none})"
elif [ $crc != 0 ]; then
    cat "$CACHE/collect.log"; die "collecting tests/vm on the host failed (pytest exit $crc)"
fi
say "$(tail -n 1 "$CACHE/collect.log")"

# ------------------------------------------------------------------- boots
export PATH=$VENV/bin:$PATH   # vng calls virtme-run by name
export HOME=/tmp
RESULTS=$CACHE/results
mkdir -p "$RESULTS"
BOOT_PIDS=()
rm -f "$RESULTS"/*/timeout.pid "$RESULTS"/*/reboot/timeout.pid   # left by a killed run; none of ours runs now
trap 'stop_vms; exit 130' INT
trap 'stop_vms; exit 143' TERM
trap 'stop_vms' EXIT

# start_vm VER [reboot]: boots VER in the background; its timeout's pid is
# appended to BOOT_PIDS; the console goes to results/VER/console.log.  With
# "reboot", the same background job then boots VER again with systemd
# (systemd_boot) if boot 1 left a unit: the other kernel's boot 1 may still
# be running then, and the two VMs share the cores as two boot 1s do.
start_vm() {
    local ver=$1 reboot=${2:-} res=$RESULTS/$1 guest_cmd a
    rm -rf "$res"; mkdir -p "$res"
    rm -f "$OUTDIR/junit-vm-$ver.xml"
    guest_cmd="sh $(printf '%q' "$ROOT/tests/vm/guest.sh") $(printf '%q' "$res") $(printf '%q' "$PY")"
    for a in "${PYTEST_ARGS[@]}"; do guest_cmd+=" $(printf '%q' "$a")"; done
    # The last kernel of the matrix only (the newest), shown as "deselected"
    # elsewhere: the 1,000-SA benchmark (~100 s under TCG; its figures
    # compare with iproute2 in the same guest, one kernel is enough), and
    # boot 1 of the reboot test (~200 s under TCG: five module runs and the
    # program; only that kernel boots again, and the modules' behaviour on
    # each kernel is what the other tests check).
    if [ "$ver" != "${KERNELS[${#KERNELS[@]}-1]}" ]; then
        guest_cmd+=" --deselect tests/vm/test_xfrm_sa_bench_vm.py::test_xfrm_sa_bench"
        guest_cmd+=" --deselect tests/vm/test_persist_vm.py::test_apply_and_persist_for_the_reboot"
    fi
    date +%s.%N > "$res/t_start"
    : > "$res/console.log"
    (
        cd "$ROOT"
        timeout -k 15 "$TIMEOUT" vng --run "$CACHE/kernels/$ver/boot/vmlinuz-$ver" \
            --disable-kvm --force-9p --memory "$MEMORY" --cpus "$CPUS" --verbose \
            "${VNG_MOUNTS[@]}" --exec "$guest_cmd" </dev/null >"$res/console.log" 2>&1 &
        echo $! > "$res/timeout.pid"
        rc=0; wait $! || rc=$?
        date +%s.%N > "$res/t_end"
        echo "$rc" > "$res/vng_rc"
        rm -f "$res/timeout.pid"
        if [ -n "$reboot" ] && [ -f "$res/persist/units/netlink-host.service" ]; then
            systemd_boot "$ver"
        fi
    ) &
    BOOT_PIDS+=($!)
}

# systemd_boot VER: the second boot of the reboot test, in the foreground
# (of start_vm's background job);
# results in results/VER/reboot/.  vng --systemd boots the host's / over
# 9p read-only, as every boot here, and execs /sbin/init after making
# /lib/modules a tmpfs.  Three mounts, made in a private mount namespace of
# this host (they vanish with it; the host's own files are untouched), make
# that work: an overlay on /usr/lib adding an empty modules/ (this host has
# no /lib/modules and vng's `mkdir -p` fails on the read-only root), an
# overlay on /usr/sbin whose init is tests/vm/systemd-init.sh (mounts the
# guest's own /proc, /sys, /run, then execs systemd as PID 1), and boot 1's
# unit dir bound on /etc/systemd/system (only our unit enabled there).
# The overlay on /usr/lib also carries tests/vm/nlvm-reboot-check.service,
# which runs tests/vm/reboot once network.target is reached and powers the
# guest off (vng's own serial-getty route for the guest script does not run
# under this systemd: see that file).
systemd_boot() {
    local ver=$1 res=$RESULTS/$1/reboot units=$RESULTS/$1/persist/units guest_cmd
    rm -rf "$res"; mkdir -p "$res/lib/modules" "$res/sbin"
    rm -f "$OUTDIR/junit-vm-$ver-systemd-boot.xml"
    cp "$ROOT/tests/vm/systemd-init.sh" "$res/sbin/init"
    # Units go in through the overlay on /usr/lib (systemd.wants= on the
    # kernel command line did not start the check unit in this guest, cause
    # not found; the line was whole): the check unit and network.target
    # wanted by multi-user.target (network.target stands in for a network
    # manager, nothing else pulls it in here), and systemd-tmpfiles-setup
    # masked (it walks the host's trees over 9p).
    mkdir -p "$res/lib/systemd/system/multi-user.target.wants"
    cp "$ROOT/tests/vm/nlvm-reboot-check.service" "$res/lib/systemd/system/"
    ln -s ../nlvm-reboot-check.service "$res/lib/systemd/system/multi-user.target.wants/"
    ln -s ../network.target "$res/lib/systemd/system/multi-user.target.wants/"
    ln -s /dev/null "$res/lib/systemd/system/systemd-tmpfiles-setup.service"
    guest_cmd="NETLINK_HOST_VM_BOOT=systemd NETLINK_HOST_VM_PERSIST=$(printf '%q' "$RESULTS/$ver/persist")"
    guest_cmd+=" sh $(printf '%q' "$ROOT/tests/vm/guest.sh") $(printf '%q' "$res") $(printf '%q' "$PY")"
    # What nlvm-reboot-check.service runs.  Under systemd nothing of vng's
    # guest init runs, so this mounts what it would have: the --rwdir
    # (virtme.initmount0, the first and only one; results go there), a
    # writable /tmp (the guest's / is the host's, read-only) and the
    # checkout as working directory (guest.sh runs pytest there).  Then the
    # checks, then power off at once (-ff: reboot(2), the results are synced).
    {
        echo '#!/bin/sh'
        # /tmp first: a checkout under /tmp (a CI clone) is the rwdir
        # itself, mounted on its own path inside that tmpfs
        echo 'mount -t tmpfs -o mode=1777 tmpfs /tmp'
        echo "mkdir -p $(printf '%q' "${VNG_MOUNTS[1]}")"
        echo "mount -t 9p -o rw,version=9p2000.L,trans=virtio,access=any,msize=524288 virtme.initmount0 $(printf '%q' "${VNG_MOUNTS[1]}")"
        echo "cd $(printf '%q' "$ROOT") || exit 1"
        echo "$guest_cmd"
        echo 'sync'
        echo 'systemctl --force --force poweroff'
    } > "$res/sbin/nlvm-reboot-check"
    chmod 755 "$res/sbin/init" "$res/sbin/nlvm-reboot-check"
    date +%s.%N > "$res/t_start"
    local rc=0
    (
        cd "$ROOT"
        # shellcheck disable=SC2016  # $1.. are the inner sh's arguments
        exec timeout -k 15 "$TIMEOUT" unshare --mount --propagation private sh -c '
            mount -t overlay -o ro,lowerdir="$1/lib":/usr/lib nlvm-lib /usr/lib &&
            mount -t overlay -o ro,lowerdir="$1/sbin":/usr/sbin nlvm-sbin /usr/sbin &&
            mount --bind "$2" /etc/systemd/system && shift 2 && exec "$@"' sh "$res" "$units" \
            vng --run "$CACHE/kernels/$ver/boot/vmlinuz-$ver" \
            --disable-kvm --force-9p --memory "$MEMORY" --cpus "$CPUS" --verbose --systemd \
            --append systemd.show_status=error \
            "${VNG_MOUNTS[@]}" --exec "$guest_cmd" </dev/null >"$res/console.log" 2>&1
    ) &
    echo $! > "$res/timeout.pid"
    wait $! || rc=$?
    rm -f "$res/timeout.pid"
    date +%s.%N > "$res/t_end"
    echo "$rc" > "$res/vng_rc"
}

# stop_vms: on Ctrl-C or TERM, stop the VMs this run started (timeout
# passes the signal on to vng and QEMU in its process group).
stop_vms() {
    local f
    for f in "$RESULTS"/*/timeout.pid "$RESULTS"/*/reboot/timeout.pid; do
        [ -f "$f" ] && kill -TERM "$(cat "$f")" 2>/dev/null
    done
    return 0
}

# wait_vm PID: waits for a start_vm's background job.
wait_vm() {
    wait "$1" || true
}

# Guest output from the start marker on, without kernel messages.
show_guest() {
    if [ $VERBOSE = 1 ]; then cat; else
        sed -un '/^NLVM-GUEST-START/,$p' | grep --line-buffered -v '^\[ *[0-9]*\.[0-9]*\]'
    fi
}

# Two kernels at once when there are two cores: the guests' Python is
# single-threaded, so each VM mostly keeps one host core busy.
PARALLEL=${NETLINK_HOST_VM_PARALLEL:-auto}
if [ "$PARALLEL" = auto ]; then
    if [ "$(nproc)" -ge 2 ] && [ ${#KERNELS[@]} -gt 1 ]; then PARALLEL=1; else PARALLEL=0; fi
fi

# One set of VMs per machine at a time, whichever checkout starts them: TCG
# guests on a 2-core machine only slow each other down (and hit timeouts).
MACHINE_LOCK=/run/lock/netlink-host-vm.lock
[ -d /run/lock ] || MACHINE_LOCK=$CACHE/machine.lock
exec 8>"$MACHINE_LOCK"
if ! flock -n 8; then
    say "VMs of another run.sh are running on this machine ($MACHINE_LOCK), waiting"
    t_wait=$(date +%s)
    flock 8
    say "waited $(( $(date +%s) - t_wait ))s for $MACHINE_LOCK"
fi

# The reboot test of issue 13 (tests/vm/test_persist_vm.py, tests/vm/reboot):
# when boot 1 ran test_persist_vm.py, it left a saved state, the program and
# netlink-host.service (as nl_persist wrote them) in results/<ver>/persist;
# start_vm then boots that kernel once more with systemd as PID 1 and that
# unit dir as the guest's /etc/systemd/system, and tests/vm/reboot checks the
# unit put the state back before network.target.  The last kernel of the
# matrix only: what is tested is the boot path (unit ordering, the program
# replaying a saved state); every kind's kernel behaviour is tested on both
# kernels in boot 1.
reboot_ver=${KERNELS[${#KERNELS[@]}-1]}
t_all=$(date +%s)
if [ "$PARALLEL" = 1 ]; then
    say "booting ${KERNELS[*]} in parallel under TCG (timeout ${TIMEOUT}s each; consoles in $RESULTS/<ver>/console.log)"
    for ver in "${KERNELS[@]}"; do
        if [ "$ver" = "$reboot_ver" ]; then start_vm "$ver" reboot; else start_vm "$ver"; fi
    done
    pids=("${BOOT_PIDS[@]}")
    for i in "${!KERNELS[@]}"; do
        wait_vm "${pids[$i]}"
        say "---- kernel ${KERNELS[$i]} ----"
        show_guest < "$RESULTS/${KERNELS[$i]}/console.log"
    done
else
    for ver in "${KERNELS[@]}"; do
        say "booting $ver under TCG (timeout ${TIMEOUT}s, console log $RESULTS/$ver/console.log)"
        if [ "$ver" = "$reboot_ver" ]; then start_vm "$ver" reboot; else start_vm "$ver"; fi
        pid=${BOOT_PIDS[${#BOOT_PIDS[@]}-1]}
        tail -n +1 -f --pid="$pid" "$RESULTS/$ver/console.log" 2>/dev/null | show_guest &
        tailpid=$!
        wait_vm "$pid"
        wait "$tailpid" || true
    done
fi
t_end=$(date +%s)

# The second boot of the reboot test ran in start_vm's job, if boot 1 left
# a unit (start_vm wiped results/<ver>, so a reboot/ there is this run's).
REBOOTED=()
if [ -f "$RESULTS/$reboot_ver/reboot/t_start" ]; then
    REBOOTED+=("$reboot_ver")
    say "---- kernel $reboot_ver, booted again with systemd as PID 1, netlink-host.service from boot 1 ----"
    show_guest < "$RESULTS/$reboot_ver/reboot/console.log"
fi

# ----------------------------------------------------------------- verdict
failures=0
empty=0
report=()
for entry in "${KERNELS[@]}" ${REBOOTED[@]+"${REBOOTED[@]/%/:systemd}"}; do
    ver=${entry%:systemd}
    res=$RESULTS/$ver
    label="kernel $ver"
    junit=$OUTDIR/junit-vm-$ver.xml
    if [ "$entry" != "$ver" ]; then
        res=$res/reboot; label="kernel $ver, systemd boot"; junit=$OUTDIR/junit-vm-$ver-systemd-boot.xml
    fi
    vng_rc=$(cat "$res/vng_rc" 2>/dev/null || echo "?")
    total=$(awk -v a="$(cat "$res/t_start")" -v b="$(cat "$res/t_end" 2>/dev/null || date +%s.%N)" 'BEGIN{printf "%.1f", b-a}')
    boot=$(cat "$res/boot_uptime" 2>/dev/null || echo "?")
    pyt=$(awk '{printf "%.1f", $2-$1}' "$res/pytest_uptime" 2>/dev/null || echo "?")
    rc=$(cat "$res/rc" 2>/dev/null || echo "")
    summary=$(grep -E '^=+ .* in [0-9.]+s.* =+$' "$res/pytest.log" 2>/dev/null | tail -n 1 \
        | sed -E 's/^=+ //; s/ =+$//' || true)
    if [ -f "$res/junit.xml" ]; then cp "$res/junit.xml" "$junit"; fi
    if [ "$vng_rc" = 124 ] || [ "$vng_rc" = 137 ]; then
        status="FAILED (VM killed after ${TIMEOUT}s timeout)"
        echo "---- last lines of $res/console.log ----" >&2
        tail -n 20 "$res/console.log" >&2 || true
    elif [ -z "$rc" ]; then
        status="FAILED (VM did not start or did not report back; vng exit $vng_rc)"
        echo "---- last lines of $res/console.log ----" >&2
        tail -n 40 "$res/console.log" >&2 || true
    elif [ "$rc" = 5 ] && [ ${#PYTEST_ARGS[@]} -gt 0 ]; then
        # pytest's "no tests selected": the arguments given (say
        # `-k xfrm_sa_bench`, which only the last kernel runs) pick nothing
        # on this kernel.  Not a failure, as long as some boot ran tests
        # (checked below); without arguments every boot must run tests.
        status="ok (nothing selected on this kernel)"
        empty=$((empty + 1))
    elif [ "$rc" != 0 ]; then
        status="FAILED (pytest exit $rc)"
    elif [ ! -f "$junit" ]; then
        status="FAILED (no junit xml)"
    else
        status="ok"
    fi
    case $status in ok*) ;; *) failures=$((failures + 1)) ;; esac
    if [ -s "$res/modprobe_failed" ] && [ -n "$(tr -d ' \n' <"$res/modprobe_failed")" ]; then
        say "kernel $ver: modprobe failed for:$(cat "$res/modprobe_failed")"
    fi
    report+=("$label: ${summary:-no pytest summary} -- $status (boot ${boot}s, pytest ${pyt}s, VM total ${total}s wall)")
done

echo
say "results (${#KERNELS[@]} kernel(s), $((t_end - t_all))s wall for the boots, parallel=$PARALLEL):"
for line in "${report[@]}"; do say "  $line"; done
if [ $failures -gt 0 ]; then
    die "$failures of ${#report[@]} boot(s) failed"
fi
if [ $empty -eq ${#report[@]} ]; then
    die "no boot ran a test (pytest args: ${PYTEST_ARGS[*]})"
fi
say "all kernels passed"
}

main "$@"
