"""Run a module's EXAMPLES in order as a play would, for the example
runners of both tiers: a task's ``register`` keeps its result, and an
option whose value is exactly ``{{ name.path }}`` (the way the round-trip
examples feed ``state: gathered`` output back) gets that registered value.

Only plain dotted references to a result registered by an earlier task
of the same module are resolved: anything else is left as the text it is
(a task of another module's EXAMPLES, e.g. nl_confirm's ``ids`` from an
nl_addr task, gets the template text, as it did before).

Plain functions and data (no fixtures), like snapshots.py.
"""
import re

_REFERENCE = re.compile(r"^\{\{\s*([A-Za-z_]\w*(?:\.\w+)*)\s*\}\}$")


class Examples:
    """The registered results of the tasks run so far."""

    def __init__(self):
        self.registered = {}

    def args(self, task, module):
        """(the task's module args with references resolved, whether the
        task feeds a registered result back)."""
        args = task.get("netlink.host.%s" % module, task.get(module))
        assert isinstance(args, dict), (task.get("name"), args)
        fed_back = []
        out = dict((key, self._resolve(value, task, fed_back)) for key, value in args.items())
        return out, bool(fed_back)

    def keep(self, task, result):
        if task.get("register"):
            self.registered[task["register"]] = result

    def _resolve(self, value, task, fed_back):
        if isinstance(value, dict):
            return dict((k, self._resolve(v, task, fed_back)) for k, v in value.items())
        if isinstance(value, list):
            return [self._resolve(v, task, fed_back) for v in value]
        if not isinstance(value, str) or "{{" not in value:
            return value
        match = _REFERENCE.match(value)
        names = match.group(1).split(".") if match else [None]
        if names[0] not in self.registered:
            return value
        out = self.registered[names[0]]
        for name in names[1:]:
            out = out[name]
        fed_back.append(value)
        return out
