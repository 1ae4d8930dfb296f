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


def netns_path(netns):
    """A namespace name (as ``ip netns`` knows it) or a path to its file."""
    if not netns:
        raise NetnsError("empty network namespace name")
    if "/" in netns:
        return netns
    return os.path.join(NETNS_RUN_DIR, netns)


@contextlib.contextmanager
def entered(netns):
    """Context manager: the calling thread is in ``netns`` inside the block.
    ``netns`` None or empty means: stay where we are."""
    if not netns:
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
