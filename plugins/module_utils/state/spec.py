# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""nl_state's argument spec: one option per section of the saved state
(state/sections.py, from objects/manifest.py), each the list (or
mapping) option of its module's own spec, copied whole (types, sub-options,
no_log of keys), so a new kind's section is a new option; then the
options of the whole."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy

from ..specs.common import common_options
from .sections import SECTIONS, argument_spec as section_spec, available

MODES = ("present", "replaced")
STATES = ("present", "gathered")


def section_options():
    """Section name -> its option's spec, for the sections of this build."""
    out = {}
    for section in SECTIONS:
        if available(section):
            option = copy.deepcopy(section_spec(section)[section.option])
            option.pop("aliases", None)  # the module's own names for it (nl_rule's); a section has one name
            out[section.name] = option
    return out


def argument_spec():
    spec = section_options()
    spec.update(
        mode=dict(type="str", default="present", choices=list(MODES)),
        state=dict(type="str", default="present", choices=list(STATES)),
        sections=dict(type="list", elements="str", choices=[s.name for s in SECTIONS if available(s)]),
        show_keys=dict(type="bool", default=False),
    )
    spec.update(common_options())
    return spec
