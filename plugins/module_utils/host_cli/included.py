# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Static imports of everything the host program loads by name: the host
program itself (cli) and every module's task and spec (state/packed.py).

Ansible packs into a module's payload only the module_utils a module
imports statically; package.py copies what the payload holds.  nl_persist
imports this file so that the installed program has every module of the
build.  nl_state and nl_facts import state/packed.py alone: they do not
install the program, and its code (some 90 KB) would only make their
payload bigger, which every host reads on every run."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type


from . import cli  # noqa: F401  pylint: disable=unused-import
from ..state import packed  # noqa: F401  pylint: disable=unused-import
