# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Commit-confirmed's one exception, on its own: the module runner catches
it for every task, and imports the rest of confirm/ (records, watchdog,
rollback) only for a task given ``confirm_timeout`` (a host compiles the
payload's sources on every run)."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ConfirmError(Exception):
    """Commit-confirmed cannot do what was asked (no private directory, a
    watchdog that does not start, a record that is not there)."""
