# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Ansible glue: what runs a task as an Ansible module (the top layer of
module_utils beside host_cli/; not named ``ansible`` so that it never
shadows the ``ansible`` package)."""
