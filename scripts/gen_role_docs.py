"""Generate the network role's meta/argument_specs.yml from the modules'
own argument specs, and its variables reference docs/roles/network.md from
that file, so neither can drift from the modules.

    python scripts/gen_role_docs.py           write both
    python scripts/gen_role_docs.py --check   exit 1 (with a diff) if stale

Each list variable of the role is one module's list option, item for item
(network_links is nl_link's links, ...), as objects/manifest.py lists them
(each module's ``role`` variables).  The role's argument specs check each
variable's own type (a list of dicts, a dict) before any task runs; the
items are checked by the one nl_state task, whose options are the modules'
own specs (the same types and choices), every section before its first
request.  The specs hold no sub-options on purpose: Ansible templates the
whole spec as the validation task's arguments and sends it back in its
result, on every host, and with every module's sub-options (some 900
entries) that task cost as much as the nl_state task's own start on the
controller (bench/bench_fleet.py, issue 22), to check again what nl_state
checks anyway.  Run it with the python of a test venv (scripts/test.sh's
docs tier runs --check).
"""
import importlib
import os
import re
import sys

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ROLE = os.path.join(ROOT, "roles", "network")
SPECS = os.path.join(ROLE, "meta", "argument_specs.yml")
REFERENCE = os.path.join(ROOT, "docs", "roles", "network.md")
COLLECTION = "netlink.host"

ROLE_OPTIONS = {
    "network_mode": {
        "description": [
            "V(present) adds and changes what the variables list and keeps everything else.",
            "V(replaced) makes what the role owns exactly what the variables list: the addresses of each listed "
            "device, and the routes, rules, SAs and policies of the collection's own protocol in the scopes the "
            "modules' V(replaced) state describes. Links are never deleted unless listed with C(state: absent).",
            "An item's own C(state) wins over this.",
        ],
        "type": "str", "choices": ["present", "replaced"], "default": "present",
    },
    "network_netns": {
        "description": [
            "Network namespace to work in, by name or path, as every module's C(netns) option takes it.",
            "Omit to work in the namespace the tasks run in (with the C(netlink.host.netns) connection, the "
            "namespace the host is).",
        ],
        "type": "str",
    },
    "network_confirm_timeout": {
        "description": [
            "Seconds after which every change of this run rolls itself back unless confirmed (each module's "
            "C(confirm_timeout)). The role ends by reconnecting to the host and, if it answers within half the "
            "timeout, confirming the changes with M(netlink.host.nl_confirm); a change that cut the host off "
            "is rolled back by the host itself.",
            "To change the address the controller connects through, see the asynchronous pattern in "
            "docs/commit-confirmed.md.",
        ],
        "type": "int",
    },
    "network_preflight": {
        "description": [
            "Run the role's one M(netlink.host.nl_state) task in check mode on every host before it runs for "
            "real, so that input only a module can judge (a bad address, an unknown table name, a key of the "
            "wrong length) fails while every host is still unchanged (with C(any_errors_fatal) or C(serial), "
            "no host changes while another's input is bad).",
            "Without it each host's input is still checked whole before that host changes "
            "(M(netlink.host.nl_state) validates every section before its first request); the preflight costs "
            "a second read of every host.",
        ],
        "type": "bool", "default": False,
    },
    "network_persist": {
        "description": [
            "Save what the role applies (its lists and O(network_mode), as given) with M(netlink.host.nl_persist) "
            "and install C(netlink-host) and C(netlink-host.service), which apply it again at boot. Without it, "
            "the role's changes last until the next reboot. See C(docs/persistence.md).",
        ],
        "type": "bool", "default": False,
    },
    "network_persist_dir": {
        "description": ["The state directory (M(netlink.host.nl_persist)'s C(dir)), read whole at boot."],
        "type": "path", "default": "/etc/netlink.host",
    },
    "network_persist_name": {
        "description": ["The role's state file in O(network_persist_dir), without C(.json)."],
        "type": "str", "default": "network",
    },
    "network_persist_prefix": {
        "description": ["Where C(netlink-host) is installed (C(lib/netlink-host), C(sbin/netlink-host) below it)."],
        "type": "path", "default": "/usr/local",
    },
    "network_persist_unit_dir": {
        "description": ["Where C(netlink-host.service) is installed."],
        "type": "path", "default": "/etc/systemd/system",
    },
    "network_persist_enable": {
        "description": ["Enable C(netlink-host.service) so that it runs at boot."],
        "type": "bool", "default": True,
    },
    "network_check_drift": {
        "description": [
            "Before changing anything, compare the kernel with the state saved in O(network_persist_dir) and "
            "report what changed behind Ansible's back (the task shows as changed and the next one lists it).",
        ],
        "type": "bool", "default": False,
    },
}


def module_spec(module):
    try:
        mod = importlib.import_module("ansible_collections.%s.plugins.modules.%s" % (COLLECTION, module))
    except ImportError:
        return None
    return mod.argument_spec()


def manifest():
    """objects/manifest.py, the one list of the modules and their role variables."""
    return importlib.import_module("ansible_collections.%s.plugins.module_utils.objects.manifest" % COLLECTION)


def role_variables():
    """(variable, module, option or options, description) in the order the role applies them."""
    return [(var.name, module.name, var.options, var.description)
            for module in manifest().MODULES for var in module.role]


def build_specs():
    options = {}
    dicts = []
    for var, module, option, what in role_variables():
        spec = module_spec(module)
        if spec is None:
            continue  # the module does not exist (yet): the role has no such variable
        if isinstance(option, tuple):
            # several options as one dict variable, after the lists
            # its keys named (an unknown one is refused here: the role passes only these), their contents
            # checked by nl_state
            dicts.append((var, {"description": [what], "type": "dict", "default": {},
                                "options": dict((k, {"description": "As O(%s.%s#module:%s)." % (COLLECTION, module, k),
                                                     "type": spec[k]["type"]}) for k in option)}))
            continue
        src = spec[option]
        options[var] = {
            "description": [what, "Items as O(%s.%s#module:%s) takes them (each may carry its own C(state))."
                            % (COLLECTION, module, option)],
            "type": "list", "elements": src.get("elements", "raw"), "default": [],
        }
    options.update(dicts)
    options.update(ROLE_OPTIONS)
    return {"argument_specs": {"main": {
        "short_description": "Declarative host networking: links, addresses, routes, rules and IPsec over netlink",
        "description": [
            "Applies the variables with one M(netlink.host.nl_state) task, one transaction (a refusal anywhere "
            "undoes all of it), in dependency order: the namespace's IP settings, links, addresses, neighbour "
            "entries, routes and rules, IPsec; then the removals (items with C(state: absent)) in the reverse "
            "order, so what is added exists before what it replaces goes.",
            "Generated by scripts/gen_role_docs.py from the modules' argument specs: do not edit.",
        ],
        "options": options,
    }}}


class IndentedDumper(yaml.SafeDumper):
    """Lists indented under their key, as ansible-lint's yaml rule wants."""

    def increase_indent(self, flow=False, indentless=False):
        return super(IndentedDumper, self).increase_indent(flow, False)


def specs_text():
    return "---\n# Generated by scripts/gen_role_docs.py from the modules' argument specs: do not edit.\n" + \
        yaml.dump(build_specs(), Dumper=IndentedDumper, sort_keys=False, default_flow_style=False, width=100)


def reference_text(specs):
    main = specs["argument_specs"]["main"]
    lines = ["# Role netlink.host.network: variables", "",
             "<!-- Generated by scripts/gen_role_docs.py from roles/network/meta/argument_specs.yml: do not edit. -->",
             "", main["short_description"] + ".", ""]
    lines += [markup(main["description"][0]), ""]
    lines += ["| variable | type | default | meaning |", "|---|---|---|---|"]
    for name, opt in main["options"].items():
        kind = opt["type"] + ("/%s" % opt["elements"] if opt.get("elements") else "")
        if opt.get("choices"):
            kind += ": " + ", ".join("`%s`" % c for c in opt["choices"])
        desc = opt["description"] if isinstance(opt["description"], list) else [opt["description"]]
        default = ""
        if "default" in opt:
            default = "`%s`" % yaml.safe_dump(opt["default"], default_flow_style=True).strip().rstrip(".").strip()
        lines.append("| `%s` | %s | %s | %s |" % (name, kind, default, " ".join(markup(d) for d in desc)))
    lines += ["", "Each variable's type is checked (`meta/argument_specs.yml`) before any task runs; the one "
              "nl_state task then checks every item with its module's own types and choices and judges each "
              "host's values whole before that host changes (with `network_preflight`, every host's before any "
              "host changes).", ""]
    return "\n".join(lines)


def markup(text):
    """Ansible semantic markup as Markdown code spans."""
    text = re.sub(r"O\(%s\.(\w+)#module:([^)]+)\)" % re.escape(COLLECTION), r"`\1`'s `\2`", text)
    return re.sub(r"[OVC]\(([^)]*)\)", r"`\1`", text)


def build():
    specs = specs_text()
    return {SPECS: specs, REFERENCE: reference_text(yaml.safe_load(specs))}


def main():
    import generated  # scripts/generated.py, beside this file (sys.path[0] of a script)
    return generated.main(__doc__, "scripts/gen_role_docs.py", build)


if __name__ == "__main__":
    sys.exit(main())
