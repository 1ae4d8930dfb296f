# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The saved desired state: JSON files, each a mapping of sections (see
sections.py) to the module's own list (or dict) format, read together.

    {"version": 1, "mode": "present", "links": [...], "addresses": [...]}

JSON, not YAML: the host program reads it with the standard library only.
A directory stands for its ``*.json`` files in name order; lists of the
same section from several files are concatenated, dicts merged (later file
wins).  ``mode`` (present or replaced, as the network role's
``network_mode``) must agree across files.  A file that holds a secret
section (IPsec keys) must be readable by its owner only, as ssh insists
for private keys, and is written 0600.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import stat

from .. import contract
from .package import text_differs
from ..state.sections import BY_NAME, SECTIONS

VERSION = 1
DEFAULT_DIR = "/etc/netlink.host"
MODES = ("present", "replaced")
# Keys of a state file that are not sections.
META_KEYS = ("version", "mode", "ignore_networkmanager")
SECRET_SUFFIX = "-secret"
PLAIN_MODE = 0o644
SECRET_MODE = 0o600  # keys: root only


class StateError(contract.ValidationError):
    """A state file that cannot be read as saved state."""


def expand(paths):
    """Files named by ``paths`` (a directory: its *.json, sorted)."""
    files = []
    for path in paths:
        if os.path.isdir(path):
            files.extend(os.path.join(path, n) for n in sorted(os.listdir(path))
                         if n.endswith(".json") and not n.startswith("."))
        elif os.path.exists(path):
            files.append(path)
        else:
            raise StateError("%s: no such file or directory" % path)
    return files


def _read(path):
    try:
        with open(path) as f:
            doc = json.load(f)
    except ValueError as exc:
        raise StateError("%s: not valid JSON: %s" % (path, exc))
    except (IOError, OSError) as exc:
        raise StateError("%s: %s" % (path, exc.strerror or exc))
    if not isinstance(doc, dict):
        raise StateError("%s: must hold a JSON object of sections, not %s" % (path, type(doc).__name__))
    if doc.get("version", VERSION) != VERSION:
        raise StateError("%s: version %r: this netlink-host reads version %d" % (path, doc.get("version"), VERSION))
    unknown = sorted(k for k in doc if k not in BY_NAME and k not in META_KEYS)
    if unknown:
        raise StateError("%s: unknown section(s) %s (known: %s)" % (
            path, ", ".join(unknown), ", ".join(s.name for s in SECTIONS)))
    if doc.get("mode", "present") not in MODES:
        raise StateError("%s: mode %r: must be one of %s" % (path, doc.get("mode"), ", ".join(MODES)))
    if any(BY_NAME[k].secret for k in doc if k in BY_NAME):
        mode = os.stat(path).st_mode
        if mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise StateError("%s: holds keys but is readable by others (mode %04o): chmod 600 it"
                             % (path, stat.S_IMODE(mode)))
    return doc


def load(paths):
    """Merged state of the files named by ``paths``:
    ``{"mode", "ignore_networkmanager", "files", "sections": {name: value},
    "by_file": [(path, {name: value}), ...]}`` (by_file: each file's own
    sections, so that an error can name the file and the item's place in it)."""
    files = expand(paths)
    out = {"mode": None, "ignore_networkmanager": False, "files": files, "sections": {}, "by_file": []}
    for path in files:
        doc = _read(path)
        mode = doc.get("mode", "present")
        if out["mode"] not in (None, mode):
            raise StateError("%s: mode %s, but an earlier file says %s: the files must agree" % (path, mode, out["mode"]))
        out["mode"] = mode
        out["ignore_networkmanager"] = out["ignore_networkmanager"] or bool(doc.get("ignore_networkmanager"))
        out["by_file"].append((path, dict((k, v) for k, v in doc.items() if k not in META_KEYS)))
        for name, value in doc.items():
            if name in META_KEYS:
                continue
            out["sections"][name] = merge(name, out["sections"].get(name), value, path)
    out["mode"] = out["mode"] or "present"
    return out


def merge(name, old, new, where):
    if isinstance(new, list):
        if old is not None and not isinstance(old, list):
            raise StateError("%s: section %s: a list here, a mapping in an earlier file" % (where, name))
        return (old or []) + new
    if isinstance(new, dict):
        if old is not None and not isinstance(old, dict):
            raise StateError("%s: section %s: a mapping here, a list in an earlier file" % (where, name))
        return dict(old or {}, **new)
    raise StateError("%s: section %s: must be a list or a mapping, not %s" % (where, name, type(new).__name__))


def documents(sections, mode="present", ignore_networkmanager=False):
    """What to write: (plain document, secret document or None): secret
    sections go to a file of their own."""
    plain = {"version": VERSION, "mode": mode}
    if ignore_networkmanager:
        plain["ignore_networkmanager"] = True
    secret = None
    for name, value in sections.items():
        if BY_NAME[name].secret:
            secret = secret or {"version": VERSION, "mode": mode}
            secret[name] = value
        else:
            plain[name] = value
    return plain, secret


def render(doc):
    return json.dumps(doc, indent=2, sort_keys=True) + "\n"


def differs(path, doc, mode):
    """Whether ``path`` does not hold exactly ``doc`` with ``mode`` (what
    write_file would change; check mode asks this)."""
    return text_differs(path, render(doc), mode)


def write_file(path, doc, mode):
    """Write ``doc`` to ``path`` atomically with ``mode``; False when the file
    already held exactly that (content and mode)."""
    if not differs(path, doc, mode):
        return False
    text = render(doc)
    tmp = "%s.%d.tmp" % (path, os.getpid())
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    try:
        with os.fdopen(fd, "w") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)  # the umask may have narrowed it
        os.rename(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return True


def paths_for(state_dir, name):
    return (os.path.join(state_dir, name + ".json"),
            os.path.join(state_dir, name + SECRET_SUFFIX + ".json"))


def save(state_dir, name, sections, mode="present", ignore_networkmanager=False):
    """Write the saved state ``name`` (its plain and, if any, secret file) in
    ``state_dir``; returns (changed, files written or kept)."""
    if not os.path.isdir(state_dir):
        os.makedirs(state_dir, 0o755)
    plain_path, secret_path = paths_for(state_dir, name)
    plain, secret = documents(sections, mode, ignore_networkmanager)
    changed = write_file(plain_path, plain, PLAIN_MODE)
    files = [plain_path]
    if secret is not None:
        changed = write_file(secret_path, secret, SECRET_MODE) or changed
        files.append(secret_path)
    elif os.path.exists(secret_path):
        os.unlink(secret_path)
        changed = True
    return changed, files


def remove(state_dir, name):
    """Remove the saved state ``name``; whether anything was there."""
    changed = False
    for path in paths_for(state_dir, name):
        if os.path.exists(path):
            os.unlink(path)
            changed = True
    return changed
