# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The two errors a kind, a task or the engine raises for what the user
asked: both end a task before the kernel is changed."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ValidationError(Exception):
    """Bad input: the message names the option and the value."""


class PlanError(Exception):
    """The desired state cannot be reached without a step the user did not
    allow (e.g. a field the kernel cannot change in place, without
    ``recreate: true``)."""
