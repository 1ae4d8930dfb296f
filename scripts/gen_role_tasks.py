"""Generate the network role's per-module tasks and variables from
objects/manifest.py, so that a module in the manifest is a module the role
runs (checked first, applied, removed, saved) with nothing written by hand.

    python scripts/gen_role_tasks.py           rewrite the generated regions
    python scripts/gen_role_tasks.py --check   exit 1 (with a diff) if stale

Only the regions between the markers ``# BEGIN generated (<region>)`` and
``# END generated (<region>)`` are written; everything around them in
roles/network/ is edited by hand.  Each module's ``role`` variables say
what the tasks pass, its ``role_tasks`` what they are named and which
state they pass.  One task per module and phase, never a loop of tasks per
item: that is the role's contract (see the head of tasks/main.yml).
Run it with the python of a test venv (scripts/test.sh's role docs tier
runs --check).
"""
import importlib
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ROLE = os.path.join(ROOT, "roles", "network")
TASKS = os.path.join(ROLE, "tasks", "main.yml")
VARS = os.path.join(ROLE, "vars", "main.yml")
DEFAULTS = os.path.join(ROLE, "defaults", "main.yml")
COLLECTION = "netlink.host"
NETNS = 'netns: "{{ network_netns | default(omit, true) }}"'
CONFIRM = 'confirm_timeout: "{{ network_confirm_timeout | default(omit, true) }}"'


def manifest():
    """objects/manifest.py, the one list of the modules and their role variables."""
    return importlib.import_module("ansible_collections.%s.plugins.module_utils.objects.manifest" % COLLECTION)


def role_modules():
    """The modules the role runs, in the order it applies them."""
    return [m for m in manifest().MODULES if m.role_tasks is not None]


def _short(var):
    """network_links -> links: the stem of the role's own list variables."""
    return var.name[len("network_"):]


def _is_dict(var):
    return isinstance(var.options, tuple)


def _list_source(var, phase, whole):
    if phase == "check" and whole:
        return var.name
    return "__network_%s_%s" % (_short(var), "gone" if phase == "remove" else "kept")


def _module_args(module, phase):
    """(args lines, when) of a module's task in one phase: check, apply or remove."""
    tasks = module.role_tasks
    args, sources = [], []
    for var in module.role:
        if _is_dict(var):
            args += ['%s: "{{ %s.%s | default(omit) }}"' % (opt, var.name, opt) for opt in var.options]
            sources.append(var.name)
            continue
        source = _list_source(var, phase, tasks.check_whole)
        args.append('%s: "{{ %s }}"' % (var.options, source))
        sources.append(source)
    if phase in ("check", "apply") and tasks.item_state:
        args.append('state: "{{ __network_item_state }}"')
    if phase == "remove" and tasks.remove_state:
        args.append("state: absent")
    args.append(NETNS)
    if phase != "check":
        args.append(CONFIRM)
    when = sources[0] if len(sources) == 1 else "(%s)" % " + ".join(sources)
    return args, "%s | length > 0" % when


def _task(module, phase):
    tasks = module.role_tasks
    name = {"check": tasks.check, "apply": tasks.apply, "remove": tasks.remove}[phase]
    args, when = _module_args(module, phase)
    lines = ["- name: %s" % name, "  %s.%s:" % (COLLECTION, module.name)]
    lines += ["    " + arg for arg in args]
    lines.append("  when: %s" % when)
    if phase == "check":
        lines.append("  changed_when: false")
    else:
        lines.append("  register: __network_done_%s%s" % (tasks.done, "_gone" if phase == "remove" else ""))
    return lines


def _tasks(modules, phase):
    out = []
    for module in modules:
        if out:
            out.append("")
        out += _task(module, phase)
    return out


def persist_sections():
    """nl_persist's saved sections as the role passes them: its variables as given."""
    lines = []
    for module in role_modules():
        by_option = dict((saved.option, saved) for saved in module.saved)
        for var in module.role:
            if _is_dict(var):
                lines += ['%s: "{{ %s.%s | default(omit) }}"' % (by_option[opt].name, var.name, opt) for opt in var.options]
            else:
                lines.append('%s: "{{ %s }}"' % (by_option[var.options].name, var.name))
    return lines


def kept_and_gone():
    lines = []
    for module in role_modules():
        for var in module.role:
            if _is_dict(var):
                continue
            short = _short(var)
            lines.append('__network_%s_gone: "{{ %s | selectattr(\'state\', \'defined\') | '
                         'selectattr(\'state\', \'equalto\', \'absent\') | list }}"' % (short, var.name))
            lines.append('__network_%s_kept: "{{ %s | reject(\'in\', __network_%s_gone) | list }}"' % (short, var.name, short))
    return lines


def list_defaults():
    return ["%s: []" % var.name for module in role_modules() for var in module.role if not _is_dict(var)]


def regions():
    """region name -> its lines, unindented."""
    modules = role_modules()
    return {
        "checks": _tasks(modules, "check"),
        "apply": _tasks(modules, "apply"),
        "removals": _tasks([m for m in reversed(modules) if m.role_tasks.remove], "remove"),
        "persist-sections": persist_sections(),
        "kept-and-gone": kept_and_gone(),
        "list-defaults": list_defaults(),
    }


def build(generated):
    return generated.rewrite_all((TASKS, VARS, DEFAULTS), regions(), "roles/network")


def main():
    import generated  # scripts/generated.py, beside this file (sys.path[0] of a script)
    return generated.main(__doc__, "scripts/gen_role_tasks.py", lambda: build(generated))


if __name__ == "__main__":
    sys.exit(main())
