# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""An AnsibleModule whose invocation log line costs linear time with many
hex-key no_log values (nl_xfrm: 2 keys per SA).

Why: ``AnsibleModule.__init__`` logs the invocation to syslog/journald
(``_log_invocation``): each option's ``str()`` goes through
``heuristic_log_sanitize`` and the whole line through ``log``, both
``remove_values`` with every no_log value, one ``str.replace`` each over
a text that grows with N.  With 10,000 SAs that is 20,000 scans of a
multi-megabyte line, twice: O(N^2), most of what was left of the module's
cost once the runner masks its result itself (module_runner._exit).

Here the hex values are masked first (no_log_mask.Masker, the same rules)
in a copy of the params, and Ansible's own method then runs over that
copy with only the other values.  The line says
``VALUE_SPECIFIED_IN_NO_LOG_PARAMETER`` where Ansible's says
``'********'`` for a key inside a list option; no key is written either
way.  Should a future ansible-core rename the method, this override is
simply not called: slower, never less masked.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.module_utils.basic import AnsibleModule

from .no_log_mask import Masker


class FastNoLogModule(AnsibleModule):
    """AnsibleModule, with the invocation log masked as described above."""

    def _log_invocation(self):
        scrub = Masker(self.no_log_values)
        if not scrub.fast:
            super(FastNoLogModule, self)._log_invocation()
            return
        params, values = self.params, self.no_log_values
        self.params, self.no_log_values = scrub.mask(params), set(scrub.slow)
        try:
            super(FastNoLogModule, self)._log_invocation()
        finally:
            self.params, self.no_log_values = params, values
