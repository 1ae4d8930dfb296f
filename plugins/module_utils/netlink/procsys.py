# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The kernel's other interface for IP settings: files under /proc/sys/net.

Some settings have no netlink setter: the kernel reports every IPv6 setting
of a device in RTM_GETLINK (IFLA_INET6_CONF) but takes only the address
generation mode and the token back (inet6_set_link_af), and the
namespace-wide ones (net.ipv4.ip_forward, net.ipv6.conf.all.*) have no
link at all.  Others have a netlink setter that only stores the value while
the sysctl handler does more (IPv4 ``forwarding`` turns LRO off and tells
routing daemons through RTM_NEWNETCONF).  Those are written here, as
``sysctl -w`` does.

A file under /proc/sys/net belongs to the network namespace of the thread
that opens it (the kernel looks the table up in ``current``'s namespace),
and keeps it for the life of the open file: so a file is opened inside
``netns.entered`` and read or written outside it, as a netlink socket is.

``ProcSys`` looks like a netlink socket to the engine: ``batch()`` of
``Write`` requests returns a BatchResult, ``sent_requests`` counts them.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import errno
import os

from .errors import NetlinkLibraryError
from .netns import entered

ROOT = "/proc/sys"
# The engine's name for this interface where it keeps netlink protocol
# numbers (KernelContext.socket, a kind's protocol()).
PROTOCOL = "procsys"


class ProcSysError(NetlinkLibraryError):
    """A read or write of a /proc/sys file failed (``errno`` as the kernel
    returned it)."""

    def __init__(self, err, path, what):
        NetlinkLibraryError.__init__(self, "%s (%s %s)" % (os.strerror(err), what, path))
        self.errno = err
        self.path = path


class Write:
    """One write request: ``path`` below /proc/sys (``net/ipv6/conf/eth0/
    forwarding``), the integer ``value``, and ``label`` (the sysctl
    command line, for messages)."""

    __slots__ = ("path", "value", "label")

    def __init__(self, path, value, label=None):
        self.path = path
        self.value = value
        self.label = label

    def __repr__(self):
        return "Write(%s=%s)" % (self.path, self.value)


class _Result:
    """What NetlinkSocket.batch() returns, for writes (see BatchResult)."""

    __slots__ = ("applied", "failed", "error", "errors", "not_sent")

    def __init__(self):
        self.applied = []
        self.failed = None
        self.error = None
        self.errors = {}
        self.not_sent = []

    @property
    def ok(self):
        return self.failed is None


class ProcSys:
    """The /proc/sys files of one namespace (None: the current one)."""

    def __init__(self, netns=None):
        self.netns = netns
        self.sent_requests = 0

    def _open(self, path, flags):
        full = os.path.join(ROOT, path)
        with entered(self.netns):
            return os.open(full, flags | os.O_CLOEXEC)

    def read(self, path):
        """The integer in ``path``, or None when there is no such file (a
        device without IPv6, a setting this kernel does not have)."""
        try:
            fd = self._open(path, os.O_RDONLY)
        except OSError as exc:
            if exc.errno == errno.ENOENT:
                return None
            raise ProcSysError(exc.errno, path, "reading")
        try:
            text = os.read(fd, 4096).decode("ascii", "replace").strip()
        except OSError as exc:
            raise ProcSysError(exc.errno, path, "reading")
        finally:
            os.close(fd)
        try:
            return int(text)
        except ValueError:
            raise ProcSysError(errno.EINVAL, path, "reading %r from" % text)

    def write(self, path, value):
        data = ("%d\n" % value).encode("ascii")
        try:
            fd = self._open(path, os.O_WRONLY)
        except OSError as exc:
            raise ProcSysError(exc.errno, path, "writing %d to" % value)
        try:
            self.sent_requests += 1
            os.write(fd, data)
        except OSError as exc:
            raise ProcSysError(exc.errno, path, "writing %d to" % value)
        finally:
            os.close(fd)

    def batch(self, requests):
        """Write each request in order; stop at the first refusal (the
        rest are not sent), as a netlink batch reports it.  A file that
        holds the value already is not written (a link re-created by an
        undo starts with the namespace's defaults: only what differs from
        them is written back)."""
        result = _Result()
        for i, req in enumerate(requests):
            if result.failed is not None:
                result.not_sent.append(i)
                continue
            try:
                if self.read(req.path) != req.value:
                    self.write(req.path, req.value)
            except ProcSysError as exc:
                result.failed = i
                result.error = exc
                result.errors[i] = exc
                continue
            result.applied.append(i)
        return result

    def close(self):
        pass
