# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""NetlinkSocket: one conversation with the kernel.

What it guarantees, once, for every caller:

- every request carries its own sequence number; a reply is accepted only
  when it comes from the kernel (sender port 0) and carries a sequence
  number we are waiting for (stale replies are dropped);
- failures carry the kernel's extended-ack text (NETLINK_EXT_ACK,
  NETLINK_CAP_ACK), dumps are strictly checked (NETLINK_GET_STRICT_CHK) so
  the kernel filters by table/protocol/ifindex instead of us;
- a dump interrupted by a concurrent change (NLM_F_DUMP_INTR) is restarted,
  ENOBUFS is an error, a datagram is never truncated (its size is peeked);
- ``batch()`` sends many requests per sendmsg, each acked, and says which
  were applied, which one failed and which were never sent.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import errno
import socket
import struct

from . import const as C
from .errors import DecodeError, ProtocolError, error_for
from .netns import entered
from .schema import AttrSet, Attr
from .codec import STRING, U32

_NLMSGHDR = struct.Struct("=IHHII")
_HDR_SIZE = _NLMSGHDR.size
_nlh_unpack = _NLMSGHDR.unpack_from
_nlh_pack = _NLMSGHDR.pack
_ERR_CODE = struct.Struct("=i")

# NLMSG_ERROR trailing TLVs (linux/netlink.h enum nlmsgerr_attrs).
_EXTACK = AttrSet("nlmsgerr_attrs", [
    Attr(C.NLMSGERR_ATTR_MSG, "msg", STRING),
    Attr(C.NLMSGERR_ATTR_OFFS, "offs", U32),
])

# A dump that keeps being interrupted by concurrent changes is retried this
# many times before giving up with a clear error.
DUMP_RETRIES = 20
# Requests per sendmsg in batch(): bounded so that the acks of one chunk
# always fit the receive buffer (each ack costs ~1 KiB of socket memory).
BATCH_CHUNK_MESSAGES = 128
BATCH_CHUNK_BYTES = 64 * 1024
RCVBUF = 4 * 1024 * 1024
# _recv_datagram's peek: buffer size, and flags as a plain int (socket's
# MSG_* are IntFlag members whose ``|`` runs Python code on every call).
_PEEK_SIZE = 32 * 1024
_PEEK_FLAGS = int(socket.MSG_PEEK) | int(socket.MSG_TRUNC)


class Message:
    """A decoded netlink message: nlmsghdr fields plus the family header
    (dict) and attributes (dict) as the schema for its type decoded them."""

    __slots__ = ("type", "flags", "seq", "pid", "header", "attrs")

    def __init__(self, type, flags, seq, pid, header, attrs):
        self.type = type
        self.flags = flags
        self.seq = seq
        self.pid = pid
        self.header = header
        self.attrs = attrs

    def __repr__(self):
        return "Message(type=%d, header=%r, attrs=%r)" % (self.type, self.header, self.attrs)


class Request:
    """A request to send: message type, flags (NLM_F_REQUEST and NLM_F_ACK
    are added), family header and attributes.  ``label`` says in words what
    it does (an iproute2 command line), for error messages: a str, or an
    object whose str() is one (spelt only when a message needs it)."""

    __slots__ = ("type", "flags", "header", "attrs", "label")

    def __init__(self, type, flags=0, header=None, attrs=None, label=None):
        self.type = type
        self.flags = flags
        self.header = header or {}
        self.attrs = attrs or {}
        self.label = label

    def __repr__(self):
        return "Request(%d, %s)" % (self.type, self.label or self.header)


class BatchResult:
    """Outcome of ``batch()``: indexes of requests the kernel applied, the
    index and error of the first failure (or None), and indexes never sent.
    Requests sent in the same chunk after a failure are still processed by
    the kernel; they appear in ``applied`` or ``errors`` as they came back."""

    __slots__ = ("applied", "failed", "error", "errors", "not_sent")

    def __init__(self):
        self.applied = []
        self.failed = None
        self.error = None
        self.errors = {}
        self.not_sent = []

    @property
    def ok(self):
        return self.failed is None


def encode_message(schemas, req, seq, extra_flags=0):
    body = schemas[req.type]
    payload = body.encode_parts(req.header, req.attrs)
    return _nlh_pack(_HDR_SIZE + len(payload), req.type,
                     req.flags | C.NLM_F_REQUEST | extra_flags, seq, 0) + payload


def decode_messages(schemas, data):
    """Decode every netlink message in ``data`` (golden-file helper and
    fuzz target).  Raises DecodeError, never anything else."""
    out = []
    off = 0
    n = len(data)
    while off + _HDR_SIZE <= n:
        mlen, mtype, mflags, seq, pid = _nlh_unpack(data, off)
        if mlen < _HDR_SIZE or off + mlen > n:
            raise DecodeError("netlink message of length %d at offset %d overruns %d bytes" % (mlen, off, n))
        body = schemas.get(mtype)
        if body is None:
            out.append(Message(mtype, mflags, seq, pid, None, bytes(data[off + _HDR_SIZE:off + mlen])))
        else:
            try:
                header, attrs = body.decode_parts(data, off + _HDR_SIZE, off + mlen)
            except (struct.error, ValueError, IndexError, UnicodeError, OverflowError) as exc:
                raise DecodeError("message type %d: %s" % (mtype, exc))
            out.append(Message(mtype, mflags, seq, pid, header, attrs))
        off += (mlen + 3) & ~3
    if off < n:
        raise DecodeError("%d trailing bytes after the last netlink message" % (n - off))
    return out


class NetlinkSocket:
    """A netlink socket of one protocol, optionally inside a namespace.

    ``schemas`` maps message type -> ``schema.Body`` for every type this
    conversation sends or receives (``rtnl.SCHEMAS``, ``xfrm.SCHEMAS``).
    """

    def __init__(self, protocol, schemas, netns=None):
        self.protocol = protocol
        self.schemas = schemas
        self.netns = netns
        with entered(netns):
            self._sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW | socket.SOCK_CLOEXEC, protocol)
        try:
            self._setup()
        except Exception:
            self._sock.close()
            raise
        self._seq = 0
        self._peek_buf = bytearray(_PEEK_SIZE)
        self.sent_requests = 0  # write requests sent: lets tests prove a no-op

    def _setup(self):
        s = self._sock
        try:
            s.setsockopt(socket.SOL_SOCKET, 33, RCVBUF)  # SO_RCVBUFFORCE (root)
        except OSError:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, RCVBUF)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 1024 * 1024)
        for opt in (C.NETLINK_EXT_ACK, C.NETLINK_CAP_ACK, C.NETLINK_GET_STRICT_CHK):
            try:
                s.setsockopt(C.SOL_NETLINK, opt, 1)
            except OSError:
                # Older kernels lack some options; behaviour degrades to
                # plain acks / unfiltered dumps, never to wrong results.
                pass
        s.bind((0, 0))

    def close(self):
        if self._sock is not None:
            self._sock.close()
            self._sock = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def fileno(self):
        return self._sock.fileno()

    def _next_seq(self):
        self._seq = (self._seq + 1) & 0xFFFFFFFF or 1
        return self._seq

    # -- receiving -------------------------------------------------------

    def _recv_datagram(self):
        """One datagram, whole.  Its size is peeked first so the buffer
        always fits it, however large the kernel made it."""
        s = self._sock
        peek = self._peek_buf
        while True:
            try:
                # The peek offers a 32 KiB buffer although only the size is
                # wanted: the kernel sizes the datagrams of a dump by the
                # largest buffer a reader ever offered (netlink_recvmsg's
                # max_recvmsg_len, capped at 32 KiB).  A 16-byte peek kept
                # dumps at ~4 KiB per datagram: 8x the syscalls.
                size = s.recv_into(peek, _PEEK_SIZE, _PEEK_FLAGS)
                data, addr = s.recvfrom(max(size, 16))
            except OSError as exc:
                if exc.errno == errno.EINTR:
                    continue
                if exc.errno == errno.ENOBUFS:
                    raise ProtocolError("netlink receive buffer overrun (ENOBUFS): "
                                        "the kernel dropped messages, the read is incomplete")
                raise
            if addr[0] != 0:
                continue  # not from the kernel: ignore
            return data

    def _parse_error(self, data, off, mlen, mflags, request):
        code = _ERR_CODE.unpack_from(data, off + _HDR_SIZE)[0]
        if code == 0:
            return None
        extack = offset = None
        if mflags & C.NLM_F_ACK_TLVS:
            # error code, then the echoed request header (and its payload
            # unless the kernel capped it), then the TLVs.
            inner = off + _HDR_SIZE + 4
            ilen = _nlh_unpack(data, inner)[0]
            tlv = inner + (_HDR_SIZE if mflags & C.NLM_F_CAPPED else ((ilen + 3) & ~3))
            try:
                ext = _EXTACK.decode(data, tlv, off + mlen)
                extack = ext.get("msg")
                offset = ext.get("offs")
            except DecodeError:
                pass
        return error_for(-code, extack=extack, request=request, offset=offset)

    # -- dumps -----------------------------------------------------------

    def dump(self, msg_type, header=None, attrs=None, factory=None, label=None, raw=False):
        """Dump objects of ``msg_type`` (an RTM_GET*/XFRM_MSG_GET* type).

        ``header``/``attrs`` are the request's family header and
        attributes: with strict checking the kernel filters on them (route
        table and protocol, link master or kind, address ifindex...).
        ``factory(message)`` turns each reply into the caller's object as
        it arrives; it may return None to drop the message.  Returns a
        list.  Restarts on NLM_F_DUMP_INTR so the result is consistent.
        ``raw``: the factory is called as ``factory(data, start, end)``
        with the bounds of each reply's payload instead, undecoded (a
        reader of a whole table that decodes straight into its own form).
        """
        req = Request(msg_type, C.NLM_F_DUMP, header, attrs, label)
        for _attempt in range(DUMP_RETRIES):
            result, interrupted = self._dump_once(req, factory, raw)
            if not interrupted:
                return result
        raise ProtocolError("dump of message type %d kept being interrupted by concurrent "
                            "changes (%d attempts)" % (msg_type, DUMP_RETRIES))

    def _dump_once(self, req, factory, raw=False):
        seq = self._next_seq()
        self._sock.send(encode_message(self.schemas, req, seq))
        schemas = self.schemas
        out = []
        append = out.append
        interrupted = False
        # Per-message hot loop: everything it touches is a local (module
        # constants cost a global plus an attribute lookup each), and the
        # common case, a reply object for this dump, is tested first.
        unpack = _nlh_unpack
        hdr_size = _HDR_SIZE
        min_type = C.NLMSG_MIN_TYPE
        dump_intr = C.NLM_F_DUMP_INTR
        make_message = Message
        body_type = body = None
        while True:
            data = self._recv_datagram()
            off = 0
            n = len(data)
            while off + hdr_size <= n:
                mlen, mtype, mflags, mseq, mpid = unpack(data, off)
                if mlen < hdr_size or off + mlen > n:
                    raise DecodeError("truncated netlink message (length %d, %d bytes left)" % (mlen, n - off))
                if mseq != seq:
                    off += (mlen + 3) & ~3
                    continue  # a stale reply to an earlier request
                if mflags & dump_intr:
                    interrupted = True
                if mtype >= min_type and raw:
                    obj = factory(data, off + hdr_size, off + mlen)
                    if obj is not None:
                        append(obj)
                elif mtype >= min_type:
                    if mtype != body_type:  # a dump's replies share one type
                        body = schemas.get(mtype)
                        if body is None:
                            raise DecodeError("no schema for reply message type %d" % mtype)
                        body_type = mtype
                    header, attrs = body.decode_parts(data, off + hdr_size, off + mlen)
                    msg = make_message(mtype, mflags, mseq, mpid, header, attrs)
                    if factory is None:
                        append(msg)
                    else:
                        obj = factory(msg)
                        if obj is not None:
                            append(obj)
                elif mtype == C.NLMSG_DONE:
                    # NLMSG_DONE carries an error code too (e.g. a dump
                    # filter the kernel refused mid-way).
                    if mlen >= hdr_size + 4:
                        code = _ERR_CODE.unpack_from(data, off + hdr_size)[0]
                        if code < 0:
                            # its ext-ack TLVs follow the code directly
                            # (no echoed request), e.g. a refused filter.
                            ext = {}
                            if mflags & C.NLM_F_ACK_TLVS:
                                try:
                                    ext = _EXTACK.decode(data, off + hdr_size + 4, off + mlen)
                                except DecodeError:
                                    pass
                            raise error_for(-code, extack=ext.get("msg"), request=req,
                                            offset=ext.get("offs"))
                    return out, interrupted
                elif mtype == C.NLMSG_ERROR:
                    err = self._parse_error(data, off, mlen, mflags, req)
                    if err is not None:
                        raise err
                    return out, interrupted
                elif mtype == C.NLMSG_OVERRUN:
                    raise ProtocolError("netlink overrun during dump")
                off += (mlen + 3) & ~3

    def get(self, msg_type, header=None, attrs=None, label=None, flags=0):
        """A single GET (no dump): returns the one Message the kernel sends
        back, or raises NotFoundError and friends."""
        req = Request(msg_type, flags, header, attrs, label)
        seq = self._next_seq()
        self._sock.send(encode_message(self.schemas, req, seq))
        while True:
            data = self._recv_datagram()
            for msg_or_err in self._iter_replies(data, {seq: req}):
                mseq, item = msg_or_err
                if isinstance(item, Exception):
                    raise item
                if isinstance(item, Message):
                    return item

    def _iter_replies(self, data, waiting):
        """(seq, Message | NetlinkError | None-for-ack) for each reply in
        ``data`` whose sequence number is in ``waiting``."""
        off = 0
        n = len(data)
        while off + _HDR_SIZE <= n:
            mlen, mtype, mflags, mseq, mpid = _nlh_unpack(data, off)
            if mlen < _HDR_SIZE or off + mlen > n:
                raise DecodeError("truncated netlink message (length %d, %d bytes left)" % (mlen, n - off))
            if mseq in waiting:
                if mtype == C.NLMSG_ERROR:
                    yield mseq, self._parse_error(data, off, mlen, mflags, waiting[mseq])
                elif mtype >= C.NLMSG_MIN_TYPE:
                    body = self.schemas.get(mtype)
                    if body is None:
                        raise DecodeError("no schema for reply message type %d" % mtype)
                    header, attrs = body.decode_parts(data, off + _HDR_SIZE, off + mlen)
                    yield mseq, Message(mtype, mflags, mseq, mpid, header, attrs)
            off += (mlen + 3) & ~3

    # -- writes ----------------------------------------------------------

    def request(self, req):
        """Send one write request and wait for its ack; raise on error."""
        result = self.batch([req])
        if not result.ok:
            raise result.error

    def batch(self, requests):
        """Send ``requests`` in chunks of many messages per sendmsg, each
        with NLM_F_ACK, and match the acks by sequence number.  Stops
        sending after the chunk in which the first error came back."""
        result = BatchResult()
        i = 0
        total = len(requests)
        while i < total:
            chunk = {}
            order = []
            parts = []
            size = 0
            while i < total and len(order) < BATCH_CHUNK_MESSAGES and size < BATCH_CHUNK_BYTES:
                seq = self._next_seq()
                raw = encode_message(self.schemas, requests[i], seq, C.NLM_F_ACK)
                parts.append(raw)
                size += len(raw)
                chunk[seq] = requests[i]
                order.append((seq, i))
                i += 1
            self._sock.send(b"".join(parts))
            self.sent_requests += len(parts)
            index_of = dict(order)
            waiting = dict(chunk)
            while waiting:
                data = self._recv_datagram()
                for seq, item in self._iter_replies(data, waiting):
                    if isinstance(item, Message):
                        continue  # an echo; the ack follows
                    idx = index_of[seq]
                    del waiting[seq]
                    if item is None:
                        result.applied.append(idx)
                    else:
                        result.errors[idx] = item
                        if result.failed is None or idx < result.failed:
                            result.failed = idx
                            result.error = item
            if result.failed is not None:
                result.not_sent = list(range(i, total))
                break
        result.applied.sort()
        return result
