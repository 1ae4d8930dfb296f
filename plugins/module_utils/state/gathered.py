# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The kernel's current state as a state document: every available
section (or those named), each in its module's own input format, with
what a saved state must not hold left out (sections.RESHAPE: no
kernel-made routes, no link-locals, no expiring addresses).  What
``netlink-host show`` prints and nl_state's ``state: gathered`` returns;
fed back as input it plans nothing."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from .. import contract
from ..engine import driver
from ..netlink.errors import NetlinkLibraryError
from .sections import RESHAPE, SECTIONS, available, groups, task_class
from .steps import label, make_params


class GatherError(Exception):
    """Gathering ``run`` failed: the text names the run (steps.label)."""


def gather(names, netns, context, secrets=True):
    """Section name -> value, in the table's order; ``context()`` opens
    the KernelContext each run reads through (closed after it).
    ``secrets``: a section that may hold keys is gathered with them (its
    ``gather_params``), so that the document reproduces it; without, as
    its module gathers it by default (keys masked)."""
    wanted = [s.name for s in SECTIONS if (names is None or s.name in names) and available(s)]
    doc = {}
    for run in groups(wanted):
        task = task_class(run[0])()
        extra = {}
        for section in run:
            if secrets or not section.secret:
                extra.update(section.gather_params)
        params = make_params(run, {}, "gathered", netns, extra)
        try:
            driver.prepare(task, params)
            with context() as ctx:
                got = task.gather(ctx, params)
        except (contract.ValidationError, NetlinkLibraryError) as exc:
            raise GatherError("%s: %s" % (label(run), exc))
        for section in run:
            value = got.get(section.option) if isinstance(got, dict) else got
            if section.name in RESHAPE:
                value = RESHAPE[section.name](value)
            if value:
                doc[section.name] = value
    return doc
