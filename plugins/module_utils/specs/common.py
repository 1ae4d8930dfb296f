# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Options more than one module takes, declared once for every spec (the
runner, runner/, acts on them)."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

GATHERED_FILE = "gathered_file"  # runner/gathered_file.py writes it


def common_options():
    """The options every module takes (documented once, in the
    ``netlink.host.netlink`` doc fragment).  A module's argument spec is
    ``dict(its own options, **common_options())``."""
    return dict(
        netns=dict(type="str"),
        confirm_timeout=dict(type="int"),
    )


def gathered_file_options():
    """``gathered_file``, for the argument spec of a module that offers it."""
    return {GATHERED_FILE: dict(type="path")}
