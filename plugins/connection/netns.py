# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
name: netns
short_description: Run tasks inside a network namespace of the controller
version_added: "0.2.0"
description:
  - Treats a named network namespace of the machine Ansible runs on (one that
    C(ip netns list) shows, a file under C(/run/netns)) as a host. Every
    command of a task, module payloads included, runs through
    C(ip netns exec NAME), so it sees the namespace's links, addresses,
    routes and firewall, a C(/sys) mounted for that namespace (facts such as
    C(ansible_interfaces) are the namespace's own) and the files of
    C(/etc/netns/NAME) in place of their C(/etc) counterparts, exactly as
    C(ip netns exec) gives them.
  - Any module and any playbook runs this way, not only this collection's.
    An inventory of namespaces is how this collection's own role and
    molecule scenarios are tested.
  - The file system is the controller's own (a network namespace does not
    have another one); files are copied in and fetched through C(ip netns exec)
    too, so a file that C(/etc/netns/NAME) overrides is the namespace's copy.
author:
  - netlink.host contributors (@netlink-host)
options:
  remote_addr:
    description:
      - The name of the network namespace to run in.
      - Taken from C(ansible_host) when set, else the inventory hostname.
    type: str
    default: inventory_hostname
    vars:
      - name: inventory_hostname
      - name: ansible_host
  ip_executable:
    description:
      - The C(ip) program (iproute2) that enters the namespace.
      - Found on C(PATH), then as C(/usr/sbin/ip), C(/sbin/ip), C(/usr/bin/ip), C(/bin/ip).
    type: str
    vars:
      - name: ansible_netns_ip_executable
    env:
      - name: ANSIBLE_NETNS_IP_EXECUTABLE
extends_documentation_fragment:
  - connection_pipelining
notes:
  - Entering a network namespace takes CAP_SYS_ADMIN, so Ansible itself must
    run as root on the controller (as for the chroot connection). Privilege
    escalation that asks for a password is not supported; none is needed.
  - The remote user is ignored; tasks run as the user Ansible runs as.
  - A namespace given by a path (C(/proc/PID/ns/net)) is not supported here;
    name it with C(ip netns attach NAME PID) first.
'''

EXAMPLES = r'''
# inventory.ini: three namespaces as hosts
# [routers]
# r1
# [hosts]
# h1 ansible_host=ns-h1
# h2 ansible_host=ns-h2
# [all:vars]
# ansible_connection=netlink.host.netns
# ansible_python_interpreter=/usr/bin/python3

- name: Configure every namespace as if it were a host
  hosts: all
  gather_facts: true
  tasks:
    - name: Show the namespace's own interfaces
      ansible.builtin.debug:
        var: ansible_interfaces

    - name: Manage a link inside the namespace
      netlink.host.nl_link:
        name: br0
        kind: bridge
        state: up
'''

import os
import shutil
import subprocess

from ansible.errors import AnsibleConnectionFailure, AnsibleError, AnsibleFileNotFound
from ansible.module_utils.common.text.converters import to_bytes, to_text
from ansible.plugins.connection import ConnectionBase
from ansible.utils.display import Display

display = Display()

NETNS_RUN_DIR = "/run/netns"  # where ip netns keeps named namespaces
IP_CANDIDATES = ("/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip")
DEFAULT_SHELL = "/bin/sh"


def namespace_path(name):
    """The bind-mounted namespace file of ``name``; refuses a name that is
    not a plain file name (ip netns takes none other)."""
    if not name or "/" in name or name in (".", ".."):
        raise AnsibleConnectionFailure("netns connection: %r is not a network namespace name" % (name,))
    path = os.path.join(NETNS_RUN_DIR, name)
    if not os.path.exists(path):
        raise AnsibleConnectionFailure("netns connection: no network namespace %r (no %s; ip netns list shows the names)"
                                       % (name, path))
    return path


class Connection(ConnectionBase):
    """Commands through ``ip netns exec NAME /bin/sh -c CMD``."""

    transport = "netlink.host.netns"
    has_pipelining = True
    default_user = None

    def __init__(self, *args, **kwargs):
        super(Connection, self).__init__(*args, **kwargs)
        self.netns = None
        self.ip = None

    def _connect(self):
        if not self._connected:
            self.netns = self.get_option("remote_addr")
            namespace_path(self.netns)
            if os.geteuid() != 0:
                raise AnsibleConnectionFailure("netns connection: entering namespace %r needs root on the controller"
                                               % self.netns)
            self.ip = self._find_ip()
            display.vvv("ESTABLISH NETNS CONNECTION TO %s" % self.netns, host=self.netns)
            self._connected = True
        return self

    def _find_ip(self):
        configured = self.get_option("ip_executable")
        found = configured or shutil.which("ip") or next((p for p in IP_CANDIDATES if os.access(p, os.X_OK)), None)
        if not found or not os.access(found, os.X_OK):
            raise AnsibleConnectionFailure("netns connection: no ip program (iproute2) at %s"
                                           % (configured or "PATH or " + ", ".join(IP_CANDIDATES)))
        return found

    def _command(self, cmd):
        # /etc/netns/NAME and a namespace-own /sys come from ip netns exec,
        # which is why it is used rather than a bare setns().
        return [self.ip, "netns", "exec", self.netns, DEFAULT_SHELL, "-c", cmd]

    def exec_command(self, cmd, in_data=None, sudoable=True):
        super(Connection, self).exec_command(cmd, in_data=in_data, sudoable=sudoable)
        self._connect()
        display.vvv("EXEC %s" % cmd, host=self.netns)
        proc = subprocess.Popen([to_bytes(a, errors="surrogate_or_strict") for a in self._command(cmd)],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        stdout, stderr = proc.communicate(in_data)
        return proc.returncode, stdout, stderr

    def _copy(self, script, path, stdin, stdout):
        """Run ``script`` (with ``path`` as $1) inside the namespace, so a
        file that /etc/netns/NAME overrides is the one read or written."""
        argv = [self.ip, "netns", "exec", self.netns, DEFAULT_SHELL, "-c", script, "netns-copy", path]
        proc = subprocess.Popen([to_bytes(a, errors="surrogate_or_strict") for a in argv],
                                stdin=stdin, stdout=stdout, stderr=subprocess.PIPE)
        stderr = proc.communicate()[1]
        return proc.returncode, to_text(stderr).strip()

    def put_file(self, in_path, out_path):
        super(Connection, self).put_file(in_path, out_path)
        self._connect()
        display.vvv("PUT %s TO %s" % (in_path, out_path), host=self.netns)
        try:
            source = open(to_bytes(in_path, errors="surrogate_or_strict"), "rb")
        except (IOError, OSError):
            raise AnsibleFileNotFound("file or module does not exist: %s" % to_text(in_path))
        with source:
            rc, err = self._copy('cat > "$1"', out_path, source, subprocess.DEVNULL)
        if rc != 0:
            raise AnsibleError("netns connection: failed to put %s to %s: %s" % (in_path, out_path, err))

    def fetch_file(self, in_path, out_path):
        super(Connection, self).fetch_file(in_path, out_path)
        self._connect()
        display.vvv("FETCH %s TO %s" % (in_path, out_path), host=self.netns)
        with open(to_bytes(out_path, errors="surrogate_or_strict"), "wb") as target:
            rc, err = self._copy('cat -- "$1"', in_path, subprocess.DEVNULL, target)
        if rc != 0:
            raise AnsibleError("netns connection: failed to fetch %s to %s: %s" % (in_path, out_path, err))

    def reset(self):
        # Nothing lives between commands to tear down: every command and
        # file copy is its own ip netns exec process.  Saying so (rather
        # than ConnectionBase's "Reset is not implemented" warning) is the
        # truth; the next command looks the namespace up again.
        display.vvv("RESET NETNS CONNECTION TO %s (nothing to close: each command is its own ip netns exec)"
                    % self.get_option("remote_addr"), host=self.get_option("remote_addr"))
        self.close()

    def close(self):
        self._connected = False
