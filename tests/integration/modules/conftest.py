"""Run a module of this collection in-process, the way Ansible unit tests do.

``run_module(module_name, args, check=False, diff=False, netns=None)``
imports ``ansible_collections.netlink.host.plugins.modules.<module_name>``
(a name containing a dot is taken as a full import path instead), hands it
``args`` as its module arguments (plus ``_ansible_check_mode`` and
``_ansible_diff``; ``netns`` is added as the module's ``netns`` option when
given and not already in ``args``), calls its ``main()``, catches the
SystemExit that ``exit_json``/``fail_json`` raise and returns the JSON
result the module printed, as a dict (``failed: True`` on failure).

No ansible-playbook process, no controller: one Python process runs every
case, which is what keeps the VM tier (Python under TCG) affordable.

Also available as the ``run_module`` fixture.
"""
import contextlib
import importlib
import io
import json

import pytest

from ansible.module_utils import basic
from ansible.module_utils.common import warnings as _warnings

try:  # ansible-core 2.19+
    from ansible.module_utils.testing import patch_module_args as _patch_module_args
except ImportError:  # older ansible-core: the _ANSIBLE_ARGS trick
    _patch_module_args = None

MODULE_PACKAGE = "ansible_collections.netlink.host.plugins.modules"


@contextlib.contextmanager
def _module_args(args):
    if _patch_module_args is not None:
        with _patch_module_args(args):
            yield
        return
    from unittest import mock
    raw = json.dumps({"ANSIBLE_MODULE_ARGS": args}).encode()
    with mock.patch.object(basic, "_ANSIBLE_ARGS", raw):
        yield


class ModuleOutputError(AssertionError):
    """The module exited without printing one JSON result."""


def run_module(module_name, args=None, check=False, diff=False, netns=None):
    """Run module ``module_name`` in-process with ``args``; return its
    result dict (see the module docstring)."""
    args = dict(args or {})
    if netns is not None:
        args.setdefault("netns", netns)
    args["_ansible_check_mode"] = bool(check)
    args["_ansible_diff"] = bool(diff)
    path = module_name if "." in module_name else "%s.%s" % (MODULE_PACKAGE, module_name)
    mod = importlib.import_module(path)
    # A real module run is a fresh process: warnings of an earlier run in
    # this one must not show up in this run's result.
    for store in ("_global_warnings", "_global_deprecations"):
        getattr(_warnings, store, {}).clear()
    out = io.StringIO()
    code = None
    with _module_args(args), contextlib.redirect_stdout(out):
        try:
            mod.main()
        except SystemExit as exc:
            code = exc.code
    text = out.getvalue().strip()
    # exit_json/fail_json print "\n{json}"; anything before it is stray output.
    start = text.rfind("\n{")
    body = text[start + 1:] if start >= 0 else text
    try:
        result = json.loads(body)
    except ValueError:
        raise ModuleOutputError("%s (exit %r) printed no JSON result: %r" % (module_name, code, text))
    if not isinstance(result, dict):
        raise ModuleOutputError("%s printed %r, not a result dict" % (module_name, result))
    # ansible-core 2.19+ returns each warning as {"event": {"msg": ...}}
    if "warnings" in result:
        result["warnings"] = [w["event"]["msg"] if isinstance(w, dict) else w for w in result["warnings"]]
    if code not in (0, None) and not result.get("failed"):
        result["failed"] = True
    return result


@pytest.fixture(name="run_module")
def run_module_fixture():
    return run_module
