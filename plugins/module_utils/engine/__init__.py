# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The engine: plans (``plans.py``), applying them with undo; above the
contract (``contract/``) and the object kinds, below the tasks."""
