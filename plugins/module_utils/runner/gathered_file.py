# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""``gathered_file``: ``state: gathered`` written to a file on the managed
host instead of into the result.

Why: a gathered full routing table is a million dicts.  Returned in the
result, Ansible's ``exit_json`` walks and copies every value (no_log
scrubbing) and encodes it with its own encoder: about 11 times what
``ip -j route show`` takes for the whole job, and over 700 MB at a million
routes, before the controller has parsed a byte.  Written here with the
standard C JSON encoder, a chunk at a time, the task costs its read plus
one encode, and the result is a count.

The file is a JSON list of the objects in the module's input format (what
``gathered`` would hold), a chunk of objects per line.  It is replaced
atomically (Ansible's ``atomic_move``: an existing file keeps its owner,
mode and SELinux context; a new one gets the umask's mode), and only when
its content differs, so a second run reports no change.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import tempfile

from ..contract import ValidationError
from ..specs.common import GATHERED_FILE as OPTION

CHUNK = 10000  # objects per json.dumps call and per line of the file


def validate(params):
    """Refuse a ``gathered_file`` the task cannot write, before anything
    is read: only with ``state: gathered``, an absolute path, in an
    existing directory, not a directory itself."""
    path = params.get(OPTION)
    if path is None:
        return
    problem = None
    if params.get("state") != "gathered":
        problem = "only with state=gathered (state is %s)" % params.get("state")
    elif not os.path.isabs(path):
        problem = "an absolute path is needed"
    elif os.path.isdir(path):
        problem = "is a directory"
    elif not os.path.isdir(os.path.dirname(path)):
        problem = "its directory %s does not exist" % os.path.dirname(path)
    if problem:
        raise ValidationError("%s=%s: %s" % (OPTION, path, problem))


def chunks(objects):
    """The file's text, a chunk of bytes at a time (one chunk in memory:
    a million routes are about 100 MB of JSON)."""
    yield b"["
    for start in range(0, len(objects), CHUNK):
        text = json.dumps(objects[start:start + CHUNK])[1:-1]
        yield (",\n" if start else "\n").encode("utf-8") + text.encode("utf-8")
    yield b"\n]\n"


def _open_old(path):
    try:
        return open(path, "rb")
    except (IOError, OSError):
        return None  # not there (or unreadable): it differs


def write(module, objects):
    """Write ``objects`` to the module's ``gathered_file`` unless it holds
    them already (in check mode, only compare); the result fields.  One
    pass: each chunk is compared with the old file and written to the
    temporary one as it is made."""
    path = module.params[OPTION]
    old = _open_old(path)
    same = old is not None
    tmp = out = None
    try:
        if not module.check_mode:
            fd, tmp = tempfile.mkstemp(prefix=".%s." % os.path.basename(path), dir=os.path.dirname(path))
            out = os.fdopen(fd, "wb")
        for chunk in chunks(objects):
            if same and old.read(len(chunk)) != chunk:
                same = False
            if out is not None:
                out.write(chunk)
            elif not same:
                break  # check mode: known to differ
        if same and old.read(1):
            same = False  # the old file is longer
        if out is not None:
            out.close()
            if not same:
                module.atomic_move(tmp, path)
    except (IOError, OSError) as exc:
        # a directory that takes no file (read-only, sysfs), a full disk:
        # the task fails naming the option; only the file was at stake
        raise ValidationError("%s=%s: cannot write it: %s" % (OPTION, path, exc.strerror or exc))
    finally:
        for f in (old, out):
            if f is not None:
                f.close()
        if tmp is not None and os.path.exists(tmp):
            os.unlink(tmp)
    return {"changed": not same, OPTION: path, "gathered_count": len(objects)}
