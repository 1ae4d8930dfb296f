# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Static imports of everything the host program loads by name.

Ansible packs into a module's payload only the module_utils a module
imports statically; state/sections.py loads each section's task and spec by name
and package.py copies what the payload holds.  nl_persist imports this file
so that the installed program has every module of the build: the task
and the spec of each module of objects/manifest.py, written by
scripts/gen_manifest_lists.py."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

# pylint: disable=unused-import

from . import cli  # noqa: F401  pylint: disable=unused-import
# BEGIN generated (included)
from ..tasks import netconf as task_netconf  # noqa: F401
from ..specs import netconf as spec_netconf  # noqa: F401
from ..tasks import link as task_link  # noqa: F401
from ..specs import link as spec_link  # noqa: F401
from ..tasks import address as task_address  # noqa: F401
from ..specs import address as spec_address  # noqa: F401
from ..tasks import neigh as task_neigh  # noqa: F401
from ..specs import neigh as spec_neigh  # noqa: F401
from ..tasks import fdb as task_fdb  # noqa: F401
from ..specs import fdb as spec_fdb  # noqa: F401
from ..tasks import nexthop as task_nexthop  # noqa: F401
from ..specs import nexthop as spec_nexthop  # noqa: F401
from ..tasks import route as task_route  # noqa: F401
from ..specs import route as spec_route  # noqa: F401
from ..tasks import rule as task_rule  # noqa: F401
from ..specs import rule as spec_rule  # noqa: F401
from ..tasks import xfrm as task_xfrm  # noqa: F401
from ..specs import xfrm as spec_xfrm  # noqa: F401
# END generated (included)
