# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""nl_persist's argument spec: one option per section of the saved state
(the modules' ``saved`` sections of objects/manifest.py, so a new section
is a new option), plus where and how to save and install."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ..objects import manifest
from .common import common_options


def argument_spec():
    spec = dict(
        state=dict(type="str", default="present", choices=["present", "absent", "check"]),
        name=dict(type="str", default="ansible"),
        dir=dict(type="path", default="/etc/netlink.host"),
        mode=dict(type="str", default="present", choices=["present", "replaced"]),
        ignore_networkmanager=dict(type="bool", default=False),
        install=dict(type="bool", default=True),
        prefix=dict(type="path", default="/usr/local"),
        unit_dir=dict(type="path", default="/etc/systemd/system"),
        enable=dict(type="bool", default=True),
    )
    for section in (saved for module in manifest.MODULES for saved in module.saved):
        option = dict(type="list", elements="raw")
        if section.mapping:
            option = dict(type="dict")
        if section.secret:
            option["no_log"] = True
        spec[section.name] = option
    spec.update(common_options())
    return spec
