# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Carry out a plan, and undo it when the kernel refuses a change.

Batches: a run of consecutive changes with the same stage and the same
netlink protocol goes out as one batch (many requests per sendmsg, acked
one by one).  An implied change (``"implied": {"by": {"kind", "key"}}``,
see contract/changes.py) sends nothing: it counts as applied when the change
that causes it is acked, and is recorded just before its cause, so that
undoing in reverse restores the cause first and then what went with it.

Undo: on the first refusal every change applied so far is inverted
(``kind.inverse``) and applied in reverse order, one request at a time,
going on past a step that fails.  Then each kind reads back what the undo
should have restored and compares it with what was there before the task
(``kind.read`` / ``kind.mismatch``).  Everything not restored exactly is
reported in ``undo_failures``; ``undone`` is true only when that list is
empty.  Undo never claims more than it can show.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import time

from .. import contract
from ..contract.changes import identity
from ..netlink.errors import NetlinkError, NetlinkLibraryError
from ..objects import kernel_features, registry


class ApplyError(Exception):
    """The kernel refused ``change``.  ``undo_failures`` lists what the
    undo could not restore exactly (empty: everything was restored);
    ``undone`` says whether the kernel is back where it was."""

    def __init__(self, message, change=None, error=None, undo_failures=None, applied=0, sent=None, refused=None):
        super(ApplyError, self).__init__(message)
        self.change = change
        self.error = error
        self.undo_failures = list(undo_failures or [])
        self.undone = not self.undo_failures
        self.applied = applied
        # the changes whose requests reached the kernel (the refused one
        # included), in the order they were sent, and the implied changes
        # of those it applied: what a result may say was tried, no more
        self.sent = list(sent or [])
        # (change, the kernel's words) of every request refused: ``change``
        # first, then any other of its batch the kernel refused as well
        # (the requests of one sendmsg after a refused one are still
        # processed, each on its own)
        self.refused = list(refused or [])


class _Refused(Exception):
    """``change`` was refused with ``error``; ``also``: (change, error) of
    the other requests of its batch the kernel refused too."""

    def __init__(self, change, error, also=()):
        Exception.__init__(self, str(error))
        self.change = change
        self.error = error
        self.also = list(also)


def reason(error):
    """The kernel's words for a refusal (errno text and extended ack)."""
    if isinstance(error, NetlinkError):
        text = os.strerror(error.errno)
        return "%s (%s)" % (text, error.extack) if error.extack else text
    return str(error)  # what else stops a step says it in its own words (contract.NoSuchLink)


def refusal(ch, error):
    """The kernel's words for refusing ``ch``, and, when they mean that the
    kernel lacks what ``ch`` needs, which option or module provides it."""
    text = reason(error)
    if isinstance(error, NetlinkError):
        lacks = kernel_features.missing(ch["kind"], ch, error.errno, error.extack)
        if lacks:
            text = "%s; %s" % (text, lacks)
    return text


def _cause(ch):
    by = (ch.get("implied") or {}).get("by") or {}
    return (by.get("kind"), tuple(by.get("key") or ()))


def _socket(ctx, kind, ch):
    """The socket that sends ``ch``: the task's own, or one in the
    namespace the kind names (``kind.sent_in``)."""
    netns = kind.sent_in(ch)
    return (ctx if netns is None else ctx.elsewhere(netns)).socket(kind.protocol())


def _batches(plan):
    """Consecutive requests with the same stage, protocol and sending
    namespace; implied changes are left out (they ride with their cause)."""
    out = []
    last = None
    protocols = {}  # kind name -> protocol, looked up once per kind
    for ch in plan:
        if ch.get("implied"):
            continue
        protocol = protocols.get(ch["kind"])
        if protocol is None:
            protocol = protocols[ch["kind"]] = registry.kind(ch["kind"]).protocol()
        mark = (ch["stage"], protocol, registry.kind(ch["kind"]).sent_in(ch))
        if out and mark == last:
            out[-1].append(ch)
        else:
            out.append([ch])
        last = mark
    return out


def apply(plan, ctx):
    """Apply ``plan`` (ordered changes).  Returns the applied changes, in
    the order undo must reverse.  On a refusal, undoes and raises
    ApplyError."""
    implied = {}
    for ch in plan:
        if ch.get("implied"):
            implied.setdefault(_cause(ch), []).append(ch)
    applied = []
    sent = []
    try:
        for batch in _batches(plan):
            _send(batch, ctx, applied, implied, sent)
    except _Refused as refused:
        failures = undo(applied, ctx)
        ch = refused.change
        kind = registry.kind(ch["kind"])
        msg = "kernel refused %s: %s" % (kind.command(contract.mask_change(kind, ch), ctx),
                                         refusal(ch, refused.error))
        if applied and not failures:
            msg += " (the %d change(s) already applied were undone)" % len(applied)
        elif failures:
            msg += (" (undoing the %d change(s) already applied left %d object(s) not restored exactly:"
                    " see undo_failures)" % (len(applied), len(failures)))
        every = [(ch, refused.error)] + refused.also
        raise ApplyError(msg, change=ch, error=refused.error, undo_failures=failures, applied=len(applied),
                         sent=sent, refused=[(c, refusal(c, e)) for c, e in every])
    return applied


def _send(batch, ctx, applied, implied, sent):
    kind = registry.kind(batch[0]["kind"])
    requests = []
    for ch in batch:
        # Built batch by batch: a request may name an object an earlier
        # batch made (a new bridge's ifindex).
        try:
            requests.append(registry.kind(ch["kind"]).request(ch, ctx))
        except (contract.PlanError, NetlinkLibraryError) as exc:
            raise _Refused(ch, exc)
    result = _socket(ctx, kind, batch[0]).batch(requests)
    not_sent = set(result.not_sent)
    for i, ch in enumerate(batch):
        if i not in not_sent:
            sent.append(ch)
    for i in result.applied:
        ch = batch[i]
        if implied:
            applied.extend(implied.get(identity(ch), ()))
            sent.extend(implied.get(identity(ch), ()))
        applied.append(ch)
    kinds = set(ch["kind"] for ch in batch)
    for name in sorted(kinds):
        registry.kind(name).after_stage(ctx, [ch for ch in batch if ch["kind"] == name])
    if not result.ok:
        also = [(batch[i], error) for i, error in sorted(result.errors.items()) if i != result.failed]
        raise _Refused(batch[result.failed], result.error, also)


def undo_plan(applied):
    """The plain-data plan that undoes ``applied`` (in the order apply()
    returned them)."""
    out = []
    for ch in reversed(applied):
        inv = registry.kind(ch["kind"]).inverse(ch)
        out.extend(inv if isinstance(inv, list) else [inv])
    return out


def applied_order(plan):
    """The order apply() records ``plan``'s changes in when every request
    is acked: what a module that has not applied anything yet can already
    undo (commit-confirmed stores ``undo_plan(applied_order(plan))``)."""
    implied = {}
    for ch in plan:
        if ch.get("implied"):
            implied.setdefault(_cause(ch), []).append(ch)
    out = []
    for batch in _batches(plan):
        for ch in batch:
            out.extend(implied.get(identity(ch), ()))
            out.append(ch)
    return out


def undo(applied, ctx):
    """Apply the inverse of ``applied``, one request at a time, past any
    failure; then check what was restored.  Returns the undo failures:
    ``[{"kind", "key", "command", "reason"}]``."""
    return apply_undo(undo_plan(applied), ctx)


def apply_undo(plan, ctx):
    """Apply an undo ``plan`` (from undo_plan(), possibly stored and
    reloaded), one request at a time, past any failure; then read back
    what it should have restored.  Returns the undo failures."""
    failures = []
    refused = set()
    for ch in plan:
        if ch.get("implied"):
            continue  # the kernel brings it back with its cause; verified below
        kind = registry.kind(ch["kind"])
        error = None
        try:
            result = _socket(ctx, kind, ch).batch([kind.request(ch, ctx)])
            if not result.ok:
                error = result.error
        except Exception as exc:  # pylint: disable=broad-except
            # Whatever stops one step (a device an earlier step could not
            # bring back, a refused request), undo goes on with the next
            # and reports this one.
            error = exc
        kind.after_stage(ctx, [ch])
        if error is not None:
            refused.add(id(ch))
            said = "the kernel refused it" if isinstance(error, NetlinkError) else "it could not be sent"
            failures.append(_failure(kind, ch, ctx, "%s: %s" % (said, reason(error))))
    failures.extend(verify([ch for ch in plan if id(ch) not in refused], ctx))
    return failures


def _failure(kind, ch, ctx, why):
    shown = contract.mask_change(kind, ch)
    return {"kind": ch["kind"], "key": list(ch["key"]), "command": kind.command(shown, ctx), "reason": why}


# What the kernel brings back by itself (``implied.returns``: the routes of
# protocol kernel of a re-created link) may come a moment after the undo:
# IPv6 adds a link's fe80::/64 and ff00::/8 routes when its carrier comes
# up, and carrier changes reach addrconf through linkwatch, which delays
# them by up to a second (net/core/link_watch.c), more on a loaded machine
# (at load 14 a link move's undo once said undone: false, most likely so).
# Verify polls until they are there; the bound only decides how long a
# real failure takes to report.
RETURN_WAIT = 10.0


def _late(kind, changes, objs, found):
    """Whether something the kernel brings back by itself is not there yet."""
    return any((ch.get("implied") or {}).get("returns") and ch["after"] is not None
               and tuple(kind.key(obj)) not in found for ch, obj in zip(changes, objs))


def verify(plan, ctx):
    """Read back every object ``plan`` should have left and compare it
    with the change's ``after`` (None: gone).  Returns failures for what
    differs; a kind that cannot read (``read`` returns None) is trusted on
    its acks."""
    failures = []
    last = {}  # an object's final state is what the last change for it leaves
    for ch in plan:
        last[identity(ch)] = ch
    by_kind = {}
    for ch in last.values():
        by_kind.setdefault(ch["kind"], []).append(ch)
    for name, changes in by_kind.items():
        kind = registry.kind(name)
        objs = [ch["after"] if ch["after"] is not None else ch["before"] for ch in changes]
        try:
            found = kind.read(ctx, objs)
        except NetlinkLibraryError as exc:
            for ch in changes:
                failures.append(_failure(kind, ch, ctx, "could not read it back: %s" % exc))
            continue
        if found is None:
            continue
        deadline = time.monotonic() + RETURN_WAIT
        while _late(kind, changes, objs, found) and time.monotonic() < deadline:
            time.sleep(0.05)
            try:
                found = kind.read(ctx, objs)
            except NetlinkLibraryError:
                break
        for ch, obj in zip(changes, objs):
            have = found.get(tuple(kind.key(obj)))
            if ch["after"] is None:
                if have is not None:
                    failures.append(_failure(kind, ch, ctx, "it is still there"))
                continue
            if have is None:
                failures.append(_failure(kind, ch, ctx, "it is missing"))
                continue
            diff = kind.mismatch(ch["after"], have)
            if diff:
                failures.append(_failure(kind, ch, ctx, "restored with different %s" % ", ".join(diff)))
    return failures
