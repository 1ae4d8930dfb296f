# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Static imports of everything the host program loads by name.

Ansible packs into a module's payload only the module_utils a module
imports statically; sections.py loads each section's task and spec by name
and package.py copies what the payload holds.  nl_persist imports this file
so that the installed program has every module of the build: one import
per row of the table (a module not in this build is an optional import,
which Ansible's packer skips)."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

# pylint: disable=unused-import

from . import cli  # noqa: F401  pylint: disable=unused-import
from ..tasks import address as task_address, link as task_link, rule as task_rule  # noqa: F401
from ..specs import address as spec_address, link as spec_link, rule as spec_rule  # noqa: F401

try:
    from ..tasks import route as task_route  # noqa: F401
    from ..specs import route as spec_route  # noqa: F401
except ImportError:
    task_route = spec_route = None
try:
    from ..tasks import xfrm as task_xfrm  # noqa: F401
    from ..specs import xfrm as spec_xfrm  # noqa: F401
except ImportError:
    task_xfrm = spec_xfrm = None
try:
    from ..tasks import netconf as task_netconf  # noqa: F401
    from ..specs import netconf as spec_netconf  # noqa: F401
except ImportError:
    task_netconf = spec_netconf = None
try:
    from ..tasks import neigh as task_neigh  # noqa: F401
    from ..specs import neigh as spec_neigh  # noqa: F401
except ImportError:
    task_neigh = spec_neigh = None
try:
    from ..tasks import fdb as task_fdb  # noqa: F401
    from ..specs import fdb as spec_fdb  # noqa: F401
except ImportError:
    task_fdb = spec_fdb = None
