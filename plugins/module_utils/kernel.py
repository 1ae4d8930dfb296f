# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""KernelContext: the sockets one task talks through, and the link
name <-> ifindex map that every object kind needs (links are named by
name in playbooks, by index on the wire)."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

from .netlink import const as C
from .netlink.errors import NetnsError
from .netlink.netns import netns_path
from .netlink import rtnl
from .netlink.socket import NetlinkSocket


def _schemas(protocol):
    if protocol == C.NETLINK_ROUTE:
        return rtnl.SCHEMAS
    from .netlink import xfrm  # only tasks that manage IPsec pay for it
    return xfrm.SCHEMAS


class KernelContext:
    """Opened once per task, inside ``netns`` (None: the current one)."""

    def __init__(self, netns=None):
        self.netns = netns
        self._sockets = {}
        self._links = None  # ifindex -> decoded link Message
        self._netns_fds = {}

    def socket(self, protocol=C.NETLINK_ROUTE):
        sock = self._sockets.get(protocol)
        if sock is None:
            sock = NetlinkSocket(protocol, _schemas(protocol), netns=self.netns)
            self._sockets[protocol] = sock
        return sock

    @property
    def write_requests(self):
        """Write requests sent so far (tests prove a no-op run sent none)."""
        return sum(s.sent_requests for s in self._sockets.values())

    def netns_fd(self, netns):
        """An open fd of another namespace (IFLA_NET_NS_FD), kept open
        until the task ends because the request is built before it is sent."""
        fd = self._netns_fds.get(netns)
        if fd is None:
            try:
                fd = os.open(netns_path(netns), os.O_RDONLY | os.O_CLOEXEC)
            except OSError as exc:
                raise NetnsError("network namespace %r: %s" % (netns, exc.strerror))
            self._netns_fds[netns] = fd
        return fd

    def close(self):
        for sock in self._sockets.values():
            sock.close()
        self._sockets = {}
        for fd in self._netns_fds.values():
            os.close(fd)
        self._netns_fds = {}

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # -- links by name ----------------------------------------------------

    def links(self, refresh=False):
        """All links of the namespace, ifindex -> Message (one dump,
        cached for the task; ``refresh`` after creating or deleting)."""
        if self._links is None or refresh:
            self._links = {}
            for msg in self.socket().dump(C.RTM_GETLINK, {"family": C.AF_UNSPEC}):
                self._links[msg.header["index"]] = msg
        return self._links

    def forget_links(self):
        self._links = None

    def ifindex(self, name, required=True):
        for index, msg in self.links().items():
            if msg.attrs.get("ifname") == name:
                return index
        if required:
            raise KeyError(name)
        return None

    def ifname(self, index):
        if not index:
            return None
        msg = self.links().get(index)
        return msg.attrs.get("ifname") if msg is not None else None
