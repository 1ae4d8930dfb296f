"""Every module returns what its RETURN documentation says, no more, no less,
in check mode and in a real run.

Generic over plugins/modules: each module's own EXAMPLES are run, in order,
in a throwaway namespace that already holds the devices the guides use
(bridge br0, veth pair veth0/veth1), each in check mode first (which must
leave the namespace exactly as it was and send no write request) and then
for real, with diff on and once more without; plus O(state=gathered) when
the module has it.  For every result:

- each key it carries is documented in RETURN (or one of Ansible's own),
  with the documented type;
- on success, each documented key is there exactly when its ``returned:``
  condition holds.  ``returned:`` is read with the small grammar of
  condition() below (``always``, ``unless state is gathered``, ``when
  O(defaults) is given and something changed``, ...); a phrase it does not
  know fails the test, so a new one has to say here when it holds.

A module whose examples never succeed here fails the test: the presence
rules would otherwise check nothing.
"""
import os
import re

import pytest
import yaml

from ansible_collections.netlink.host.tests.integration.modules.conftest import run_module
from ansible_collections.netlink.host.tests.integration.conftest import run_ip
from ansible_collections.netlink.host.tests.integration.example_tasks import Examples
from ansible_collections.netlink.host.tests.integration.snapshots import assert_same, settle, snapshot

pytestmark = pytest.mark.root

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
MODULES = sorted(f[:-3] for f in os.listdir(os.path.join(ROOT, "plugins", "modules"))
                 if f.endswith(".py") and not f.startswith("_"))

# What every Ansible module may return without documenting it.
STANDARD = {"changed", "failed", "msg", "warnings", "deprecations", "invocation", "exception", "skipped"}


class Run:
    """One module run: what it was asked, and what it returned."""

    def __init__(self, args, check, diff, result, default_state=None):
        self.args = args
        self.state = args.get("state", default_state)
        self.check = check
        self.diff = diff
        self.result = result
        self.failed = bool(result.get("failed"))
        self.changed = bool(result.get("changed"))


# The clauses a `returned:` phrase is made of ("when A and B", "unless A"),
# each -> when it holds in a successful run.
CLAUSES = [
    (r"always|success", lambda m, run: True),
    (r"state is (\w+)", lambda m, run: run.state == m.group(1)),
    (r"state is not (\w+)", lambda m, run: run.state != m.group(1)),
    (r"(?:O\()?(\w+)\)? is (?:given|set)", lambda m, run: run.args.get(m.group(1)) not in (None, "", [], {})),
    (r"(\w+) is not false", lambda m, run: run.args.get(m.group(1)) is not False),
    (r"(?:O\()?(\w+)\)? is not (?:given|set)", lambda m, run: run.args.get(m.group(1)) in (None, "", [], {})),
    (r"never", lambda m, run: False),
    (r"diff mode is on", lambda m, run: run.diff),
    (r"something changed", lambda m, run: run.changed),
    (r"in check mode", lambda m, run: run.check),
    (r"not in check mode", lambda m, run: not run.check),
    # only a failed run has these (fault injection tests cover their content)
    (r"the kernel refused a request", lambda m, run: False),
]


def condition(phrase):
    """``returned:`` text -> predicate(run); None when not understood."""
    text = phrase.strip().rstrip(".")
    negate = text.startswith("unless ")
    text = re.sub(r"^(when|unless) ", "", text)
    preds = []
    for clause in re.split(r",? and |, ", text):
        for pattern, pred in CLAUSES:
            m = re.fullmatch(pattern, clause.strip())
            if m:
                preds.append((m, pred))
                break
        else:
            return None

    def holds(run):
        return all(pred(m, run) for m, pred in preds) != negate
    return holds


TYPES = {"list": list, "dict": dict, "str": str, "bool": bool, "int": int, "float": (int, float), "raw": object}


def docs(name):
    mod = __import__("ansible_collections.netlink.host.plugins.modules.%s" % name, fromlist=["x"])
    return (yaml.safe_load(mod.DOCUMENTATION), yaml.safe_load(mod.RETURN) or {}, yaml.safe_load(mod.EXAMPLES) or [])


def type_ok(value, spec):
    want = spec.get("type", "raw")
    if want == "int" and isinstance(value, bool):
        return False
    if not isinstance(value, TYPES[want]):
        return False
    if want == "list" and spec.get("elements"):
        return all(type_ok(v, {"type": spec["elements"]}) for v in value)
    return True


def check_result(name, ret, run, where):
    """Assert the rules of the module docstring for one run."""
    problems = []
    for key, value in run.result.items():
        if key in STANDARD:
            continue
        if key not in ret:
            problems.append("returns %r, which RETURN does not document" % key)
        elif not type_ok(value, ret[key]):
            problems.append("%s is %r, documented as type %s" % (key, value, ret[key].get("type")))
    for key, spec in ret.items():
        phrase = spec.get("returned", "")
        when = condition(phrase)
        assert when is not None, (
            "%s: RETURN %s: returned: %r is not a condition this test reads: write it with the clauses of "
            "CLAUSES (joined by 'and', after 'when' or 'unless'), or add the clause there" % (name, key, phrase))
        if run.failed:
            continue
        want = when(run)
        if want and key not in run.result:
            problems.append("%s is documented as returned %r but is missing" % (key, phrase))
        if not want and key in run.result:
            problems.append("%s is documented as returned %r but is there" % (key, phrase))
    assert not problems, "%s, %s (check=%s, diff=%s):\n  %s\nresult: %r" % (
        name, where, run.check, run.diff, "\n  ".join(problems), run.result)


def cases(name, doc, examples):
    """(where, task) to run: the module's EXAMPLES, then state=gathered."""
    out = []
    for task in examples:
        args = task.get("netlink.host.%s" % name, task.get(name))
        if isinstance(args, dict):
            out.append(("example %r" % task.get("name"), task))
    if "gathered" in (doc.get("options", {}).get("state", {}).get("choices") or []):
        out.append(("state=gathered", {name: {"state": "gathered"}}))
    return out


@pytest.mark.parametrize("name", MODULES)
def test_results_match_return_docs(name, netns, netns_factory, tmp_path):
    doc, ret, examples = docs(name)
    default_state = doc.get("options", {}).get("state", {}).get("default")
    run_ip(netns, "link", "add", "br0", "type", "bridge")
    run_ip(netns, "link", "add", "veth0", "type", "veth", "peer", "name", "veth1")
    for dev in ("br0", "veth0", "veth1"):
        run_ip(netns, "link", "set", dev, "up")
    settle(netns)
    succeeded = {"check": 0, "apply": 0}
    registered = Examples()
    for where, task in cases(name, doc, examples):
        args = registered.args(task, name)[0]
        args["netns"] = netns  # never the machine's own namespace, whatever the example says
        if "gathered_file" in args:
            args["gathered_file"] = str(tmp_path / "gathered.json")  # nor the machine's own files
        if "to_netns" in args:
            args["to_netns"] = netns_factory()  # a link moved away goes to a throwaway namespace too
        before = snapshot(netns)
        r = run_module(name, args, check=True, diff=True)
        check_result(name, ret, Run(args, True, True, r, default_state), where)
        assert_same(before, snapshot(netns))
        if not r.get("failed"):
            succeeded["check"] += 1
            if "write_requests" in r:
                assert r["write_requests"] == 0, (where, r)
        r = run_module(name, args, diff=True)
        registered.keep(task, r)
        check_result(name, ret, Run(args, False, True, r, default_state), where)
        if r.get("failed"):
            continue  # the host kernel lacks what it needs (tests/vm runs it)
        succeeded["apply"] += 1
        settle(netns)
        again = run_module(name, args)
        check_result(name, ret, Run(args, False, False, again, default_state), where + ", rerun")
    assert succeeded["check"] and succeeded["apply"], (
        "%s: no example ran successfully here (%r), so its results were never checked" % (name, succeeded))
