# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Static imports of the task and the spec of every module of
objects/manifest.py, for Ansible's packer: it puts into a module's payload
only the module_utils a module imports statically, and state/sections.py
loads each section's task and spec by name.  Never imported at run time
(it would compile every kind's code): nl_state and nl_facts name it in a
function that is never called, host_cli/included.py (the host program,
nl_persist's payload) imports it.  The imports are written by
scripts/gen_manifest_lists.py."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

# pylint: disable=unused-import

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
