"""A task instance keeps nothing between calls (tasks/base.py): what a run
works out rides on its desired and current objects and on the run's
RunMode, so one instance may run any number of times with any params.

Two checks, for every module's task (objects/manifest.py): read with ast,
no method of a Task class but ``__init__`` sets or mutates an attribute of
``self``; and run, one instance's desired() with one set of params, then
another, is what two fresh instances make, scope included, and leaves the
instance as it was made."""
import ast
import importlib
import os

import pytest

from ansible_collections.netlink.host.plugins.module_utils import contract
from ansible_collections.netlink.host.plugins.module_utils.objects.manifest import MODULES
from ansible_collections.netlink.host.plugins.module_utils.tasks import argspec

UTILS = "ansible_collections.netlink.host.plugins.module_utils"
TASKS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "plugins", "module_utils", "tasks")
MUTATORS = ("append", "extend", "insert", "add", "update", "discard", "remove", "pop", "clear", "setdefault")

# Two different params per module (as the module's argspec normalises them).
PARAMS = {
    "nl_netconf": ({"all": {"ipv4": {"forwarding": True}}}, {"default": {"ipv6": {"forwarding": False}}}),
    # a MAC given: a bridge made without one gets a random one
    "nl_link": ({"links": [{"name": "d0", "kind": "bridge", "address": "02:00:00:00:00:01"}]},
                {"name": "d1", "kind": "bridge", "state": "up", "address": "02:00:00:00:00:02"}),
    "nl_addr": ({"devices": [{"dev": "b0", "addresses": ["192.0.2.1/24"]},
                             {"dev": "b1", "addresses": ["192.0.2.9/24"], "state": "replaced"}]},
                {"dev": "lo", "address": "198.51.100.1/32"}),
    "nl_route": ({"routes": [{"dst": "198.51.100.0/24", "dev": "lo", "table": 100}], "state": "replaced"},
                 {"dst": "203.0.113.0/24", "dev": "lo"}),
    "nl_rule": ({"rules": [{"priority": 1000, "table": 100}], "state": "replaced", "priorities": ["2000-2100"]},
                {"family": "inet6", "priority": 1001, "table": 101}),
    "nl_neigh": ({"neighbours": [{"dev": "b0", "dst": "192.0.2.9", "lladdr": "02:00:00:00:00:09"}], "state": "replaced",
                  "owned": "permanent"},
                 {"dev": "b1", "dst": "2001:db8::10", "proxy": True}),
    "nl_fdb": ({"entries": [{"dev": "b0", "mac": "02:00:00:00:00:0a"}], "state": "replaced"},
               {"dev": "b1", "mac": "02:00:00:00:00:09"}),
    "nl_nexthop": ({"nexthops": [{"id": 1, "dev": "lo"}, {"id": 2, "dev": "lo"}, {"id": 10, "group": [1, {"id": 2, "weight": 3}]}],
                    "state": "replaced"},
                   {"id": 3, "blackhole": True, "family": "inet6"}),
    "nl_xfrm": ({"policies": [{"selector": {"src": "10.0.0.1/32", "dst": "10.0.0.2/32"}, "dir": "out"}]},
                {"policies": [{"selector": {"src": "10.0.9.1/32"}, "dir": "in"}], "state": "absent"}),
}


def _load(dotted):
    mod, _sep, attr = dotted.partition(":")
    module = importlib.import_module("%s.%s" % (UTILS, mod))
    return getattr(module, attr) if attr else module


def _params(entry, data):
    return argspec.normalize(_load(entry.spec).argument_spec(), dict(data))


def test_every_module_has_params_here():
    assert sorted(PARAMS) == sorted(m.name for m in MODULES)


def _self_writes(func):
    """Lines where ``func`` sets, deletes or mutates ``self.<attr>``."""
    out = []
    for node in ast.walk(func):
        targets = []
        if isinstance(node, (ast.Assign, ast.Delete)):
            targets = node.targets
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
            targets = [node.target]
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in MUTATORS:
            targets = [node.func.value]
        for t in targets:
            while isinstance(t, ast.Subscript):
                t = t.value
            for leaf in (t.elts if isinstance(t, ast.Tuple) else [t]):
                if isinstance(leaf, ast.Attribute) and isinstance(leaf.value, ast.Name) and leaf.value.id == "self":
                    out.append(node.lineno)
    return out


def _task_classes():
    """(file, class node) of every class of tasks/ that derives from Task."""
    for name in sorted(os.listdir(TASKS)):
        if not name.endswith(".py"):
            continue
        with open(os.path.join(TASKS, name)) as f:
            tree = ast.parse(f.read(), name)
        for node in tree.body:
            bases = [getattr(b, "id", getattr(b, "attr", None)) for b in getattr(node, "bases", ())]
            if isinstance(node, ast.ClassDef) and (node.name == "Task" or "Task" in bases):
                yield name, node


def test_no_task_method_but_init_writes_to_self():
    found = list(_task_classes())
    assert len(found) >= len(MODULES) + 1, found  # every module's, and Task itself
    writes = []
    for name, cls in found:
        for func in cls.body:
            if isinstance(func, ast.FunctionDef) and func.name != "__init__":
                writes += ["%s:%d %s.%s" % (name, line, cls.name, func.name) for line in _self_writes(func)]
    assert writes == []


@pytest.mark.parametrize("entry", MODULES, ids=lambda m: m.name)
def test_one_instance_twice_is_two_fresh_ones(entry):
    cls = _load(entry.task)
    one, two = (_params(entry, p) for p in PARAMS[entry.name])
    task = cls()
    made = dict(vars(task))
    first, second = task.desired(one), task.desired(two)
    assert vars(task) == made
    for got, params in ((first, one), (second, two)):
        fresh = cls().desired(params)
        assert got == fresh and type(got) is type(fresh)
        assert getattr(got, "scope", None) == getattr(fresh, "scope", None)
    assert first != second


def test_scope_travels_with_desired():
    by_name = dict((m.name, m) for m in MODULES)
    route = _load(by_name["nl_route"].task)().desired(_params(by_name["nl_route"], PARAMS["nl_route"][0]))
    assert isinstance(route, contract.Desired) and route.scope == [(4, 100), (6, 100)]
    rule = _load(by_name["nl_rule"].task)().desired(_params(by_name["nl_rule"], PARAMS["nl_rule"][0]))
    assert rule.scope == {"families": (4, 6), "replaced": ("static", {100}, [(2000, 2100)])}
    addr = _load(by_name["nl_addr"].task)().desired(_params(by_name["nl_addr"], PARAMS["nl_addr"][0]))
    assert addr.scope == [("b0", "present"), ("b1", "replaced")]
