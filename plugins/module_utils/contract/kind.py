# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""``ObjectKind``: what the engine needs to know about one kind of kernel
object; each ``objects/*.py`` kind subclasses it."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from .changes import CREATE, DELETE, UPDATE
from .plain import plain_copy, public


class ObjectKind:
    """What the engine needs to know about one kind of kernel object.

    Subclasses declare ``name``, ``secret_fields`` and ``immutable_fields``
    and implement ``key``, ``request`` and ``command``; they may refine
    ``differs``, ``stage`` and ``after_stage``, declare what their objects
    die with (``dies_with``) and say which links they live on (``devices``).
    """

    name = None
    # Fields compared with real bytes but never shown: masked in diff,
    # commands, results and error messages.
    secret_fields = ()
    # Fields the kernel cannot change on an existing object: changing one
    # needs delete + create.
    immutable_fields = ()
    # Fields that only steer the module, never compared with the kernel.
    control_fields = ("state", "kernel")
    # What the kernel deletes this kind's objects with: DiesWith
    # declarations (contract/cascade.py), one per parent kind.  The
    # parent's cascade plans them; nothing else lists them.
    dies_with = ()

    def key(self, obj):
        raise NotImplementedError

    def differs(self, desired, current):
        """Names of the fields of ``desired`` whose values differ from
        ``current``.  Fields the user did not give (None) are not compared.
        """
        out = []
        for field, want in desired.items():
            if want is None or field in self.control_fields:
                continue
            have = current.get(field)
            if isinstance(want, dict) and isinstance(have, dict):
                if any(v is not None and have.get(k) != v for k, v in want.items()):
                    out.append(field)
            elif have != want:
                out.append(field)
        return out

    def fixed(self, desired, current, fields):
        """The differing ``fields`` the kernel cannot change in place."""
        return [f for f in fields if f in self.immutable_fields]

    def merged(self, desired, current):
        """``current`` with the fields of ``desired`` applied: the object as
        it will be after an update."""
        out = plain_copy(current)
        for field, want in desired.items():
            if want is None or field in self.control_fields:
                continue
            if isinstance(want, dict) and isinstance(out.get(field), dict):
                out[field].update((k, v) for k, v in want.items() if v is not None)
            else:
                out[field] = plain_copy(want)
        return out

    def inverse(self, change):
        """The change that undoes ``change``: before and after swapped.
        What the kernel did by itself must be restored by a request,
        unless it comes back by itself (``implied.returns``).  Kinds may
        return a list of changes instead (a link's alias needs an update
        after its re-creation)."""
        op = {CREATE: DELETE, DELETE: CREATE, UPDATE: UPDATE}[change["op"]]
        out = dict(change, op=op, before=change["after"], after=change["before"])
        out.pop("note", None)
        out.pop("implied", None)
        if (change.get("implied") or {}).get("returns"):
            out["implied"] = change["implied"]
        return out

    def read(self, ctx, objs):
        """The current objects with the keys of ``objs`` (key -> object),
        read narrowly; undo checks what it restored with it.  None: this
        kind cannot read back (undo then trusts the kernel's acks)."""
        return None

    def mismatch(self, expected, actual):
        """Fields in which ``actual`` (read back) is not ``expected`` (the
        object as it was): what an undo did not restore exactly."""
        return self.differs(public(expected), actual)

    def stage(self, change):
        """Ordering: changes run in ascending stage; one stage is one batch."""
        return 0

    def after_stage(self, ctx, changes):
        """Called after a batch was applied (refresh name -> index maps)."""

    def request(self, change, ctx):
        """The one netlink Request that carries out ``change``."""
        raise NotImplementedError

    def command(self, change, ctx):
        """The equivalent iproute2 command line for ``change``."""
        raise NotImplementedError

    def protocol(self):
        from ..netlink import const
        return const.NETLINK_ROUTE

    def sent_in(self, change):
        """The namespace whose socket sends ``change``'s request: None for
        the task's own.  Another only to move a link back from the
        namespace it was moved into (undoing ``ip link set X netns Y``)."""
        return None

    def devices(self, obj):
        """Names of the links ``obj`` lives on (a link itself, an address's
        device, each device of a route's next hops): what a change of it
        touches, for whoever guards links (the host program and
        NetworkManager).  None of them for a kind not tied to a link."""
        return ()

    def ref(self, obj):
        """How the objects that die with ``obj`` name it (a link by its
        name, a nexthop by its id): the keys of the ``gone`` mapping their
        ``DiesWith.read`` gets.  Default: the key's one field, or the key."""
        key = tuple(self.key(obj))
        return key[0] if len(key) == 1 else key

    def label(self, obj):
        """Short human name of an object, for messages."""
        return " ".join(str(k) for k in self.key(obj) if k not in (None, ""))
