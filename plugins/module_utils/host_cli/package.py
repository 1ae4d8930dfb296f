# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Install the host program: the collection's module_utils copied as a
package ``netlink_host`` under ``<prefix>/lib/netlink-host/<hash>/``, a
``current`` symlink to it, and ``<prefix>/sbin/netlink-host``, a few lines
that put ``current`` on sys.path and call host_cli.cli.main.

The copy is engine_copy's (every module_utils file), the one the
commit-confirmed watchdog uses too; ``current`` is switched by renaming
the symlink, so a program running from the old copy (a boot in progress)
never sees a half-written one.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import shutil
import sys

from ..engine import engine_copy

LIB = "lib/netlink-host"
PROGRAM = "sbin/netlink-host"

WRAPPER = '''#!%(python)s
# netlink-host: written by netlink.host's nl_persist; standard library only.
# The engine is the collection's module_utils, copied to %(lib)s.
import sys
sys.path.insert(0, %(lib)r)
from %(package)s.host_cli.cli import main
sys.exit(main())
'''


def text_differs(path, text, mode):
    """Whether ``path`` does not hold exactly ``text`` with ``mode``."""
    try:
        with open(path) as f:
            return not (f.read() == text and (os.stat(path).st_mode & 0o777) == mode)
    except (IOError, OSError):
        return True


def write_text(path, text, mode):
    """Write ``text`` to ``path`` (atomically) unless it holds it already;
    whether it changed."""
    if not text_differs(path, text, mode):
        return False
    tmp = "%s.%d.tmp" % (path, os.getpid())
    with open(tmp, "w") as f:
        f.write(text)
    os.chmod(tmp, mode)
    os.rename(tmp, path)
    return True


def installed(prefix="/usr/local", python=None):
    """Whether the program under ``prefix`` is this collection's, as
    install() would write it (check mode)."""
    lib = os.path.join(prefix, LIB)
    current = os.path.join(lib, "current")
    program = os.path.join(prefix, PROGRAM)
    try:
        with open(program) as f:
            text = f.read()
        return (os.readlink(current) == engine_copy.digest(engine_copy.sources()) and
                text == WRAPPER % {"python": python or sys.executable, "lib": current,
                                   "package": engine_copy.PACKAGE})
    except (IOError, OSError):
        return False


def install(prefix="/usr/local", python=None):
    """Install (or update) the program under ``prefix``; returns (changed,
    program path)."""
    lib = os.path.join(prefix, LIB)
    if not os.path.isdir(lib):
        os.makedirs(lib, 0o755)
    final, changed = engine_copy.install(lib, engine_copy.sources())
    version = os.path.basename(final)
    current = os.path.join(lib, "current")
    if not os.path.islink(current) or os.readlink(current) != version:
        link = "%s.%d.tmp" % (current, os.getpid())
        os.symlink(version, link)
        os.rename(link, current)  # atomic switch
        changed = True
    for name in os.listdir(lib):  # earlier copies
        if name not in (version, "current") and not name.endswith(".tmp"):
            shutil.rmtree(os.path.join(lib, name), ignore_errors=True)
    program = os.path.join(prefix, PROGRAM)
    if not os.path.isdir(os.path.dirname(program)):
        os.makedirs(os.path.dirname(program), 0o755)
    text = WRAPPER % {"python": python or sys.executable, "lib": current, "package": engine_copy.PACKAGE}
    changed = write_text(program, text, 0o755) or changed
    return changed, program
