"""Whole-namespace snapshots for tests that must prove a failed task left
everything as it found it: ``ip -d link`` (ifindex included), addresses,
routes of every table and both families, and rules, without what moves by
itself (counters, ticking bridge timers, lifetimes counting down).

Plain functions (no fixtures), so the host-kernel tier and the VM tier
share them.
"""
import json
import subprocess
import time

IP = "ip"


def snapshot(ns):
    """ip -d link (ifindex included), addr, route (every table) and rule,
    without counters and ticking timers."""
    state = {}
    for name, args in (("link", ["-d", "link", "show"]), ("addr", ["addr", "show"]),
                       ("route4", ["-4", "route", "show", "table", "all"]),
                       ("route6", ["-6", "route", "show", "table", "all"]), ("rule", ["rule", "show"])):
        data = ip_json(ns, *args)
        for entry in data:
            for volatile in ("stats", "stats64", "carrier_changes", "carrier_up_count", "carrier_down_count",
                             "operstate", "linkmode"):
                entry.pop(volatile, None)
            for block in ("info_data", "info_slave_data"):
                info = (entry.get("linkinfo") or {}).get(block) or {}
                for timer in [k for k in info if k.endswith("_timer")]:
                    info.pop(timer)
            for a in entry.get("addr_info", []):
                # lifetimes count down; an IPv6 address stops being
                # tentative when DAD ends, whatever the test did
                for k in ("valid_life_time", "preferred_life_time", "tentative"):
                    a.pop(k, None)
        state[name] = sorted(data, key=repr)
    return state


def differences(a, b, path=""):
    """Where two snapshots differ, as readable lines."""
    if isinstance(a, dict) and isinstance(b, dict):
        out = []
        for k in sorted(set(a) | set(b), key=str):
            if a.get(k) != b.get(k):
                out += differences(a.get(k), b.get(k), "%s.%s" % (path, k))
        return out
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        out = []
        for i, (x, y) in enumerate(zip(a, b)):
            out += differences(x, y, "%s[%d]" % (path, i))
        return out
    return ["%s: %r != %r" % (path, a, b)] if a != b else []


def assert_same(before, after):
    assert before == after, "\n".join(differences(before, after))


def ip_json(ns, *args):
    """``ip -n NS -j ARGS`` parsed; [] for empty output."""
    out = subprocess.run([IP, "-n", ns, "-j"] + list(args), check=True, stdout=subprocess.PIPE,
                         universal_newlines=True).stdout.strip()
    return json.loads(out) if out else []


def tentative(ns):
    """Addresses still doing duplicate address detection (their local
    routes appear when it ends); on a link without carrier DAD waits for
    one, so those do not count."""
    return [a.get("local") for link in ip_json(ns, "addr", "show") if "LOWER_UP" in link.get("flags", [])
            for a in link.get("addr_info", []) if a.get("tentative")]


def settle(ns, take=None):
    """Wait until no address is tentative and three snapshots 0.25 s apart
    agree (addrconf and DAD after 'up' take a while, longer on a loaded
    machine); ``take(ns)`` takes them (default: ``snapshot``)."""
    take = take or snapshot
    last, same = None, 0
    for _attempt in range(60):
        snap = take(ns)
        same = same + 1 if snap == last and not tentative(ns) else 0
        if same == 2:
            return
        last = snap
        time.sleep(0.25)
