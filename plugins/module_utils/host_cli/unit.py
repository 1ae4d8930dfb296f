# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""netlink-host.service: the boot-time apply of the saved state.

Oneshot, early: ordered before network-pre.target (so before any network
manager and before network.target) with DefaultDependencies=no, as
firewall loaders (nftables.service) and systemd-networkd order themselves;
after the local file systems (the program and /etc), systemd-sysctl and
systemd-modules-load (settings and modules a link may need), udev's
device settling where the host still uses it (ordering only: it is not
pulled in), and after the device unit of every existing link the saved
state names and does not create (``sys-subsystem-net-devices-<name>.device``,
wanted and ordered after, so a NIC udev renames is there first; see
needed_devices()).  ExecStart runs
``netlink-host apply`` on the state directory; output goes to the journal
under ``netlink-host``; a failure fails the unit (``systemctl
--failed``).
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

from ..objects.link_types import created_with, parents
from .package import text_differs, write_text

NAME = "netlink-host.service"
WANTED_BY = "multi-user.target"
UNIT_MODE = 0o644

TEMPLATE = """\
# Written by netlink.host's nl_persist: apply the saved network state at boot.
[Unit]
Description=Apply the saved netlink.host network state
DefaultDependencies=no
ConditionPathExists=%(state_dir)s
Wants=network-pre.target%(wants)s
Before=network-pre.target network.target shutdown.target
After=local-fs.target systemd-sysctl.service systemd-modules-load.service systemd-udev-settle.service%(after)s
Conflicts=shutdown.target

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=%(exec_start)s
StandardOutput=journal
StandardError=journal
SyslogIdentifier=netlink-host

[Install]
WantedBy=%(wanted_by)s
"""


def device_unit(name):
    """systemd's device unit for a network interface (systemd-escape
    --path /sys/subsystem/net/devices/NAME: '/' -> '-', '-' and bytes
    outside [A-Za-z0-9:_.] -> \\xNN)."""
    out = []
    for ch in "sys/subsystem/net/devices/" + name:
        if ch == "/":
            out.append("-")
        elif (ch.isalnum() and ord(ch) < 128) or ch in ":_.":
            out.append(ch)
        else:
            out.append("\\x%02x" % ord(ch))
    return "".join(out) + ".device"


def exec_start(program, state_dir):
    return "%s apply %s" % (program, state_dir)


def render(program, state_dir, devices=()):
    devs = "".join(" " + device_unit(d) for d in sorted(devices))
    return TEMPLATE % {"state_dir": state_dir, "exec_start": exec_start(program, state_dir),
                       "wants": devs, "after": devs, "wanted_by": WANTED_BY}


def _created_and_used(links):
    """(names the links section creates, names it uses).  An item with
    ``kind`` creates its link and whatever comes with it (a veth's peer);
    one without names a link that must exist already.  What an item
    depends on (parent ``link``, ``master``, a tunnel's or vxlan's
    ``dev``) is used.  objects/link_types knows which options those are
    for each kind.  An item with ``state: absent`` neither creates nor
    needs its link: it is removed if it is there."""
    created, used = set(), set()
    for link in links or []:
        if not isinstance(link, dict) or not isinstance(link.get("name"), str):
            continue
        if link.get("state") == "absent":
            continue
        if link.get("kind"):
            created.add(link["name"])
            created.update(created_with(link))
        else:
            used.add(link["name"])
        used.update(p for p in parents(link) if isinstance(p, str))
    return created, used


def _devs(items):
    """The ``dev`` of each item and of each of its next hops (a multipath
    route names one per hop)."""
    for item in items or []:
        if not isinstance(item, dict):
            continue
        for each in [item] + [h for h in item.get("nexthops") or [] if isinstance(h, dict)]:
            if isinstance(each.get("dev"), str):
                yield each["dev"]


def needed_devices(sections):
    """Links the saved state uses but does not create (physical NICs and
    the like): the unit waits for their device units.  Never a link the
    state creates (a veth's peer included, wherever it goes): no device
    unit appears for it before the unit itself runs, so waiting for one
    would hold the boot for the device job's whole timeout."""
    created, used = _created_and_used(sections.get("links"))
    used.update(_devs(sections.get("addresses")))
    used.update(_devs(sections.get("routes")))
    used.discard("lo")
    return sorted(used - created)


def _wants_link(unit_dir):
    return os.path.join(unit_dir, WANTED_BY + ".wants", NAME)


def differs(unit_dir, text, enable=True):
    """Whether write() would change anything (check mode)."""
    return (text_differs(os.path.join(unit_dir, NAME), text, UNIT_MODE)
            or bool(enable) != os.path.islink(_wants_link(unit_dir)))


def write(unit_dir, text, enable=True):
    """Write the unit (and the WantedBy symlink ``systemctl enable`` makes);
    returns (changed, path)."""
    if not os.path.isdir(unit_dir):
        os.makedirs(unit_dir, 0o755)
    path = os.path.join(unit_dir, NAME)
    changed = write_text(path, text, UNIT_MODE)
    link = _wants_link(unit_dir)
    wants = os.path.dirname(link)
    if enable and not os.path.islink(link):
        if not os.path.isdir(wants):
            os.makedirs(wants, 0o755)
        os.symlink(path, link)
        changed = True
    elif not enable and os.path.islink(link):
        os.unlink(link)
        changed = True
    return changed, path
