# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""iproute2 spelling shared by every object kind's ``command()``: shell
quoting and the ``ip`` prefix that selects the namespace.

A namespace given by name prints as ``ip -n NAME``; one given by path
(``/proc/1234/ns/net``) cannot be named to ``ip -n`` (iproute2 joins the
name to /run/netns), so it prints as ``nsenter --net=PATH ip``, which runs
as printed.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

# Words made of these print bare: letters and digits (str.isalnum(), which
# is what \w adds to the underscore) and -_.:/+@,=.  One regex call per
# word: a task of 10,000 routes prints 100,000 words.
_SAFE_WORD = re.compile(r"[\w.:/+@,=-]+").fullmatch


def quote(word):
    """``word`` as one shell word (single-quoted only when needed)."""
    word = str(word)
    if _SAFE_WORD(word):
        return word
    return "'%s'" % word.replace("'", "'\\''")


def ip_words(ctx, family=None, tool="ip"):
    """The words that start an ``ip`` command in ``ctx``'s namespace;
    ``family`` 6 adds ``-6`` (for commands whose family is not implied by
    an address, like ``ip -6 route del default``); ``tool`` another
    iproute2 program that takes ``-n`` the same way (``bridge``)."""
    netns = getattr(ctx, "netns", None)
    if not netns:
        words = [tool]
    elif "/" in netns:
        words = ["nsenter", "--net=" + quote(netns), tool]
    else:
        words = [tool, "-n", quote(netns)]
    if family == 6:
        words.append("-6")
    return words


def ip_prefix(ctx):
    """``ip_words`` as one string."""
    return " ".join(ip_words(ctx))


class CommandLabel:
    """A request's label: the change's ``ip`` command, spelt only when a
    message needs it (an error), not for each of 10,000 objects sent (the
    result's ``commands`` spell them once)."""

    __slots__ = ("kind", "change", "ctx")

    def __init__(self, kind, change, ctx):
        self.kind = kind
        self.change = change
        self.ctx = ctx

    def __str__(self):
        return self.kind.command(self.change, self.ctx)
