"""Waiting on commit-confirmed records (tests of confirm_timeout and
nl_confirm): they finish in a detached watchdog, on its own clock."""
import time

from ansible_collections.netlink.host.plugins.module_utils.confirm import store


def wait_final(rec_id, timeout=20.0):
    """The record once finished (confirmed, rolled back or failed)."""
    end = time.time() + timeout
    while time.time() < end:
        rec = store.load(rec_id)
        if rec is not None and rec.get("state") in store.FINAL:
            return rec
        time.sleep(0.1)
    raise AssertionError("record %s not finished after %s s: %r" % (rec_id, timeout, store.load(rec_id)))


def watchdog_gone(rec_id, timeout=10.0):
    """Whether the record's watchdog exits within ``timeout``."""
    end = time.time() + timeout
    while time.time() < end:
        if store.watchdog_pid(rec_id) is None:
            return True
        time.sleep(0.05)
    return False


def records_of(ns):
    """The records of tasks on namespace ``ns``, whole.  Never all of the
    host's: other tests' watchdogs finish (and rewrite their records) at
    any time, and tests running beside this one add records of their own."""
    want = store.netns_identity(ns)  # records made through the netns connection name no netns
    return [rec for rec in store.records() if store.same_netns(rec.get("netns_id"), want)]


def addresses(ip_json, ns, dev="br0"):
    return sorted("%s/%s" % (a["local"], a["prefixlen"]) for a in ip_json(ns, "addr", "show", "dev", dev)[0]["addr_info"]
                  if a["family"] == "inet")
