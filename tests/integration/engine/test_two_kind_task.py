"""The runner carries a task of two object kinds (as nl_xfrm will: SAs and
policies; here routes and rules, which the host kernel has): one plan, one
batch order, results per kind, diff and check mode per kind, masking per
kind, and an undo across both kinds when the kernel refuses one."""
import pytest

from ansible_collections.netlink.host.plugins.module_utils import contract
from ansible_collections.netlink.host.plugins.module_utils.runner import module_runner
from ansible_collections.netlink.host.plugins.module_utils.engine import plans
from ansible_collections.netlink.host.plugins.module_utils.netlink import const as C
from ansible_collections.netlink.host.plugins.module_utils.objects import registry
from ansible_collections.netlink.host.plugins.module_utils.tasks.base import Task

ROUTE = {"family": 4, "dst": "198.51.100.0/24", "table": 100, "tos": 0, "metric": 0, "type": "unicast",
         "protocol": "static", "scope": "link", "gateway": None, "dev": "lo", "src": None, "onlink": False,
         "pref": None, "src_prefix": None, "nhid": None, "nexthops": None, "metrics": None}
RULE = {"family": 4, "priority": 1000, "from": "10.7.0.0/16", "to": None, "tos": 0, "iif": None, "oif": None,
        "fwmark": None, "uidrange": None, "ipproto": None, "sport": None, "dport": None,
        "l3mdev": False, "invert": False, "action": "lookup", "table": 100, "goto": None, "protocol": None,
        "suppress_prefixlength": None, "suppress_ifgroup": None, "realms": None, "dscp": None, "flowlabel": None}


class RoutesAndRules(Task):
    """A task of two kinds: a table-100 route and the rule that uses it."""

    def result_keys(self):
        return {"route": "routes", "rule": "rules"}

    def desired(self, params):
        return [dict(ROUTE, state="present"), dict(RULE, state="present")]

    def current(self, ctx, desired, params, mode):
        out = {}
        for name, msg_type in (("route", C.RTM_GETROUTE), ("rule", C.RTM_GETRULE)):
            kind = registry.kind(name)
            for msg in ctx.socket().dump(msg_type, {"family": C.AF_INET}):
                obj = kind.from_msg(msg, ctx)
                if obj is not None:
                    out[(name,) + tuple(kind.key(obj))] = obj
        return out

    def plan(self, ctx, desired, current, params, mode):
        changes = []
        for item, name in zip(desired, ("route", "rule")):
            kind = registry.kind(name)
            have = current.get((name,) + tuple(kind.key(item)))
            changes += plans.plan_item(kind, dict((k, v) for k, v in item.items() if k in ROUTE or
                                                  k in RULE or k == "state"), have)
        for i, ch in enumerate(changes):
            ch["stage"] = i  # the route before the rule that points at its table
        return plans.order(changes)

    def results(self, ctx, desired, params, current):
        now = self.reread(ctx, desired, params)
        out = {"routes": [], "rules": []}
        for item, name, field in zip(desired, ("route", "rule"), ("routes", "rules")):
            kind = registry.kind(name)
            found = now.get((name,) + tuple(kind.key(item)))
            if found is not None:
                out[field].append(found)
        return out


class Exit(Exception):
    pass


class FakeModule:
    """What module_runner uses of AnsibleModule."""

    no_log_values = frozenset()  # no option of this task is no_log

    def __init__(self, netns, check=False, diff=False):
        self.params = {"netns": netns, "state": "present"}
        self.check_mode = check
        self._diff = diff
        self.result = None
        self.warnings = []

    def exit_json(self, **result):
        self.result = dict(result, failed=False)
        raise Exit()

    def fail_json(self, msg, **result):
        self.result = dict(result, failed=True, msg=msg)
        raise Exit()

    def warn(self, text):
        self.warnings.append(text)


def run(netns, **kw):
    module = FakeModule(netns, **kw)
    with pytest.raises(Exit):
        module_runner.run(module, RoutesAndRules())
    return module.result


def test_two_kinds_plan_apply_and_report_per_kind(netns, ip_json):
    r = run(netns, check=True, diff=True)
    assert r["changed"] is True and r["write_requests"] == 0, r
    assert [d["before_header"].split()[0] for d in r["diff"]] == ["route", "rule"]
    assert len(r["routes"]) == 1 and len(r["rules"]) == 1
    assert ip_json(netns, "rule", "show", "priority", "1000") == []

    r = run(netns)
    assert r["changed"] is True and r["write_requests"] == 2, r
    assert r["routes"][0]["dst"] == "198.51.100.0/24" and r["rules"][0]["priority"] == 1000
    assert ip_json(netns, "route", "show", "table", "100")[0]["dst"] == "198.51.100.0/24"
    assert ip_json(netns, "rule", "show", "priority", "1000")[0]["src"] == "10.7.0.0"
    assert r["commands"][0].startswith("ip -n %s route add 198.51.100.0/24" % netns), r["commands"]
    assert " rule add " in r["commands"][1]

    r = run(netns)
    assert r["changed"] is False and r["write_requests"] == 0 and r["commands"] == [], r


def test_a_refused_second_kind_undoes_the_first(netns, ip_json, monkeypatch):
    """The rule (second kind, second batch) is refused: the route (first
    kind) is taken back, and the read-back of routes confirms it."""
    kind = registry.kind("rule")
    real = type(kind).request

    def refused(self, change, ctx):
        raise contract.PlanError("refused by the test")

    monkeypatch.setattr(type(kind), "request", refused)
    r = run(netns)
    monkeypatch.setattr(type(kind), "request", real)
    assert r["failed"] is True and r["undone"] is True and r["undo_failures"] == [], r
    assert r["changed"] is False
    # the rule's request could not be built: listed after the route, marked as never sent
    assert r["commands"][0].startswith("ip -n %s route add 198.51.100.0/24" % netns), r["commands"]
    assert " rule add " in r["commands"][1] and r["commands"][1].endswith("  # not sent: refused by the test"), r["commands"]
    assert len(r["commands"]) == 2, r["commands"]
    assert ip_json(netns, "route", "show", "table", "100") == []
