# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A copy of the collection's engine on the managed host, as a plain
package, for the programs that must run without Ansible: the
commit-confirmed watchdog (confirm/launch.py) and the host program
``netlink-host`` (host_cli/package.py).

The sources are read through the import system, not copied as files:
Ansible runs a module from a zip in a payload directory that it deletes
when the task ends.  A copy is a directory named after the hash of its
sources, written beside and renamed into place, so a program running from
a copy never sees it change or half-written, and one collection version
is copied once.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib
import importlib
import importlib.util
import os
import pkgutil
import shutil

PACKAGE = "netlink_host"  # what the copy is imported as


def utils_package():
    """The module_utils package's full name (``...netlink.host.plugins.module_utils``)."""
    return __name__.rsplit(".", 2)[0]  # this file is module_utils.engine.engine_copy


def sources(modules=None, packages=None):
    """relative path -> source text: the named files and packages of
    module_utils (relative names, e.g. ``engine.applier``, ``netlink``) and its
    ``__init__``; every file when both are None."""
    base = utils_package()
    root = importlib.import_module(base)
    out = {}

    def add(name, is_pkg):
        spec = importlib.util.find_spec(name)
        rel = name[len(base) + 1:].replace(".", "/")
        rel = (rel + "/__init__.py").lstrip("/") if is_pkg else rel + ".py"
        out[rel] = spec.loader.get_source(name) or ""

    def add_package(name, path):
        for info in pkgutil.walk_packages(path, name + "."):
            add(info.name, info.ispkg)

    add(base, True)
    if modules is None and packages is None:
        add_package(base, root.__path__)
        return out
    for mod in modules or ():
        add("%s.%s" % (base, mod), False)
    for pkg in packages or ():
        name = "%s.%s" % (base, pkg)
        add(name, True)
        add_package(name, importlib.import_module(name).__path__)
    return out


def digest(files):
    """The copy's name: a hash of every path and text."""
    h = hashlib.sha256()
    for rel in sorted(files):
        h.update(rel.encode() + b"\0" + files[rel].encode("utf-8") + b"\0")
    return h.hexdigest()[:20]


def _make_dirs(path, mode):
    """os.makedirs, with ``mode`` on every directory it makes (makedirs
    gives it to the last one only)."""
    if not os.path.isdir(path):
        _make_dirs(os.path.dirname(path), mode)
        os.mkdir(path, mode)
        os.chmod(path, mode)  # whatever the umask


def install(parent, files, private=False):
    """Copy ``files`` to ``parent/<digest>/netlink_host/`` unless there
    already; returns (the directory to put on sys.path, whether it was
    written).  ``private``: root-only (0700 directories, 0600 files)."""
    dir_mode, file_mode = (0o700, 0o600) if private else (0o755, 0o644)
    final = os.path.join(parent, digest(files))
    if os.path.isdir(final):
        return final, False
    tmp = "%s.%d.tmp" % (final, os.getpid())
    try:
        for rel, text in sorted(files.items()):
            path = os.path.join(tmp, PACKAGE, rel)
            _make_dirs(os.path.dirname(path), dir_mode)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, file_mode)
            with os.fdopen(fd, "w") as f:
                f.write(text)
        try:
            os.rename(tmp, final)
        except OSError:
            if not os.path.isdir(final):  # not another process winning the race
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return final, True
