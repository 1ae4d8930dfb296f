# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Exceptions raised by the netlink library.

One exception type for everything the kernel refuses (``NetlinkError``,
carrying errno, the kernel's extended-ack text and the request that failed),
with subclasses so callers can tell "not there" and "already there" apart
without comparing errno values themselves.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import errno as _errno
import os


class NetlinkLibraryError(Exception):
    """Base class of every exception this library raises."""


class DecodeError(NetlinkLibraryError):
    """Bytes from the kernel (or a golden file) that do not parse."""


class EncodeError(NetlinkLibraryError):
    """A value that cannot be put into a message (wrong type or range)."""


class ProtocolError(NetlinkLibraryError):
    """The conversation with the kernel went wrong: lost messages, overrun."""


class NetnsError(NetlinkLibraryError):
    """A network namespace that cannot be entered."""


class NetlinkError(NetlinkLibraryError):
    """The kernel answered a request with an error.

    ``errno`` is the positive errno value, ``extack`` the kernel's own
    explanation (NLMSGERR_ATTR_MSG) when it gave one, ``request`` the
    ``Request`` that failed (or None), ``offset`` the byte offset of the
    attribute the kernel blamed, when it said.
    """

    def __init__(self, errnum, extack=None, request=None, offset=None):
        self.errno = errnum
        self.extack = extack
        self.request = request
        self.offset = offset
        super(NetlinkError, self).__init__(self._text())

    def _text(self):
        text = os.strerror(self.errno)
        if self.extack:
            text = "%s (%s)" % (text, self.extack)
        if self.request is not None and getattr(self.request, "label", None):
            text = "%s: %s" % (self.request.label, text)
        return text


class NotFoundError(NetlinkError):
    """The object named in the request does not exist."""


class ExistsError(NetlinkError):
    """The object to create exists already."""


class FamilyNotFoundError(NetlinkError):
    """The kernel has no generic netlink family of that name (nlctrl
    answered CTRL_CMD_GETFAMILY with ENOENT).

    Not a NotFoundError on purpose: a caller that reads "not found" as
    "the object is absent, create it" must not read a missing family so.
    ``family`` is the name asked for, ``module`` the kernel module that
    provides it when its declaration names one (the modprobe hint).
    """

    def __init__(self, family, module=None, request=None):
        self.family = family
        self.module = module
        super(FamilyNotFoundError, self).__init__(_errno.ENOENT, request=request)

    def _text(self):
        hint = " (modprobe %s)" % self.module if self.module else ""
        return ("generic netlink family %r not found: the kernel lacks it or its module is "
                "not loaded%s; a family that is not namespace-aware is also hidden outside "
                "the initial network namespace" % (self.family, hint))


_BY_ERRNO = {
    _errno.ENOENT: NotFoundError,
    _errno.ENODEV: NotFoundError,
    _errno.ESRCH: NotFoundError,
    _errno.EADDRNOTAVAIL: NotFoundError,
    _errno.EEXIST: ExistsError,
}


def error_for(errnum, extack=None, request=None, offset=None):
    """Build the most specific NetlinkError subclass for an errno."""
    cls = _BY_ERRNO.get(errnum, NetlinkError)
    return cls(errnum, extack=extack, request=request, offset=offset)
