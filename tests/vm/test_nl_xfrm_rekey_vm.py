"""Rekeying an IPsec pair between two gateways (issue 20, docs item):
docs/xfrm.md's three-phase play, its tasks run phase by phase on two
namespaces joined by a veth with ESP between them, loses no echo of a ping
that runs through the whole rekey; the same rekey as one ``replaced`` task
per end, one end after the other, loses echoes (why the phases are
needed).  The play is read from docs/xfrm.md itself and its templates
rendered as Ansible would (Jinja2; a lone expression keeps its type), so the documented play is
what is tested."""
import json
import os
import re
import signal
import subprocess
import threading
import time

import yaml
from jinja2 import Environment

from test_nl_xfrm_vm import K_GCM, ping, veth_pair

DOC = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "docs", "xfrm.md")
# What docs/xfrm.md's inventory gives each gateway, and the namespace's
# addresses (the play's own: the namespaces are throwaway).
HOSTS = {"gw1": {"ipsec_out": "1to2", "ipsec_in": "2to1", "addr": "10.0.0.1"},
         "gw2": {"ipsec_out": "2to1", "ipsec_in": "1to2", "addr": "10.0.0.2"}}
KEYS = dict(("vault_key_%s" % name, K_GCM.replace("11", digits)) for name, digits in
            (("1to2_old", "a1"), ("2to1_old", "a2"), ("1to2_new", "b1"), ("2to1_new", "b2")))
JINJA = Environment()
INTERVAL = 0.02  # seconds between echoes


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
    """``ping`` (iputils, a process of its own: the test's Python threads
    would send only while the modules leave them the interpreter) from
    ``ns`` to ``dst`` every INTERVAL seconds, its output read by a thread:
    the sequence numbers answered (with the time each reply came, ``-D``)
    and those ping reported unanswered when sending the next (``-O``).
    Pinned to one CPU: on a veth an echo and its reply are handled on the
    sender's CPU, so echoes from one CPU stay in order (the SAs have no
    replay window: a reordered one would be dropped and counted lost)."""

    REPLY = re.compile(r"^\[(\d+\.\d+)\] \d+ bytes from .*icmp_seq=(\d+) ")
    NO_ANSWER = re.compile(r"no answer yet for icmp_seq=(\d+)")
    SUMMARY = re.compile(r"(\d+) packets transmitted, (\d+) received")

    def __init__(self, ns, dst):
        self.argv = ["ip", "netns", "exec", ns.name, "taskset", "-c", "0",
                     "ping", "-n", "-D", "-O", "-i", str(INTERVAL), dst]
        self.answered = {}     # seq -> time of the reply
        self.unanswered = set()
        self.transmitted = None
        self.lock = threading.Condition()

    def __enter__(self):
        self.proc = subprocess.Popen(self.argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     universal_newlines=True, bufsize=1)
        self.reader = threading.Thread(target=self._read)
        self.reader.daemon = True
        self.reader.start()
        return self

    def __exit__(self, *exc):
        self.proc.send_signal(signal.SIGINT)  # ping prints its summary and exits
        self.reader.join(60)
        self.proc.wait(60)

    def _read(self):
        self.output = []
        for line in self.proc.stdout:
            self.output.append(line)
            with self.lock:
                m = self.REPLY.match(line)
                if m:
                    self.answered[int(m.group(2))] = float(m.group(1))
                m = self.NO_ANSWER.search(line)
                if m:
                    self.unanswered.add(int(m.group(1)))
                m = self.SUMMARY.search(line)
                if m:
                    self.transmitted = int(m.group(1))
                self.lock.notify_all()

    def wait(self, answered=0, unanswered=0, timeout=60):
        """Until ``answered`` more replies came (or ping reported
        ``unanswered`` more echoes without one) than when called."""
        with self.lock:
            want_a, want_u = len(self.answered) + answered, len(self.unanswered) + unanswered
            ok = self.lock.wait_for(lambda: len(self.answered) >= want_a and len(self.unanswered) >= want_u,
                                    timeout)
            assert ok, "ping: %d answered, %d reported unanswered: %s" % (
                len(self.answered), len(self.unanswered), "".join(self.output[-5:]))

    def replied_between(self, t0, t1):
        with self.lock:
            return sorted(seq for seq, when in self.answered.items() if t0 <= when <= t1)

    def lost(self):
        """Echoes never answered, once stopped: those older than the last
        one answered (the replies come in order) without a reply."""
        last = max(self.answered)
        return sorted(set(range(1, last)) - set(self.answered))


def record(name, pinger, **more):
    """The echo counts of a test, for the report: rekey-NAME.json in the
    VM's results (tests/vm/run.sh brings them back)."""
    results = os.environ.get("NETLINK_HOST_VM_RESULTS")
    if results:
        figures = dict(more, kernel=os.uname().release, transmitted=pinger.transmitted,
                       answered=len(pinger.answered), lost=len(pinger.lost()), interval_s=INTERVAL)
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
    with Pinger(ns["gw1"], HOSTS["gw2"]["addr"]) as pinger:
        pinger.wait(answered=3)
        # as Ansible's linear strategy runs the play: each task on both hosts before the next
        for task in tasks:
            for host in ("gw1", "gw2"):
                variables = dict(KEYS, **HOSTS[host])
                variables["sa"] = render(play["vars"]["sa"], variables)
                run_task(run_module, ns, host, render(task["netlink.host.nl_xfrm"], variables))
                pinger.wait(answered=3)  # traffic flows after every step, not only at the end
    record("three-phases", pinger)
    assert len(pinger.answered) >= 20 and pinger.transmitted, (pinger.transmitted, len(pinger.answered))
    assert pinger.lost() == [], "echoes %s of %d lost" % (pinger.lost(), pinger.transmitted)
    for host in ("gw1", "gw2"):
        assert spis(ns[host]) == ["0x00001001", "0x00002001"], (host, ns[host].ip("xfrm", "state"))


def test_nl_xfrm_rekey_one_replaced_task_per_end_loses_echoes(netns_factory, run_module):
    """What the phases avoid: gw1's replaced sends on its new SPI, which
    gw2 has not got, and drops the old inbound SA gw2 still sends on."""
    ns, sas = gateways(netns_factory, run_module, documented_play())
    with Pinger(ns["gw1"], HOSTS["gw2"]["addr"]) as pinger:
        pinger.wait(answered=3)
        for host in ("gw1", "gw2"):
            v = HOSTS[host]
            run_task(run_module, ns, host, {"state": "replaced",
                                            "states": [sas["new_" + v["ipsec_out"]], sas["new_" + v["ipsec_in"]]]})
            if host == "gw1":
                # gw2's task comes a moment later (the next host of a play
                # with serial: 1, or the next play): echoes go out meanwhile
                t0 = time.time()
                pinger.wait(unanswered=5)
                t1 = time.time()
        pinger.wait(answered=3)  # both ends rekeyed: traffic flows again
    record("one-task-per-end", pinger, seconds_between_the_tasks=round(t1 - t0, 3))
    assert pinger.replied_between(t0, t1) == [], "echoes answered between the two tasks"
    assert len(pinger.lost()) >= 5, "echoes %s of %d lost" % (pinger.lost(), pinger.transmitted)
    for host in ("gw1", "gw2"):
        assert spis(ns[host]) == ["0x00001001", "0x00002001"], (host, ns[host].ip("xfrm", "state"))
