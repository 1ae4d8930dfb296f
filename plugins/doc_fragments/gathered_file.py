# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The gathered_file option of the modules that gather big tables."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):

    DOCUMENTATION = r'''
options:
  gathered_file:
    description:
      - With O(state=gathered), write what would be RV(gathered) to this
        file on the managed host instead of returning it, and return only
        RV(gathered_count). Use it for whole tables (a full Internet
        routing table is a million routes).
      - Why it matters - Ansible walks, copies and encodes every value of a
        result, which for a million routes takes many times what reading
        them does, and several hundred MB more, on the managed host and
        again on the controller.
      - The file is a JSON list of objects in the module's input format,
        several thousand objects per line. Read it back with the
        P(ansible.builtin.file#lookup) lookup and the
        P(ansible.builtin.from_json#filter) filter after
        M(ansible.builtin.fetch), or with C(jq) on the host.
      - Replaced atomically, and only when its content differs (then the
        task reports V(changed=true)); an existing file keeps its owner
        and mode, a new one gets the umask's. In check mode nothing is
        written; the task still reports whether the file would change.
      - An absolute path in an existing directory; any other O(state) is
        an error. A file that cannot be written (a read-only directory, a
        full disk) fails the task with the reason, naming the option.
    type: path
    version_added: "0.2.0"
'''
