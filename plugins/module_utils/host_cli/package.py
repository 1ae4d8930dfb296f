# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Install the host program: the collection's module_utils copied as a
package ``netlink_host`` under ``<prefix>/lib/netlink-host/<hash>/``, a
``current`` symlink to it, and ``<prefix>/sbin/netlink-host``, a few lines
that put ``current`` on sys.path and call host_cli.cli.main.

The sources are read through the import system (Ansible runs a module from
a zip), as the commit-confirmed watchdog's copy does; one directory per
content hash, switched by renaming the symlink, so a program running from
the old copy (a boot in progress) never sees a half-written one.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib
import importlib
import importlib.util
import os
import pkgutil
import shutil
import sys

PACKAGE = "netlink_host"
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


def _utils_package():
    return __name__.rsplit(".", 2)[0]  # <...>.module_utils


def sources():
    """relative path -> source text of every module_utils file."""
    base = _utils_package()
    out = {}

    def add(name, is_pkg):
        spec = importlib.util.find_spec(name)
        rel = name[len(base) + 1:].replace(".", "/")
        rel = (rel + "/__init__.py").lstrip("/") if is_pkg else rel + ".py"
        out[rel] = spec.loader.get_source(name) or ""

    add(base, True)
    root = importlib.import_module(base)
    for info in pkgutil.walk_packages(root.__path__, base + "."):
        add(info.name, info.ispkg)
    return out


def digest(files):
    h = hashlib.sha256()
    for rel in sorted(files):
        h.update(rel.encode() + b"\0" + files[rel].encode("utf-8") + b"\0")
    return h.hexdigest()[:16]


def write_text(path, text, mode):
    """Write ``text`` to ``path`` (atomically) unless it holds it already;
    whether it changed."""
    try:
        with open(path) as f:
            if f.read() == text and (os.stat(path).st_mode & 0o777) == mode:
                return False
    except (IOError, OSError):
        pass
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
        return (os.readlink(current) == digest(sources()) and
                text == WRAPPER % {"python": python or sys.executable, "lib": current, "package": PACKAGE})
    except (IOError, OSError):
        return False


def install(prefix="/usr/local", python=None):
    """Install (or update) the program under ``prefix``; returns (changed,
    program path)."""
    files = sources()
    lib = os.path.join(prefix, LIB)
    version = digest(files)
    final = os.path.join(lib, version)
    changed = False
    if not os.path.isdir(final):
        tmp = "%s.%d.tmp" % (final, os.getpid())
        for rel, text in sorted(files.items()):
            path = os.path.join(tmp, PACKAGE, rel)
            if not os.path.isdir(os.path.dirname(path)):
                os.makedirs(os.path.dirname(path), 0o755)
            with open(path, "w") as f:
                f.write(text)
        os.rename(tmp, final)
        changed = True
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
    text = WRAPPER % {"python": python or sys.executable, "lib": current, "package": PACKAGE}
    changed = write_text(program, text, 0o755) or changed
    return changed, program
