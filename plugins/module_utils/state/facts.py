# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""nl_facts: the host as ``ansible_facts.netlink``, in nl_state's input
format (state/gathered.py, what nl_state's ``state: gathered`` and
``netlink-host show`` return), so nl_state given it back changes nothing
(IPsec keys aside: masked, as facts are cached and shown).

``gather_subset`` follows the ``*_facts`` modules' convention: ``all``
(the default), section names, and ``!name`` to leave a section out
(``[all, "!xfrm_states"]``, or ``["!routes"]`` alone: all but the
routes)."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from .. import contract
from ..engine.context import KernelContext, validate_netns
from . import gathered
from .sections import SECTIONS

FACT = "netlink"


def subset(given):
    """The section names ``gather_subset`` asks for, in the table's order."""
    names = [s.name for s in SECTIONS]
    given = list(given or ["all"])
    unknown = [g for g in given if g.lstrip("!") not in names + ["all"]]
    if unknown:
        raise contract.ValidationError("gather_subset: %s: not a section (one of all, %s, or one of them after !)"
                                       % (", ".join(unknown), ", ".join(names)))
    wanted = [g for g in given if not g.startswith("!")]
    if "!all" in given:
        chosen = set()
    elif not wanted or "all" in wanted:
        chosen = set(names)
    else:
        chosen = set(wanted)
    chosen -= set(g[1:] for g in given if g.startswith("!") and g != "!all")
    return [n for n in names if n in chosen]


def facts(params):
    """The module's result: ``ansible_facts.netlink`` (IPsec keys masked,
    as nl_xfrm gathers them: facts are cached and shown) and
    ``gathered_subset``, the sections read."""
    validate_netns(params.get("netns"), "netns")
    names = subset(params.get("gather_subset"))
    try:
        doc = gathered.gather(names, params.get("netns"), lambda: KernelContext(params.get("netns")), secrets=False)
    except gathered.GatherError as exc:
        raise contract.ValidationError(str(exc))
    return {"changed": False, "ansible_facts": {FACT: doc}, "gathered_subset": names}
