#!/bin/sh
# PID 1 of the VM tier's systemd boot (tests/vm/run.sh, reboot step): a
# shim that execs Debian's systemd, so systemd IS PID 1 and boots the guest.
#
# run.sh puts this file at /usr/sbin/init in the guest (an overlay in a
# private mount namespace of the host; the host's own /usr/sbin is
# untouched), where `vng --systemd` execs /sbin/init.  It is needed because
# the guest's root is the host's / over 9p: /proc, /sys and /run there show
# the HOST's (QEMU's 9p export crosses the host's mounts), so systemd would
# read the host's /proc/1 and hang before its first log line.  Mounting the
# guest's own first is what an initramfs does before switch_root.
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t tmpfs -o mode=755,nosuid,nodev tmpfs /run
# The host's /.dockerenv is visible too: systemd would take the guest for a
# docker container (and start console-getty, not the serial getty through
# which vng runs the test script).  PID 1's container= set empty is
# authoritative for systemd's detect_container(): not a container.
export container=
exec /lib/systemd/systemd "$@"
