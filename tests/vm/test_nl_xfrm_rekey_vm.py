"""Rekeying an IPsec pair between two gateways (issue 20, docs item):
docs/xfrm.md's three-phase play, its tasks run phase by phase on two
namespaces joined by a veth with ESP between them, loses no echo of a ping
that runs through the whole rekey; the same rekey as one ``replaced`` task
per end, one end after the other, loses echoes (why the phases are
needed).  The play is read from docs/xfrm.md itself and its templates
rendered as Ansible would (Jinja2, native types), so the documented play is
what is tested."""
import json
import os
import re
import socket
import struct
import threading
import time

import yaml
from jinja2 import Environment

from test_nl_xfrm_vm import K_GCM, _checksum, ping, veth_pair

DOC = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "docs", "xfrm.md")
# What docs/xfrm.md's inventory gives each gateway, and the namespace's
# addresses (the play's own: the namespaces are throwaway).
HOSTS = {"gw1": {"ipsec_out": "1to2", "ipsec_in": "2to1", "addr": "10.0.0.1"},
         "gw2": {"ipsec_out": "2to1", "ipsec_in": "1to2", "addr": "10.0.0.2"}}
KEYS = dict(("vault_key_%s" % name, K_GCM.replace("11", digits)) for name, digits in
            (("1to2_old", "a1"), ("2to1_old", "a2"), ("1to2_new", "b1"), ("2to1_new", "b2")))
ECHO_ID = 0x4e58
JINJA = Environment()
INTERVAL = 0.02  # seconds between echoes
GRACE = 3  # seconds to wait for the replies of the last echoes


def documented_play():
    """The play of docs/xfrm.md's rekey section (the yaml block with the phases)."""
    text = open(DOC, encoding="utf-8").read()
    for block in re.findall(r"^```yaml\n(.*?)^```", text, re.S | re.M):
        if "Phase 1" in block:
            return yaml.safe_load(block)[0]
    raise AssertionError("docs/xfrm.md has no play with the rekey phases")


def render(value, variables):
    """Ansible's templating of module args, enough for the play: a string
    that is one ``{{ expression }}`` becomes the expression's value (a
    dict stays a dict, a key stays a string), any other is rendered as text;
    again while the result is a template (the play's ``sa`` holds some)."""
    if isinstance(value, dict):
        return dict((k, render(v, variables)) for k, v in value.items())
    if isinstance(value, list):
        return [render(v, variables) for v in value]
    if not isinstance(value, str) or "{{" not in value:
        return value
    whole = re.match(r"^\{\{(.*)\}\}$", value.strip(), re.S)
    if whole and "{{" not in whole.group(1):
        value = JINJA.compile_expression(whole.group(1).strip())(**variables)
    else:
        value = JINJA.from_string(value).render(**variables)
    return render(value, variables)


class Pinger:
    """ICMP echoes from ``ns`` (src -> dst) every INTERVAL seconds in a
    thread, and their replies counted in another, by sequence number."""

    def __init__(self, ns, src, dst):
        self.sock = ns.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
        self.sock.bind((src, 0))
        self.sock.settimeout(0.2)
        self.dst = dst
        self.sent = 0
        self.answered = set()
        self.lock = threading.Condition()
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self._send), threading.Thread(target=self._receive)]

    def __enter__(self):
        for t in self.threads:
            t.daemon = True
            t.start()
        return self

    def __exit__(self, *exc):
        self.stopping.set()
        for t in self.threads:
            t.join(10)
        self.sock.close()

    def _send(self):
        while not self.stopping.is_set():
            seq = self.sent & 0xFFFF
            body = struct.pack("!BBHHH", 8, 0, 0, ECHO_ID, seq) + b"rekey"
            try:
                self.sock.sendto(body[:2] + struct.pack("!H", _checksum(body)) + body[4:], (self.dst, 0))
            except OSError:
                pass  # refused on the way out: counted as sent, so as lost
            with self.lock:
                self.sent += 1
                self.lock.notify_all()
            self.stopping.wait(INTERVAL)

    def _receive(self):
        # the replies of the last echoes may still be on their way when
        # stopping: wait for them, GRACE seconds at most
        stopped = None
        while not (self.stopping.is_set() and self._all_in()):
            try:
                data, peer = self.sock.recvfrom(2048)
            except socket.timeout:
                if self.stopping.is_set():
                    stopped = stopped or time.time()
                    if time.time() - stopped > GRACE:
                        return  # the rest is lost
                continue
            ihl = (data[0] & 0x0F) * 4
            icmp_type, _code, _sum, ident, seq = struct.unpack("!BBHHH", data[ihl:ihl + 8])
            if peer[0] == self.dst and icmp_type == 0 and ident == ECHO_ID:
                with self.lock:
                    self.answered.add(seq)
                    self.lock.notify_all()

    def _all_in(self):
        with self.lock:
            return len(self.answered) >= self.sent

    def wait(self, answered=None, sent=None, timeout=30):
        """Until ``answered`` more echoes were answered (or ``sent`` more
        were sent) than when called; the counts when it returns."""
        with self.lock:
            want_a = len(self.answered) + (answered or 0)
            want_s = self.sent + (sent or 0)
            ok = self.lock.wait_for(lambda: len(self.answered) >= want_a and self.sent >= want_s, timeout)
            assert ok, "%d echoes sent, %d answered" % (self.sent, len(self.answered))
            return self.sent, len(self.answered)

    def lost(self):
        """Echoes sent and never answered (once stopped)."""
        return self.sent - len(self.answered)


def record(name, pinger, **more):
    """The echo counts of a test, for the report: rekey-NAME.json in the
    VM's results (tests/vm/run.sh brings them back)."""
    results = os.environ.get("NETLINK_HOST_VM_RESULTS")
    if results:
        figures = dict(more, kernel=os.uname().release, sent=pinger.sent, answered=len(pinger.answered),
                       lost=pinger.lost(), interval_s=INTERVAL)
        with open(os.path.join(results, "rekey-%s.json" % name), "w") as f:
            json.dump(figures, f, indent=1, sort_keys=True)


def gateways(netns_factory, run_module, play):
    """Two namespaces as gw1 and gw2, joined by a veth, with the old SAs
    and the policies (reqid 1, both directions) of docs/xfrm.md."""
    ns = {"gw1": netns_factory(), "gw2": netns_factory()}
    veth_pair(ns["gw1"], ns["gw2"], HOSTS["gw1"]["addr"], HOSTS["gw2"]["addr"])
    sas = render(play["vars"]["sa"], KEYS)
    for host, v in HOSTS.items():
        local, remote = v["addr"], HOSTS["gw2" if host == "gw1" else "gw1"]["addr"]
        policies = [{"selector": {"src": local, "dst": remote}, "dir": "out", "templates": [{"reqid": 1}]},
                    {"selector": {"src": remote, "dst": local}, "dir": "in", "templates": [{"reqid": 1}]}]
        states = [sas["old_" + v["ipsec_out"]], sas["old_" + v["ipsec_in"]]]
        r = run_module("nl_xfrm", {"states": states, "policies": policies}, netns=ns[host].name)
        assert r["changed"] and not r.get("failed"), r
    ping(ns["gw1"], HOSTS["gw1"]["addr"], HOSTS["gw2"]["addr"])  # neighbours resolved, ESP both ways
    return ns, sas


def run_task(run_module, ns, host, args):
    r = run_module("nl_xfrm", args, netns=ns[host].name)
    assert not r.get("failed"), (host, r)
    return r


def spis(ns):
    return sorted(re.findall(r"spi (0x[0-9a-f]+)", ns.ip("xfrm", "state")))


def test_nl_xfrm_rekey_in_three_phases_loses_no_echo(netns_factory, run_module):
    play = documented_play()
    tasks = play["tasks"]
    assert [t["name"].split(" - ")[0] for t in tasks] == ["Phase 1", "Phase 2", "Phase 3"], tasks
    ns, _sas = gateways(netns_factory, run_module, play)
    with Pinger(ns["gw1"], HOSTS["gw1"]["addr"], HOSTS["gw2"]["addr"]) as pinger:
        pinger.wait(answered=3)
        # as Ansible's linear strategy runs the play: each task on both hosts before the next
        for task in tasks:
            for host in ("gw1", "gw2"):
                variables = dict(KEYS, **HOSTS[host])
                variables["sa"] = render(play["vars"]["sa"], variables)
                run_task(run_module, ns, host, render(task["netlink.host.nl_xfrm"], variables))
                pinger.wait(answered=3)  # traffic flows after every step, not only at the end
    record("three-phases", pinger)
    assert pinger.sent >= 20, pinger.sent
    assert pinger.lost() == 0, "%d of %d echoes lost" % (pinger.lost(), pinger.sent)
    for host in ("gw1", "gw2"):
        assert spis(ns[host]) == ["0x00001001", "0x00002001"], (host, ns[host].ip("xfrm", "state"))


def test_nl_xfrm_rekey_one_replaced_task_per_end_loses_echoes(netns_factory, run_module):
    """What the phases avoid: gw1's replaced sends on its new SPI, which
    gw2 has not got, and drops the old inbound SA gw2 still sends on."""
    ns, sas = gateways(netns_factory, run_module, documented_play())
    with Pinger(ns["gw1"], HOSTS["gw1"]["addr"], HOSTS["gw2"]["addr"]) as pinger:
        pinger.wait(answered=3)
        for host in ("gw1", "gw2"):
            v = HOSTS[host]
            run_task(run_module, ns, host, {"state": "replaced",
                                            "states": [sas["new_" + v["ipsec_out"]], sas["new_" + v["ipsec_in"]]]})
            if host == "gw1":
                # gw2's task comes a moment later (the next host of a play
                # with serial: 1, or the next play): echoes go out meanwhile
                first = pinger.sent
                last = pinger.wait(sent=5)[0]
        pinger.wait(answered=3)  # both ends rekeyed: traffic flows again
    gap = set(range(first, last))
    record("one-task-per-end", pinger, sent_between_the_tasks=len(gap))
    assert not gap & pinger.answered, "echoes %s sent between the two tasks were answered" % sorted(gap & pinger.answered)
    assert pinger.lost() >= len(gap) >= 5, "%d of %d echoes lost" % (pinger.lost(), pinger.sent)
    for host in ("gw1", "gw2"):
        assert spis(ns[host]) == ["0x00001001", "0x00002001"], (host, ns[host].ip("xfrm", "state"))
