# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""nl_xfrm's action: runs the module as usual; when the module was asked
for real keys (``state: gathered`` with ``show_keys: true``) the result is
marked ``_ansible_no_log``, so every callback prints it censored while
``register`` still gets it.

A module cannot mark its own result: Ansible strips ``_ansible_*`` keys
from what a module returns (vars/clean.py remove_internal_keys), and only
an action plugin's result may carry them (as ``include_vars`` does for
``hide_content``)."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.module_utils.parsing.convert_bool import boolean
from ansible.plugins.action import ActionBase


class ActionModule(ActionBase):

    _requires_connection = True
    _supports_check_mode = True
    _supports_async = False

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        del tmp
        args = self._task.args
        result.update(self._execute_module(module_name=self._task.resolved_action or self._task.action, module_args=args, task_vars=task_vars))
        if boolean(args.get("show_keys", False), strict=False) and not result.get("failed"):
            result["_ansible_no_log"] = True
        return result
