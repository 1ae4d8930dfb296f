# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The engine: plans (``plans.py``), applying them with undo, and the one
task driver (``driver.py``) that runs a task for the module runner and the
host program alike; above the contract (``contract/``) and the object
kinds, below the tasks."""
