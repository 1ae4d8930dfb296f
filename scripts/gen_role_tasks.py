"""Generate the network role's task and variables from objects/manifest.py,
so that a module in the manifest is a section the role applies (in its one
nl_state task, checked first, saved) with nothing written by hand.

    python scripts/gen_role_tasks.py           rewrite the generated regions
    python scripts/gen_role_tasks.py --check   exit 1 (with a diff) if stale

Only the regions between the markers ``# BEGIN generated (<region>)`` and
``# END generated (<region>)`` are written; everything around them in
roles/network/ is edited by hand.  Each module's ``role`` variables say
which of its saved sections the role passes (nl_state and nl_persist take
the same section options).  ONE nl_state task per host applies them all:
one plan, one apply, one undo, and Ansible's per-task cost paid once, not
once per module (issue 22; see the head of tasks/main.yml).
Run it with the python of a test venv (scripts/test.sh's role docs tier
runs --check).
"""
import importlib
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ROLE = os.path.join(ROOT, "roles", "network")
TASKS = tuple(os.path.join(ROLE, "tasks", name) for name in ("main.yml", "before.yml"))
VARS = os.path.join(ROLE, "vars", "main.yml")
DEFAULTS = os.path.join(ROLE, "defaults", "main.yml")
COLLECTION = "netlink.host"
NETNS = 'netns: "{{ network_netns | default(omit, true) }}"'
CONFIRM = 'confirm_timeout: "{{ network_confirm_timeout | default(omit, true) }}"'


def manifest():
    """objects/manifest.py, the one list of the modules and their role variables."""
    return importlib.import_module("ansible_collections.%s.plugins.module_utils.objects.manifest" % COLLECTION)


def role_modules():
    """The modules whose sections the role applies, in the manifest's order
    (the order nl_state applies them)."""
    return [m for m in manifest().MODULES if m.role_tasks is not None]


def _is_dict(var):
    return isinstance(var.options, tuple)


def state_sections():
    """The saved sections as the role passes them to nl_state and
    nl_persist (the same options): its variables as given, items with
    ``state: absent`` included (nl_state removes them after every addition,
    in the reverse order)."""
    lines = []
    for module in role_modules():
        by_option = dict((saved.option, saved) for saved in module.saved)
        for var in module.role:
            if _is_dict(var):
                lines += ['%s: "{{ %s.%s | default(omit) }}"' % (by_option[opt].name, var.name, opt) for opt in var.options]
            else:
                lines.append('%s: "{{ %s }}"' % (by_option[var.options].name, var.name))
    return lines


def given():
    """__network_given (vars/main.yml): whether any variable holds
    something; the one task is skipped when none does."""
    variables = [var for module in role_modules() for var in module.role]
    lists = [var.name for var in variables if not _is_dict(var)]
    dicts = ["%s | length > 0" % var.name for var in variables if _is_dict(var)]
    # The closing parenthesis ends the last name's line: a folded scalar
    # joins lines with a space, and ansible-lint's jinja[spacing] wants
    # none before it.
    names = ["  {{ (" + lists[0]] + ["  + %s" % name for name in lists[1:]]
    names[-1] += ") | length > 0" + "".join(" or " + d for d in dicts) + " }}"
    return ["__network_given: >-"] + names


def state_task(check):
    """The nl_state task: the apply (registered as __network_done), or with
    ``check`` the preflight's check-mode run of the same input."""
    name = "Check the whole input on every host before any host changes" if check else "The host's network in one transaction"
    lines = ["- name: %s" % name, "  %s.%s:" % (COLLECTION, manifest().STATE_MODULE)]
    lines += ["    " + line for line in state_sections()]
    lines += ['    mode: "{{ network_mode }}"', "    " + NETNS]
    if not check:
        lines.append("    " + CONFIRM)
    if check:
        lines += ["  when: network_preflight | bool and __network_given | bool", "  check_mode: true", "  changed_when: false"]
    else:
        lines += ["  when: __network_given | bool", "  register: __network_done"]
    return lines


def list_defaults():
    return ["%s: []" % var.name for module in role_modules() for var in module.role if not _is_dict(var)]


def regions():
    """region name -> its lines, unindented."""
    return {
        "check": state_task(check=True),
        "apply": state_task(check=False),
        "persist-sections": state_sections(),
        "list-defaults": list_defaults(),
        "given": given(),
    }


def build(generated):
    return generated.rewrite_all(TASKS + (VARS, DEFAULTS), regions(), "roles/network")


def main():
    import generated  # scripts/generated.py, beside this file (sys.path[0] of a script)
    return generated.main(__doc__, "scripts/gen_role_tasks.py", lambda: build(generated))


if __name__ == "__main__":
    sys.exit(main())
