# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The two errors a kind, a task or the engine raises for what the user
asked (both end a task before the kernel is changed), and the lookup
error of a link that is not there."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ValidationError(Exception):
    """Bad input: the message names the option and the value."""


class PlanError(Exception):
    """The desired state cannot be reached without a step the user did not
    allow (e.g. a field the kernel cannot change in place, without
    ``recreate: true``)."""


class NoSuchLink(KeyError):
    """A link looked up by name (``KernelContext.ifindex``) is not in the
    namespace: a request names a device that is gone (an undo step whose
    link could not be brought back).  A KeyError, as callers catch it;
    it says what is missing in its own words, so that whoever reports it
    (the applier) need not know which lookup failed."""

    def __str__(self):
        return "no link named %s" % (self.args[0] if self.args else "")
