"""Plans are self-sufficient plain data: another process rebuilds every
request byte for byte from a plan's JSON alone.

Commit-confirmed's watchdog and the boot-time applier will apply plans
written by a module that has exited.  So for every object kind, changes
built from objects read out of a real namespace (create, update, delete,
and their inverses) are turned into requests here and, from the JSON of
the plan, in a fresh Python process that shares nothing with this one but
the namespace; the encoded messages must be identical.
"""
import copy
import json
import os
import subprocess
import sys

import pytest

from ansible_collections.netlink.host.plugins.module_utils import contract
from ansible_collections.netlink.host.plugins.module_utils.engine import applier
from ansible_collections.netlink.host.plugins.module_utils.engine import plans
from ansible_collections.netlink.host.plugins.module_utils.engine.context import KernelContext
from ansible_collections.netlink.host.plugins.module_utils.netlink import const as C
from ansible_collections.netlink.host.plugins.module_utils.netlink.socket import encode_message
from ansible_collections.netlink.host.plugins.module_utils.objects import manifest, registry
from ansible_collections.netlink.host.tests.unit.objects.xfrm_builders import policy, sa, sel, tmpl

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
COLLECTIONS = os.path.join(ROOT, ".build", "collections")

# What the fresh process runs: plan JSON on stdin, one hex line a request.
REPLAY = r"""
import json, sys
from ansible_collections.netlink.host.plugins.module_utils import contract
from ansible_collections.netlink.host.plugins.module_utils.engine import plans
from ansible_collections.netlink.host.plugins.module_utils.engine.context import KernelContext
from ansible_collections.netlink.host.plugins.module_utils.netlink.socket import encode_message
from ansible_collections.netlink.host.plugins.module_utils.objects import registry
doc = json.load(sys.stdin)
with KernelContext(doc["netns"]) as ctx:
    for ch in plans.load_plan(doc):
        kind = registry.kind(ch["kind"])
        req = kind.request(ch, ctx)
        sock = ctx.socket(kind.protocol())
        if hasattr(sock, "schemas"):
            print(encode_message(sock.schemas, req, 1).hex())
        else:  # a /proc/sys write (netlink/procsys.py)
            print(("%s=%d" % (req.path, req.value)).encode().hex())
"""

# nl_fdb's entries, for ``bridge -batch``
FDB_SETUP = """fdb append 00:00:00:00:00:00 dev vx0 dst 192.0.2.2
fdb add 02:00:00:00:00:0c dev vx0 dst 192.0.2.3 vni 7 static
fdb add 02:00:00:00:00:0d dev v0 master static sticky
"""

SETUP = """link add br0 type bridge
link set br0 alias uplink up
link add v0 address 02:00:00:00:00:10 type veth peer name v1
link set v0 master br0 up
link add mv0 link v1 type macvlan mode bridge
addr add 192.0.2.1/24 dev br0
addr add 2001:db8::1/64 dev br0
addr add 2001:db8:7::1/64 dev br0 noprefixroute
route add 198.51.100.0/24 via 192.0.2.254 dev br0 proto static metric 10
route add 10.1.0.0/16 dev br0 table 100 proto bird
route add 2001:db8:5::/48 via 2001:db8::fe dev br0
rule add from 10.8.0.0/16 fwmark 0x10/0xff table 100 priority 100
rule add to 10.9.0.0/16 iif br0 lookup main priority 200
neigh add 192.0.2.9 lladdr 02:00:00:00:00:09 dev br0 nud permanent protocol static
neigh add 2001:db8::9 lladdr 02:00:00:00:00:09 dev br0 nud noarp router
neigh add proxy 2001:db8::10 dev br0
link add vx0 type vxlan id 42 dstport 4789 local 192.0.2.1 nolearning
link set vx0 master br0 up
nexthop add id 1 via 192.0.2.254 fdb proto static
nexthop add id 2 blackhole
nexthop add id 10 group 2 type resilient buckets 8 idle_timer 60
xfrm policy add src 10.0.0.1/32 dst 10.0.0.2/32 dir out tmpl src 10.0.0.1 dst 10.0.0.2 proto esp mode transport
"""


def read_objects(ctx):
    """Objects of every kind, read from the namespace as the tasks read
    them."""
    sock = ctx.socket()
    links = [registry.kind("link").from_msg(m, ctx) for m in ctx.links().values()]
    names = dict((i, m.attrs.get("ifname")) for i, m in ctx.links().items())
    with open("/proc/uptime") as f:
        uptime = float(f.read().split()[0])
    addresses = []
    for m in sock.dump(C.RTM_GETADDR, {"family": C.AF_UNSPEC}):
        obj = registry.kind("address").from_msg(m, names[m.header["index"]], uptime)
        if obj is not None and obj["dev"] == "br0":
            addresses.append(obj)
    routes = [registry.kind("route").from_msg(m, ctx) for fam in (C.AF_INET, C.AF_INET6)
              for m in sock.dump(C.RTM_GETROUTE, {"family": fam})]
    routes = [r for r in routes if r and r.get("protocol") != "kernel"]
    rules = [registry.kind("rule").from_msg(m, ctx) for fam in (C.AF_INET, C.AF_INET6)
             for m in sock.dump(C.RTM_GETRULE, {"family": fam})]
    policies = [registry.kind("xfrm_policy").from_msg(m, ctx)
                for m in ctx.socket(C.NETLINK_XFRM).dump(C.XFRM_MSG_GETPOLICY)]
    neighbours = [n for proxy in (False, True)
                  for n in registry.kind("neigh").dump_dev(ctx, "br0", ctx.ifindex("br0"), proxy)]
    fdb = [e for dev in ("vx0", "v0") for e in registry.kind("fdb").dump_dev(ctx, dev, ctx.ifindex(dev), None)
           if e["mac"].startswith(("00:", "02:00"))]
    return {"link": [l for l in links if l["name"] in ("br0", "v0", "v1", "mv0")], "fdb": fdb,
            "address": addresses, "route": routes, "rule": rules, "xfrm_policy": policies,
            "neigh": [n for n in neighbours if n["nud"] in ("permanent", "noarp", None)],
            "nexthop": registry.kind("nexthop").dump(ctx)}


def changes_for(name, objs):
    """create, delete and (where the kind has in-place updates) update of
    each object, and the undo of each."""
    kind = registry.kind(name)
    out = []
    for obj in objs:
        out.append(contract.change(kind, contract.CREATE, None, obj))
        out.append(contract.change(kind, contract.DELETE, obj, None))
        changed = copy.deepcopy(obj)
        if name == "link":
            changed.update(mtu=1400, alias="replayed")
            changed["kernel"] = dict(changed["kernel"], addr_gen_mode=1)
        elif name == "address":
            changed.update(metric=77)
        elif name == "route":
            changed.update(metric=obj.get("metric"), src=None, protocol="static")
        elif name == "neigh":
            changed.update(router=not obj["router"], protocol="bird")
        elif name == "fdb":
            changed.update(entry_state="dynamic" if obj["entry_state"] != "dynamic" else "static")
        elif name == "nexthop":
            changed.update(protocol="zebra")
        else:
            changed = None
        if changed is not None:
            out.append(contract.change(kind, contract.UPDATE, obj, changed))
    return out + applier.undo_plan(out)


def test_every_kind_replays_byte_for_byte_in_a_fresh_process(netns, ip_batch):
    ip_batch(netns, SETUP.splitlines())
    subprocess.run(["bridge", "-n", netns, "-batch", "-"], input=FDB_SETUP, universal_newlines=True, check=True, timeout=30)
    with KernelContext(netns) as ctx:
        objs = read_objects(ctx)
        for name in ("link", "address", "route", "rule", "xfrm_policy", "neigh", "fdb", "nexthop"):
            assert objs[name], "the set-up made no %s to replay" % name
        plan = []
        for name, found in sorted(objs.items()):
            plan += changes_for(name, found)
        # SAs cannot be made on the host kernel (no ESP), but their
        # requests can be built: one with keys, an ESN replay window and
        # a selector.
        aead = {"name": "rfc4106(gcm(aes))", "key": "0x" + "11" * 20, "icv_len": 128}
        plan += changes_for("xfrm_state", [sa(aead=aead, replay_window=64),
                                           sa(spi=0xC0DE0002, selector=sel("10.0.0.0/24", "10.0.1.0/24"))])
        plan += changes_for("xfrm_policy", [policy(templates=[tmpl("10.0.0.1", "10.0.0.2", reqid=7)])])
        plan += changes_for("xfrm_default", [{"in": "block", "fwd": "allow", "out": "allow"}])
        here = []
        for ch in plan:
            kind = registry.kind(ch["kind"])
            req = kind.request(ch, ctx)
            sock = ctx.socket(kind.protocol())
            if hasattr(sock, "schemas"):
                here.append(encode_message(sock.schemas, req, 1).hex())
            else:  # a /proc/sys write: its file and value are the request
                here.append(("%s=%d" % (req.path, req.value)).encode().hex())
    doc = json.loads(json.dumps(plans.plan_document(plan, netns)))
    env = dict(os.environ, PYTHONPATH=COLLECTIONS)
    proc = subprocess.run([sys.executable, "-c", REPLAY], input=json.dumps(doc), stdout=subprocess.PIPE, check=False,
                          stderr=subprocess.PIPE, universal_newlines=True, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    there = proc.stdout.split()
    assert len(there) == len(here)
    kinds = set(ch["kind"] for ch in plan)
    assert kinds == set(manifest.kind_names()), kinds
    for ch, a, b in zip(plan, here, there):
        assert a == b, "%s %s %s: in-process and replayed requests differ" % (ch["kind"], ch["op"], ch["key"])


@pytest.mark.parametrize("version", [0, plans.PLAN_VERSION + 1, "1"])
def test_a_plan_of_another_format_is_refused(version):
    with pytest.raises(ValueError):
        plans.load_plan({"version": version, "netns": None, "changes": []})
