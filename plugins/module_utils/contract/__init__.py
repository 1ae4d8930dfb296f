# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The contract between the object kinds and the engine, at the bottom of
the layers (only the wire format, ``netlink/``, is below it).

An object kind (``objects/*.py``) subclasses ``ObjectKind``, makes its
changes with ``change()``/``implied()``, raises ``ValidationError`` or
``PlanError``, masks with ``mask()``, and declares what it dies with in
the kernel with ``DiesWith``; a task's desired and current objects carry
what it worked out with them (``Desired``, ``Current``).  Nothing here
knows the engine (``engine/``: plans, apply, undo) or any kind.  Import
the names from
here: ``from .. import contract`` then ``contract.ObjectKind``.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from .cascade import DiesWith
from .changes import CREATE, DELETE, UPDATE, change, identity, implied
from .errors import NoSuchLink, PlanError, ValidationError
from .kind import ObjectKind
from .plain import MASK, mask, mask_change, plain_copy, public
from .scoped import Current, Desired

__all__ = ["CREATE", "DELETE", "UPDATE", "MASK", "Current", "Desired", "DiesWith", "NoSuchLink", "ObjectKind",
           "PlanError", "ValidationError",
           "change", "identity", "implied", "mask", "mask_change", "plain_copy", "public"]
