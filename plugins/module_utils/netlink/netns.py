# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run a short piece of code inside another network namespace.

A netlink socket belongs to the namespace it was created in, for its whole
life.  So entering a namespace is only needed for the instant of
``socket()``: ``entered(netns)`` switches the calling thread in and always
switches it back, even when the body raises.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import contextlib
import ctypes
import ctypes.util
import errno
import os

from .errors import NetnsError

CLONE_NEWNET = 0x40000000
NETNS_RUN_DIR = "/run/netns"
NAME_MAX = 255  # linux/limits.h: the longest name `ip netns add` accepts

_libc = None


def _setns(fd):
    setns = getattr(os, "setns", None)  # Python 3.12+
    if setns is not None:
        setns(fd, CLONE_NEWNET)
        return
    global _libc
    if _libc is None:
        _libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    if _libc.setns(fd, CLONE_NEWNET) != 0:
        err = ctypes.get_errno()
        raise OSError(err, os.strerror(err))


def netns_problem(netns):
    """Why ``netns`` names no namespace, or None when it is usable.

    A namespace is a name as ``ip netns`` knows it (iproute2's
    ipnetns.c ``invalid_name()`` refuses an empty name, ".", "..", a '/'
    and more than NAME_MAX bytes) or an absolute path to a namespace file
    (``/proc/PID/ns/net``, ``/run/netns/NAME``).  A relative path would
    resolve against whatever directory the module runs in, so it is
    refused; so is the empty string, which must never mean "here"."""
    if not isinstance(netns, str) or not netns:
        return "a network namespace is a name (as `ip netns` lists it) or an absolute path, not empty"
    if "\0" in netns:
        return "a network namespace cannot contain a NUL byte"
    if "/" in netns:
        if not netns.startswith("/"):
            return "a path to a network namespace must be absolute (like /run/netns/NAME or /proc/PID/ns/net)"
        return None
    if netns in (".", ".."):
        return "'.' and '..' are not network namespace names"
    if len(netns.encode("utf-8")) > NAME_MAX:
        return "a network namespace name has at most %d bytes" % NAME_MAX
    return None


def netns_path(netns):
    """The file of a namespace given by name (as ``ip netns`` knows it,
    under /run/netns) or by absolute path.  Raises NetnsError for a value
    that names no namespace (see ``netns_problem``)."""
    problem = netns_problem(netns)
    if problem:
        raise NetnsError("network namespace %r: %s" % (netns, problem))
    if "/" in netns:
        return netns
    return os.path.join(NETNS_RUN_DIR, netns)


@contextlib.contextmanager
def entered(netns):
    """Context manager: the calling thread is in ``netns`` inside the block.
    ``netns`` None means: stay where we are.  Any other value must name a
    namespace: an empty string is an error, never the current namespace."""
    if netns is None:
        yield
        return
    path = netns_path(netns)
    try:
        target = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    except OSError as exc:
        if exc.errno == errno.ENOENT:
            raise NetnsError("network namespace %r does not exist (no %s)" % (netns, path))
        raise NetnsError("cannot open network namespace %r: %s" % (netns, exc.strerror))
    try:
        own = os.open("/proc/thread-self/ns/net", os.O_RDONLY | os.O_CLOEXEC)
    except OSError:
        os.close(target)
        raise
    try:
        try:
            _setns(target)
        except OSError as exc:
            raise NetnsError("cannot enter network namespace %r: %s" % (netns, exc.strerror))
        try:
            yield
        finally:
            _setns(own)
    finally:
        os.close(target)
        os.close(own)
