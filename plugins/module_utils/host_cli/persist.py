# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""nl_persist: save the desired state, install netlink-host and its boot
unit, or check the kernel against the saved state (drift).

Saving validates every section exactly as apply will (the module's
argument spec and its task's validation, kernel untouched), so a state
that would fail at boot fails the play instead.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

from .. import contract
from ..netlink.errors import NetlinkLibraryError
from ..engine.context import validate_netns
from . import engine, package, state_files, unit
# included: the program's code in the payload (see included.py)
from . import included  # noqa: F401 pylint: disable=unused-import
from ..state.sections import SECTIONS, SectionUnavailable, argument_spec

SYSTEMD_BOOTED = "/run/systemd/system"
DEFAULT_UNIT_DIR = "/etc/systemd/system"


def _leaves(value):
    """The strings Ansible's no_log masking takes from ``value`` (its
    _return_datastructure_name: every string and number, not bools)."""
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        return set(s for v in value for s in _leaves(v))
    if isinstance(value, bool) or value is None:
        return set()
    return set([str(value)]) if value != "" else set()


def _split_secret(value, options):
    """(secret strings, plain strings) of a section's ``value`` by its
    module's own spec ``options``: only suboptions that module marks no_log
    are secret; an option the spec does not know stays secret."""
    secret, plain = set(), set()
    items = value if isinstance(value, list) else [value]
    for item in items:
        if not isinstance(item, dict):
            secret |= _leaves(item)
            continue
        for key, sub in item.items():
            spec = options.get(key)
            if spec is None or spec.get("no_log"):
                secret |= _leaves(sub)
            elif spec.get("options") and isinstance(sub, (dict, list)):
                more = _split_secret(sub, spec["options"])
                secret |= more[0]
                plain |= more[1]
            else:
                plain |= _leaves(sub)
    return secret, plain


def narrow_no_log(module):
    """Ansible masks every string of a no_log option wherever it appears in
    the result; a secret section (nl_xfrm's SAs) is one option here, so its
    addresses, SPIs and words like "esp" would be starred in the saved
    addresses, the diff and the drift.  Keep masked only what the section's
    own module keeps secret (the keys), as nl_xfrm does."""
    for section in SECTIONS:
        value = module.params.get(section.name)
        if not section.secret or value is None:
            continue
        try:
            options = argument_spec(section)[section.option].get("options") or {}
        except SectionUnavailable:
            continue  # refused by the validation: everything stays masked
        secret, plain = _split_secret(value, options)
        module.no_log_values = (set(module.no_log_values) - plain) | secret


def _sections(params):
    return dict((s.name, params[s.name]) for s in SECTIONS if params.get(s.name) is not None)


def _others(params):
    """The other saved states in O(dir), read as netlink-host reads them
    (a boot applies them with this one), or None."""
    own = state_files.paths_for(params["dir"], params["name"])
    if not os.path.isdir(params["dir"]):
        return None
    paths = [p for p in state_files.expand([params["dir"]]) if p not in own]
    return state_files.load(paths) if paths else None


def _together(params, sections):
    """This state with the others in O(dir), as a boot merges them: the
    modes must agree (netlink-host refuses files that do not); returns the
    merged sections (the unit waits for the devices of all of them)."""
    others = _others(params)
    if others is None:
        return sections
    if others["mode"] != params["mode"]:
        raise state_files.StateError(
            "%s: mode %s, but this state (%s) says %s: the files in %s are applied together and must agree"
            % (others["files"][0], others["mode"], params["name"], params["mode"], params["dir"]))
    merged = dict(others["sections"])
    for name, value in sections.items():
        merged[name] = state_files.merge(name, merged.get(name), value, params["name"])
    return merged


def _save(module, params, result):
    sections = _sections(params)
    loaded = {"mode": params["mode"], "sections": sections, "ignore_networkmanager": params["ignore_networkmanager"]}
    engine.validate(loaded)
    together = _together(params, sections)
    plain, secret = state_files.documents(sections, params["mode"], params["ignore_networkmanager"])
    plain_path, secret_path = state_files.paths_for(params["dir"], params["name"])
    result["files"] = [plain_path] + ([secret_path] if secret is not None else [])
    if module._diff:
        result["diff"] = [_diff(plain_path, state_files.render(plain), False)]
        if secret is not None or os.path.exists(secret_path):
            result["diff"].append(_diff(secret_path, state_files.render(secret) if secret else None, True))
    if module.check_mode:
        result["changed"] = (state_files.differs(plain_path, plain, state_files.PLAIN_MODE)
                             or (secret is not None and state_files.differs(secret_path, secret,
                                                                            state_files.SECRET_MODE))
                             or (secret is None and os.path.exists(secret_path)))
    else:
        result["changed"], result["files"] = state_files.save(
            params["dir"], params["name"], sections, params["mode"], params["ignore_networkmanager"])
    if params["install"]:
        _install(module, params, together, result)


def _read(path):
    try:
        with open(path) as f:
            return f.read()
    except (IOError, OSError):
        return None


def _diff(path, new, secret):
    """A diff entry for one state file (a secret file's content is never
    shown: only whether it changes)."""
    old = _read(path)
    if secret:
        old = None if old is None else "(keys: %s)\n" % ("unchanged" if old == new else "before")
        new = None if new is None else "(keys: %s)\n" % ("unchanged" if old and "unchanged" in old else "after")
    return {"before_header": path, "after_header": path, "before": old or "", "after": new or ""}


def _install(module, params, sections, result):
    program = os.path.join(params["prefix"], package.PROGRAM)
    text = unit.render(program, params["dir"], unit.needed_devices(sections))
    unit_path = os.path.join(params["unit_dir"], unit.NAME)
    result.update(program=program, unit=unit_path, exec_start=unit.exec_start(program, params["dir"]))
    if module.check_mode:
        result["changed"] = (result["changed"] or not package.installed(params["prefix"])
                             or unit.differs(params["unit_dir"], text, params["enable"]))
        return
    changed, _program = package.install(params["prefix"])
    unit_changed, _path = unit.write(params["unit_dir"], text, enable=params["enable"])
    result["changed"] = result["changed"] or changed or unit_changed
    if unit_changed and params["unit_dir"] == DEFAULT_UNIT_DIR and os.path.isdir(SYSTEMD_BOOTED):
        rc, _out, err = module.run_command(["systemctl", "daemon-reload"])
        if rc != 0:
            module.warn("systemctl daemon-reload failed: %s" % err.strip())


def _check(module, params, result):
    if not os.path.isdir(params["dir"]):
        module.warn("%s: no saved state to check against" % params["dir"])
        result.update(files=[], drift=[], commands=[], drifted=False)
        return
    loaded = state_files.load([params["dir"]])
    steps = engine.execute(loaded, netns=params.get("netns"), apply=False)
    result["files"] = loaded["files"]
    result["drift"] = [line for s in steps for line in engine.drift(s)]
    result["commands"] = [c for s in steps for c in s.commands]
    result["drifted"] = bool(result["drift"])


def run(module):
    """nl_persist's whole run: exit_json / fail_json."""
    params = module.params
    result = {"changed": False}
    try:
        narrow_no_log(module)
        validate_netns(params.get("netns"), "netns")
        if params["state"] == "check":
            _check(module, params, result)
        elif params["state"] == "absent":
            result["files"] = list(state_files.paths_for(params["dir"], params["name"]))
            if module.check_mode:
                result["changed"] = any(os.path.exists(p) for p in result["files"])
            else:
                result["changed"] = state_files.remove(params["dir"], params["name"])
        else:
            _save(module, params, result)
    except (contract.ValidationError, engine.HostError, NetlinkLibraryError) as exc:
        module.fail_json(msg=str(exc), **result)
    except (IOError, OSError) as exc:
        module.fail_json(msg="%s: %s" % (getattr(exc, "filename", None) or "", exc), **result)
    module.exit_json(**result)
