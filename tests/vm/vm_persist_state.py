"""The saved state of the VM tier's reboot test, and its read-back.

Boot 1 (test_persist_vm.py) applies it with the modules and saves it with
nl_persist; boot 2 (reboot/test_after_reboot_vm.py, a fresh guest whose
kernel state starts empty) checks that netlink-host.service put it back.
Both read the kernel with ``ip -j`` (iproute2, not this library), in the
guest's own network namespace: the unit applies there, as on a real host,
and the VM is thrown away afterwards.
"""
import json
import subprocess

TABLE = 100
RULE_PRIORITY = 1000

LINKS = [
    {"name": "nlp-br0", "kind": "bridge", "state": "up", "mtu": 1400},
    {"name": "nlp-d0", "kind": "dummy", "state": "up", "master": "nlp-br0", "mtu": 1400},
    {"name": "nlp-d1", "kind": "dummy", "state": "up"},
    # A veth pair, its peer named again (issue 20, defect 2): the unit
    # must not wait for a device only it creates.
    {"name": "nlp-v0", "kind": "veth", "veth": {"peer": "nlp-v1"}, "state": "up"},
    {"name": "nlp-v1", "state": "up"},
]
# The links of LINKS that exist only once netlink-host.service made them.
CREATED = ("nlp-br0", "nlp-d0", "nlp-d1", "nlp-v0", "nlp-v1")
# Kinds of the LINKS items that name none (a veth's peer).
KIND_OF = {"nlp-v1": "veth"}
ADDRESSES = [
    {"dev": "nlp-br0", "addresses": ["192.0.2.1/24", "2001:db8:1::1/64"]},
    {"dev": "nlp-d1", "addresses": ["198.51.100.1/24"]},
]
ROUTES = [
    {"dst": "203.0.113.0/24", "gateway": "192.0.2.254", "dev": "nlp-br0"},
    {"dst": "default", "gateway": "198.51.100.254", "dev": "nlp-d1", "table": TABLE},
]
RULES = [
    {"priority": RULE_PRIORITY, "from": "192.0.2.0/24", "table": TABLE},
]


def ip_json(*args):
    proc = subprocess.run(["ip", "-j"] + list(args), check=False, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, universal_newlines=True)
    if proc.returncode != 0:
        # a routing table nothing was put in yet does not exist: no routes
        if "FIB table does not exist" in proc.stderr:
            return []
        raise AssertionError("ip -j %s: %s" % (" ".join(args), proc.stderr))
    out = proc.stdout.strip()
    return json.loads(out) if out else []


def missing():
    """What of the state the kernel lacks, one line each ([] when all is there)."""
    out = []
    links = {link["ifname"]: link for link in ip_json("-d", "link", "show")}
    for want in LINKS:
        got = links.get(want["name"])
        if got is None:
            out.append("link %s missing" % want["name"])
            continue
        kind = (got.get("linkinfo") or {}).get("info_kind")
        want_kind = want.get("kind") or KIND_OF[want["name"]]
        if kind != want_kind:
            out.append("link %s: kind %s, want %s" % (want["name"], kind, want_kind))
        if "UP" not in got.get("flags", []):
            out.append("link %s: not up (flags %s)" % (want["name"], got.get("flags")))
        if "mtu" in want and got.get("mtu") != want["mtu"]:
            out.append("link %s: mtu %s, want %s" % (want["name"], got.get("mtu"), want["mtu"]))
        if got.get("master") != want.get("master"):
            out.append("link %s: master %s, want %s" % (want["name"], got.get("master"), want.get("master")))
    for dev in ADDRESSES:
        have = set()
        if dev["dev"] in links:
            for entry in ip_json("addr", "show", "dev", dev["dev"]):
                have.update("%s/%d" % (a["local"], a["prefixlen"]) for a in entry.get("addr_info", []))
        for addr in dev["addresses"]:
            if addr not in have:
                out.append("address %s on %s missing (have %s)" % (addr, dev["dev"], sorted(have)))
    for route in ROUTES:
        table = str(route.get("table", "main"))
        got = [r for r in ip_json("-4", "route", "show", "table", table)
               if r.get("dst") == route["dst"] and r.get("gateway") == route["gateway"]
               and r.get("dev") == route["dev"]]
        if not got:
            out.append("route %s via %s dev %s table %s missing" % (route["dst"], route["gateway"], route["dev"], table))
    for rule in RULES:
        src, srclen = rule["from"].split("/")
        got = [r for r in ip_json("-4", "rule", "show")
               if r.get("priority") == rule["priority"] and r.get("src") == src
               and r.get("srclen") == int(srclen) and r.get("table") == str(rule["table"])]
        if not got:
            out.append("rule %s missing" % rule)
    return out
