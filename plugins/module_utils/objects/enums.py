# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Input words -> the numbers of the schema's value meanings (``Enum`` and
``Flags``, declared once beside their fields in netlink/rtnl and
netlink/xfrm), with bad input refused as a ValidationError that names the
option and the value."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from .. import contract
from ..netlink.errors import EncodeError


def enum_number(enum, value, option=None):
    """``value`` (a name of ``enum``, a number, or a number as text) as its
    number; None stays None."""
    try:
        return enum.number_of(value)
    except EncodeError:
        raise contract.ValidationError("%s=%s: unknown value; known: %s"
                                       % (option or enum.name, value, ", ".join(sorted(enum.numbers))))


def flags_value(flags, names, option=None):
    """A list of flag names as the bits of ``flags``."""
    try:
        return flags.value_of(names)
    except EncodeError:
        raise contract.ValidationError("%s=%s: unknown flag; known: %s"
                                       % (option or flags.name, list(names), ", ".join(sorted(flags.bits))))
