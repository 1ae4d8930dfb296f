# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Ansible's no_log scrubbing of a module result, in linear time, for the
no_log values shaped like iproute2 hex keys (``0x`` and hex digits).

Why: ``AnsibleModule._return_formatted`` (ansible-core 2.19 and 2.21)
calls ``remove_values(result, module.no_log_values)``, which for EVERY
string of the result tests membership in a list and calls ``str.replace``
once per no_log value: O(strings x values).  nl_xfrm with N SAs has 2N
keys and a result of O(N) strings, so check mode took 1.05 s of CPU at
1,000 SAs, 14.2 s at 4,000 and 83.9 s at 10,000.  The module runner masks
the result here with the same two rules, then leaves Ansible only the
other ("slow") values:

- a string equal to a no_log value becomes
  ``VALUE_SPECIFIED_IN_NO_LOG_PARAMETER``;
- otherwise each occurrence of a value becomes ``********``, longest
  values first (``remove_values`` sorts them so).

A hex value can only start at a ``0x``, so one regex finds the places to
look and a set per length answers which value (if any) is there.  Where
the fast answer could differ from Ansible's (a slow value occurs in the
string, or two hex values overlap, which a value ending in ``0`` next to
an ``x`` allows), that string is masked exactly as ``remove_values``
does, over just the values found in it: replacing puts ``********``
between what was left and right, so it cannot create an occurrence of a
hex value that was not there before.

Containers are copied like ``remove_values`` copies them (mappings to
dicts, sequences to lists, sets to sets; dict keys are left alone, as
Ansible leaves them); other scalars are returned as they are (no hex
value, which holds an ``x``, can occur in the text of a number).
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re
from collections import deque

from collections.abc import Mapping, Sequence, Set

HIDDEN = "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"
STARS = "*" * 8
# what nl_xfrm accepts as a key (tasks/xfrm_keys.py), case as given
_HEX_VALUE = re.compile(r"0x[0-9a-fA-F]+\Z")


def is_fast(value):
    """Whether ``value`` is a no_log value this file masks itself."""
    return isinstance(value, str) and _HEX_VALUE.match(value) is not None


class Masker:
    """Masks data for the no_log ``values`` (iterable of str, e.g.
    ``module.no_log_values``); ``slow`` is what it leaves to Ansible."""

    def __init__(self, values):
        values = list(values)
        # remove_values' own order: longest first, ties as iterated
        self._rank = dict((v, i) for i, v in enumerate(sorted(values, key=len, reverse=True)))
        self._all = frozenset(values)
        self.fast = frozenset(v for v in values if is_fast(v))
        self.slow = [v for v in values if v not in self.fast]
        by_len = {}
        for v in self.fast:
            by_len.setdefault(len(v), set()).add(v)
        self._by_len = by_len
        self._lengths = sorted(by_len, reverse=True)
        # a 0x followed by at least as many hex digits as the shortest value;
        # the lookahead leaves the digits unconsumed, so a 0 that ends one
        # run and starts the next 0x is still found
        self._starts = (re.compile(r"0x(?=[0-9a-fA-F]{%d})" % (self._lengths[-1] - 2))
                        if by_len else None)

    def _hits(self, text):
        """(start, value) of the longest fast value at each 0x of ``text``."""
        out = []
        for match in self._starts.finditer(text):
            p = match.start()
            for length in self._lengths:
                if text[p:p + length] in self._by_len[length]:
                    out.append((p, text[p:p + length]))
                    break
        return out

    def _exact(self, text, hits):
        """remove_values' own loop, over only the values found in ``text``."""
        if text in self._all:
            return HIDDEN
        found = set(v for v in self.slow if v in text)
        for p, _longest in hits:
            for length in self._lengths:
                if text[p:p + length] in self._by_len[length]:
                    found.add(text[p:p + length])
        for value in sorted(found, key=self._rank.get):
            text = text.replace(value, STARS)
        return text

    def text(self, text):
        """A str masked for the fast values (and, where needed for an
        exact result, the slow ones found in it)."""
        if text in self.fast:
            return HIDDEN
        hits = self._hits(text) if self._starts is not None and "0x" in text else []
        if any(v in text for v in self.slow):
            return self._exact(text, hits)
        if not hits:
            return text
        pieces, end = [], 0
        for p, value in hits:
            if p < end:  # overlapping values: let remove_values' order decide
                return self._exact(text, hits)
            pieces.append(text[end:p])
            pieces.append(STARS)
            end = p + len(value)
        pieces.append(text[end:])
        return "".join(pieces)

    def _scalar(self, value):
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, bytes):
            # as remove_values: compare as text, return bytes unless hidden
            masked = self.text(value.decode("utf-8", "surrogateescape"))
            if masked == HIDDEN:
                return HIDDEN
            return masked.encode("utf-8", "surrogateescape")
        return value

    def mask(self, data):
        """A copy of ``data`` masked; iterative (no recursion limit), like
        remove_values."""
        if not self.fast:
            return data
        pending = deque()

        def visit(value):
            if isinstance(value, (str, bytes)):
                return self._scalar(value)
            if isinstance(value, Mapping):
                new = {}
            elif isinstance(value, Set):
                new = set()
            elif isinstance(value, Sequence):
                new = []
            else:
                return value
            pending.append((value, new))
            return new

        out = visit(data)
        while pending:
            old, new = pending.popleft()
            if isinstance(new, dict):
                for key, elem in old.items():
                    new[key] = visit(elem)
            elif isinstance(new, set):
                for elem in old:
                    new.add(visit(elem))
            else:
                for elem in old:
                    new.append(visit(elem))
        return out
