"""Dumps survive churn: while another process keeps adding and deleting
routes in the namespace, every dump is complete and consistent (no
duplicates, every route of a stable set present), thanks to the restart on
NLM_F_DUMP_INTR."""
import collections
import ipaddress
import os
import subprocess
import tempfile
import time

from ansible_collections.netlink.host.plugins.module_utils.netlink import const as C
from ansible_collections.netlink.host.plugins.module_utils.netlink import rtnl
from ansible_collections.netlink.host.plugins.module_utils.netlink.socket import NetlinkSocket

STABLE_V4 = ["route add 10.%d.%d.0/24 via 192.0.2.254 table 100 proto static" % (i // 250, i % 250)
             for i in range(1500)]
STABLE_V6 = ["route add 2001:db8:%x::/48 via 2001:db8::fe table 100" % i for i in range(300)]
STABLE_ADDR = ["addr add 198.18.%d.%d/32 dev br0" % (i // 250, i % 250 + 1) for i in range(400)]
STABLE_LINKS = ["link add brs%d type bridge" % i for i in range(60)]
CHURN_UP = ["link add brc%d type bridge" % i for i in range(30)] + ["link set brc0 up"]
CHURN_UP += ["addr add 198.19.%d.%d/32 dev brc0" % (i // 200, i % 200 + 1) for i in range(150)]
CHURN_DOWN = ["link del brc%d" % i for i in range(30)]
CHURN = (["route add 172.16.%d.%d/32 via 192.0.2.254 table %d" % (i // 200, i % 200, 100 + i % 3)
          for i in range(300)]
         + ["route add 2001:db8:ffff:%x::/64 via 2001:db8::fe table 100" % i for i in range(100)])
DUMPS = 21


def _key(m):
    """(dst, table, metric) and what else makes a route distinct: IPv6 keeps
    one route per device for the same prefix and metric (fe80::/64 on
    every link), so the device is part of the key."""
    return (m.header["family"], m.attrs.get("dst"), m.header["dst_len"], m.header["tos"],
            m.attrs.get("table", m.header["table"]), m.attrs.get("priority", 0), m.header["type"],
            m.attrs.get("oif"))


def test_dumps_under_churn_are_complete_and_consistent(netns, ip_batch):
    ip_batch(netns, ["link add br0 type bridge", "link set br0 up",
                     "addr add 192.0.2.1/24 dev br0", "addr add 2001:db8::1/64 dev br0 nodad"])
    ip_batch(netns, STABLE_V4 + STABLE_V6 + STABLE_ADDR + STABLE_LINKS)
    with tempfile.TemporaryDirectory() as tmp:
        add = os.path.join(tmp, "add")
        delete = os.path.join(tmp, "del")
        with open(add, "w") as fh:
            fh.write("\n".join(CHURN + CHURN_UP) + "\n")
        with open(delete, "w") as fh:
            fh.write("\n".join([c.replace("route add", "route del", 1) for c in CHURN] + CHURN_DOWN) + "\n")
        counter = os.path.join(tmp, "rounds")
        script = ('n=0; while :; do ip -n %s -force -batch %s >/dev/null 2>&1; '
                  'ip -n %s -force -batch %s >/dev/null 2>&1; n=$((n+1)); echo $n > %s; sleep 0.02; done'
                  % (netns, add, netns, delete, counter))
        churn = subprocess.Popen(["bash", "-c", script], start_new_session=True)
        try:
            # Let the churn run one whole round first (on a loaded machine
            # that takes longer than the dumps), bounded.
            started = time.monotonic() + 20
            while not os.path.exists(counter) and time.monotonic() < started:
                time.sleep(0.05)
            assert os.path.exists(counter), "the churn never completed a round"
            with NetlinkSocket(C.NETLINK_ROUTE, rtnl.SCHEMAS, netns=netns) as nl:
                attempts = collections.Counter()
                once = nl._dump_once

                def counting(req, factory, raw=False):
                    result, interrupted = once(req, factory, raw)
                    attempts["interrupted" if interrupted else "clean"] += 1
                    return result, interrupted

                nl._dump_once = counting  # observe restarts, change nothing
                stable = ({("v4", str(ipaddress.ip_network(c.split()[2]))) for c in STABLE_V4}
                          | {("v6", str(ipaddress.ip_network(c.split()[2]))) for c in STABLE_V6})
                sizes = []
                stable_links = {c.split()[2] for c in STABLE_LINKS}
                stable_addrs = {c.split()[2].split("/")[0] for c in STABLE_ADDR}
                deadline = time.monotonic() + 25
                # At least DUMPS rounds, and on until a dump was seen
                # interrupted (whether one is depends on timing and on how
                # many datagrams a dump takes), within the deadline.
                i = -1
                while True:
                    i += 1
                    if i >= DUMPS and attempts["interrupted"]:
                        break
                    assert time.monotonic() < deadline, (
                        "%d dumps in 25 s under churn, %r" % (i, dict(attempts)))
                    fam = (C.AF_INET, C.AF_INET6, C.AF_UNSPEC)[i % 3]
                    msgs = nl.dump(C.RTM_GETROUTE, {"family": fam})
                    keys = [_key(m) for m in msgs]
                    dup = [k for k, n in collections.Counter(keys).items() if n > 1]
                    assert not dup, "dump %d has duplicates: %r" % (i, dup[:5])
                    seen = set()
                    for m in msgs:
                        if m.attrs.get("table") == 100 and "dst" in m.attrs:
                            v = "v4" if m.header["family"] == C.AF_INET else "v6"
                            seen.add((v, "%s/%d" % (m.attrs["dst"], m.header["dst_len"])))
                    want = {s for s in stable if fam == C.AF_UNSPEC
                            or s[0] == ("v4" if fam == C.AF_INET else "v6")}
                    missing = want - seen
                    assert not missing, "dump %d lost stable routes: %r" % (i, sorted(missing)[:5])
                    sizes.append(len(msgs))
                    # links and addresses: the kernel flags these dumps
                    # NLM_F_DUMP_INTR when they change under it
                    links = nl.dump(C.RTM_GETLINK, {"family": 0})
                    names = [m.attrs["ifname"] for m in links]
                    assert len(names) == len(set(names)), "dump %d: duplicate links" % i
                    assert stable_links <= set(names), "dump %d lost links" % i
                    addrs = nl.dump(C.RTM_GETADDR, {"family": C.AF_INET})
                    akeys = [(m.header["index"], m.attrs["local"]) for m in addrs]
                    assert len(akeys) == len(set(akeys)), "dump %d: duplicate addresses" % i
                    assert stable_addrs <= {k[1] for k in akeys}, "dump %d lost addresses" % i
            assert churn.poll() is None, "the churn process died"
        finally:
            os.killpg(churn.pid, 15)
            churn.wait(timeout=10)
        with open(counter) as fh:
            rounds = int(fh.read().strip() or 0)
    # the churn really ran alongside the dumps (varying dump sizes show it)
    assert rounds >= 1
    # and the restart path was taken (link/address dumps get NLM_F_DUMP_INTR)
    assert attempts["interrupted"] >= 1, attempts
    print("churn rounds %d, dump attempts %r, sizes %d..%d"
          % (rounds, dict(attempts), min(sizes), max(sizes)))
