# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""KernelContext: the sockets one task talks through, and the link
name <-> ifindex map that every object kind needs (links are named by
name in playbooks, by index on the wire)."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

from .. import contract
from ..netlink import const as C
from ..netlink.errors import NetlinkLibraryError, NetnsError, NotFoundError
from ..netlink.netns import NETNS_RUN_DIR, netns_path, netns_problem
from ..netlink import procsys, rtnl
from ..netlink.socket import NetlinkSocket


def validate_netns(value, option):
    """A network namespace option: None (the current namespace), a name as
    `ip netns` knows it, or an absolute path (see netns.netns_problem)."""
    if value is None:
        return
    problem = netns_problem(value)
    if problem:
        raise contract.ValidationError("%s=%r: %s" % (option, value, problem))


def _schemas(protocol):
    if protocol == C.NETLINK_ROUTE:
        return rtnl.SCHEMAS
    from ..netlink import xfrm  # only tasks that manage IPsec pay for it
    return xfrm.SCHEMAS


class KernelContext:
    """Opened once per task, inside ``netns`` (None: the current one)."""

    def __init__(self, netns=None):
        self.netns = netns
        self._sockets = {}
        self._links = None  # ifindex -> decoded link Message
        self._names = None  # (the links() dict, name -> ifindex) for ifindex()
        self._netns_fds = {}
        self._elsewhere = {}  # netns -> KernelContext (a link moved there: nl_link to_netns)

    def socket(self, protocol=C.NETLINK_ROUTE):
        sock = self._sockets.get(protocol)
        if sock is None and protocol == procsys.PROTOCOL:
            # /proc/sys/net of this namespace (IP settings netlink cannot set)
            sock = self._sockets[protocol] = procsys.ProcSys(self.netns)
        if sock is None and protocol == C.NETLINK_GENERIC:
            # generic netlink: families resolved by name, cached on the socket
            from ..netlink.genl import GenlSocket  # only tasks that use a genl family pay for it
            sock = self._sockets[protocol] = GenlSocket(self.netns)
        if sock is None:
            sock = NetlinkSocket(protocol, _schemas(protocol), netns=self.netns)
            self._sockets[protocol] = sock
        return sock

    @property
    def write_requests(self):
        """Write requests sent so far (tests prove a no-op run sent none)."""
        return (sum(s.sent_requests for s in self._sockets.values())
                + sum(c.write_requests for c in self._elsewhere.values()))

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

    def netns_exists(self, netns):
        """Whether ``netns`` (a name or an absolute path) is a namespace
        this task can open.  Never raises for a missing one."""
        try:
            self.netns_fd(netns)
        except NetnsError:
            return False
        return True

    def netnsid(self, netns):
        """The id (IFLA_LINK_NETNSID) another namespace has as seen from
        this task's namespace, or None when it has none.  One RTM_GETNSID
        with the namespace's fd (NETNSA_FD)."""
        msg = self.socket().get(C.RTM_GETNSID, {"family": C.AF_UNSPEC}, {"fd": self.netns_fd(netns)},
                                label="ip netns list-id (%s)" % netns)
        nsid = msg.attrs.get("nsid")
        return None if nsid is None or nsid < 0 else nsid

    def link_in(self, nsid, index):
        """The link ``index`` of the namespace whose id is ``nsid`` (seen
        from this one), or None: one RTM_GETLINK with IFLA_TARGET_NETNSID,
        no socket in the other namespace needed."""
        try:
            return self.socket().get(C.RTM_GETLINK, {"family": C.AF_UNSPEC, "index": index},
                                     {"target_netnsid": nsid}, label="ip link show (nsid %d)" % nsid)
        except NotFoundError:
            return None

    def netns_names(self):
        """nsid -> name of the namespaces `ip netns` lists that have an id
        seen from this one (what `ip link` prints as link-netns NAME)."""
        out = {}
        try:
            names = sorted(os.listdir(NETNS_RUN_DIR))
        except OSError:
            return out
        for name in names:
            try:
                nsid = self.netnsid(name)
            except NetlinkLibraryError:
                continue  # a stale file, not a namespace
            if nsid is not None:
                out.setdefault(nsid, name)
        return out

    # -- other namespaces: a link moved into one (nl_link to_netns) -----------

    def elsewhere(self, netns):
        """A context inside another namespace, opened on first use and
        closed with this one: a link moved there is read there, and moved
        back (an undo) by a request sent there."""
        other = self._elsewhere.get(netns)
        if other is None:
            other = self._elsewhere[netns] = KernelContext(netns)
        return other

    def here_path(self):
        """The file of this context's own namespace (``/proc/thread-self``
        when it is the current one: the thread is in it outside
        ``netns.entered``)."""
        return "/proc/thread-self/ns/net" if self.netns is None else netns_path(self.netns)

    def here_fd(self):
        """An open fd of this context's own namespace: IFLA_NET_NS_FD of a
        request, sent in another namespace, that moves a link back here."""
        fd = self._netns_fds.get(None)
        if fd is None:
            try:
                fd = os.open(self.here_path(), os.O_RDONLY | os.O_CLOEXEC)
            except OSError as exc:
                raise NetnsError("network namespace %r: %s" % (self.netns, exc.strerror))
            self._netns_fds[None] = fd
        return fd

    def is_here(self, netns):
        """Whether ``netns`` (a name or a path) is this context's own namespace."""
        try:
            a, b = os.stat(self.here_path()), os.stat(netns_path(netns))
        except (OSError, NetnsError):
            return False
        return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)

    def link_named(self, name):
        """The link ``name`` of this namespace, or None: one RTM_GETLINK."""
        try:
            return self.socket().get(C.RTM_GETLINK, {"family": C.AF_UNSPEC}, {"ifname": name},
                                     label="ip link show dev %s" % name)
        except NotFoundError:
            return None

    def close(self):
        for other in self._elsewhere.values():
            other.close()
        self._elsewhere = {}
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
        # A name -> index map per links() dump: a task of 10,000 routes
        # asks for one device 10,000 times, on a host of many links.
        links = self.links()
        if self._names is None or self._names[0] is not links:
            names = {}
            for index, msg in links.items():
                names.setdefault(msg.attrs.get("ifname"), index)
            self._names = (links, names)
        index = self._names[1].get(name)
        if index is not None:
            return index
        if required:
            raise contract.NoSuchLink(name)
        return None

    def ifname(self, index):
        if not index:
            return None
        msg = self.links().get(index)
        return msg.attrs.get("ifname") if msg is not None else None
