# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one-entry-or-a-list input of nl_neigh and nl_fdb: one entry
through top-level options, many through a list option whose items take
the same options (and their own ``state``), some top-level options
being defaults for every item.  ``ListOf`` says how a module spells it;
``listed()`` turns the params into validated objects, each key once."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from collections import namedtuple

from .. import contract
from .validate import fail, list_item

# option: the list option; options: an entry's options; keys: an item's
# keys (options and state); shared: the top-level options that are
# defaults for the items; scope: those that alone name no entry (they
# scope a replaced run); needs: what an entry needs, for the message;
# twice: the option named when an entry is listed twice; entry: the
# input's entry(raw, where, state, defaults).
ListOf = namedtuple("ListOf", "option options keys shared scope needs twice entry")


def item_raw(where, item, keys):
    """A list item checked for its ``keys``."""
    return list_item(where, item, keys, "entry options")


def given(params, how):
    """The entry options given at the top level."""
    return [k for k in how.options if params.get(k) is not None]


def listed(params, state, kind, how):
    """The desired objects of a present/absent/replaced run, each with its
    ``state``: the list's items, or the one entry of the top-level
    options (none for a replaced run that only names devices)."""
    many = params.get(how.option)
    top = given(params, how)
    defaults = dict((k, params[k]) for k in how.shared if params.get(k) is not None)
    if many is not None:
        own = [k for k in top if k not in how.shared]
        if own:
            raise contract.ValidationError(
                "%s: given with %s; give them in each item (only %s apply to every item)"
                % (", ".join(own), how.option, ", ".join(how.shared)))
        if not isinstance(many, list):
            fail(how.option, many, "not a list")
        items = [("%s[%d]" % (how.option, i), item_raw("%s[%d]" % (how.option, i), item, how.keys))
                 for i, item in enumerate(many)]
    elif [k for k in top if k not in how.scope]:
        items = [(None, dict((k, params[k]) for k in top))]
    elif state == "replaced":
        items = []
    else:
        raise contract.ValidationError("state=%s needs an entry (%s) or %s" % (state, how.needs, how.option))
    out = []
    seen = {}
    for where, raw in items:
        obj = _item(how, where, raw, state, defaults)
        key = kind.key(obj)
        if key in seen:
            fail(where or how.twice, raw.get(how.twice), "is listed twice (also %s)" % seen[key])
        seen[key] = where or how.twice
        out.append(obj)
    return out


def _item(how, where, raw, state, defaults):
    if where is None:
        def name(opt):
            return opt
    else:
        def name(opt):
            return "%s.%s" % (where, opt)
    item_state = raw.pop("state", None)
    if item_state is None:
        item_state = "absent" if state == "absent" else "present"
    if item_state not in ("present", "absent"):
        fail(name("state"), item_state, "an item's state is present or absent")
    return how.entry(raw, name, item_state, defaults)


def present_after(task, ctx, desired, params, current):
    """A list task's ``after``: the present entries as the run left them
    (read again only if something was written), every field shown."""
    if ctx.write_requests:
        current = task.reread(ctx, desired, params)
    out = []
    for d in desired:
        have = current.get(task.kind.key(d))
        if d["state"] == "present" and have is not None:
            out.append(contract.public(have))
    return out
