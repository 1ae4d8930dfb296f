"""Fault injection for tests of all-or-nothing: the kernel really refuses
the requests a test picks (each is swapped for one on an ifindex that does
not exist, so the refusal and its extended ack are the kernel's own).
Shared by the host-kernel and VM tiers."""
from ansible_collections.netlink.host.plugins.module_utils.netlink import const as C
from ansible_collections.netlink.host.plugins.module_utils.netlink import socket as nlsocket
from ansible_collections.netlink.host.plugins.module_utils.netlink.socket import Request


def inject(monkeypatch, fail):
    """Make the kernel really refuse the requests ``fail(n, req)`` picks (n
    counts every write request of the task, undo included): the request is
    swapped for one on an ifindex that does not exist."""
    seen = {"n": 0}
    real_batch = nlsocket.NetlinkSocket.batch

    def batch(self, requests):
        out = []
        for req in requests:
            if fail(seen["n"], req):
                req = Request(C.RTM_NEWLINK, 0, {"index": 0x7FFFFFF0}, {"mtu": 1500}, label=req.label)
            seen["n"] += 1
            out.append(req)
        return real_batch(self, out)

    monkeypatch.setattr(nlsocket.NetlinkSocket, "batch", batch)
    return seen


# A /proc/sys file no one may write (mode 0444: root too, sysctl's test_perm).
READ_ONLY_SYSCTL = "net/ipv4/conf/all/mc_forwarding"


def inject_proc(monkeypatch, fail):
    """The same for /proc/sys writes (netlink/procsys.py): a write
    ``fail(n, req)`` picks goes to a read-only file instead, which the
    kernel refuses (EACCES).  ``n`` counts the writes made."""
    from ansible_collections.netlink.host.plugins.module_utils.netlink import procsys
    seen = {"n": 0}
    real_write = procsys.ProcSys.write

    def write(self, path, value):
        req = procsys.Write(path, value)
        if fail(seen["n"], req):
            path = READ_ONLY_SYSCTL
        seen["n"] += 1
        return real_write(self, path, value)

    monkeypatch.setattr(procsys.ProcSys, "write", write)
    return seen
