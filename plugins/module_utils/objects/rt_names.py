# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The managed host's own names for routing numbers, as iproute2 reads them:
``rt_tables`` (tables), ``rt_protos`` (route origins), ``rt_realms``.

iproute2 reads ``/etc/iproute2/NAME``, or, when that file is missing, the
distribution's copy (``/usr/share/iproute2/NAME`` or
``/usr/lib/iproute2/NAME``, iproute2 6.5+), then every ``*.conf`` file of
the ``NAME.d`` directories.  Each line is ``NUMBER NAME`` (the number
decimal or ``0x`` hex); ``#`` starts a comment.

Only tasks use this (to turn a user's name into the number the kernel
takes, at validation time): object kinds never read host files, so a
plan holds numbers and replays the same on any host.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

from .. import contract

ETC_DIR = "/etc/iproute2"
USR_DIRS = ("/usr/share/iproute2", "/usr/lib/iproute2")


def _read_file(path, names):
    try:
        with open(path) as handle:
            lines = handle.read().splitlines()
    except (IOError, OSError):
        return False
    for line in lines:
        words = line.split("#", 1)[0].split()
        if len(words) < 2:
            continue
        try:
            number = int(words[0], 0)
        except ValueError:
            continue  # iproute2 skips a malformed line too
        names[words[1]] = number
    return True


def names(db, etc_dir=ETC_DIR, usr_dirs=USR_DIRS):
    """name -> number for the database ``db`` (``rt_tables``,
    ``rt_protos``, ``rt_realms``), merged as iproute2 merges it; the
    ``/etc`` files win over the distribution's."""
    out = {}
    if not _read_file(os.path.join(etc_dir, db), out):
        for usr in usr_dirs:
            if _read_file(os.path.join(usr, db), out):
                break
    for base in tuple(reversed(usr_dirs)) + (etc_dir,):
        conf_dir = os.path.join(base, db + ".d")
        try:
            entries = sorted(os.listdir(conf_dir))
        except (IOError, OSError):
            continue
        for entry in entries:
            if entry.endswith(".conf"):
                _read_file(os.path.join(conf_dir, entry), out)
    return out


def number(db, value, option, builtin=None, limit=0xFFFFFFFF, **dirs):
    """A user's value (a number, a numeric string, a name in ``builtin``
    (an Enum of the schema: main, local, ...) or in the host's ``db``) as
    its number.  Raises ValidationError naming ``option`` and the value."""
    if isinstance(value, bool):
        raise contract.ValidationError("%s=%s: not a number or a name" % (option, value))
    if isinstance(value, int) or (isinstance(value, str) and value.strip().lstrip("-").isdigit()):
        num = int(value)
    elif isinstance(value, str) and value.lower().startswith("0x"):
        try:
            num = int(value, 16)
        except ValueError:
            raise contract.ValidationError("%s=%s: not a number or a name" % (option, value))
    elif builtin is not None and value in builtin.numbers:
        num = builtin.numbers[value]
    else:
        known = names(db, **dirs)
        if value not in known:
            raise contract.ValidationError(
                "%s=%s: unknown name; not in %s/%s or its %s.d (known: %s)"
                % (option, value, ETC_DIR, db, db, ", ".join(sorted(set(known) | set(builtin.numbers if builtin else ())))))
        num = known[value]
    if not 0 <= num <= limit:
        raise contract.ValidationError("%s=%s: out of range 0-%d" % (option, value, limit))
    return num
