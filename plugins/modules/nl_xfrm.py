#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: nl_xfrm
short_description: Manage IPsec security associations and policies (XFRM) over netlink
version_added: "0.2.0"
description:
  - Adds, updates and removes IPsec security associations (SAs, C(ip xfrm state)),
    security policies (SPs, C(ip xfrm policy)) and the default policies
    (C(ip xfrm policy setdefault)) of a network namespace, by speaking
    C(NETLINK_XFRM) to the kernel, or lists them.
  - For site-to-site tunnels with static keys, keys pushed by an external key
    manager, and route-based VPNs on xfrm interfaces (see M(netlink.host.nl_link)
    for the C(xfrm) link type).
  - "An SA is identified as the kernel looks it up: O(states[].dst), O(states[].spi),
    O(states[].proto) and O(states[].mark). A policy by its O(policies[].selector),
    O(policies[].dir), O(policies[].ptype), O(policies[].mark) and O(policies[].if_id)."
  - SAs are created and updated before the policies that use them and removed after
    them; the default policies are set after the policies.
  - "Minimal change: the fields the kernel lets C(XFRM_MSG_UPDSA) change on an
    existing SA (O(states[].lifetime), the ports and original address of
    O(states[].encap) of the same type, O(states[].output_mark) and O(states[].if_id)
    to non-zero values) are updated in place (C(ip xfrm state update)). Any other
    change (keys, algorithms, mode, flags, selector, ...) deletes and re-adds the
    SA with the same SPI, which the diff says. Rekeying to a new SPI is
    make-before-break: list the new SA and remove the old one (O(states[].state=absent)
    or O(state=replaced)); the new SA is added before the old one goes."
  - Policies change in place (C(XFRM_MSG_UPDPOLICY), C(ip xfrm policy update)).
  - "Keys are secret: they are C(no_log), and RV(states), the diff, RV(commands)
    and every error message show them as C(********), while idempotency compares
    the real key bytes the kernel reads back."
author:
  - netlink.host contributors (@netlink-host)
extends_documentation_fragment:
  - netlink.host.netlink
options:
  states:
    description:
      - Security associations (C(ip xfrm state)), each identified by O(states[].dst),
        O(states[].spi), O(states[].proto) and O(states[].mark).
      - Fields not given are not compared; a new SA gets the kernel's defaults for them.
    type: list
    elements: dict
    suboptions:
      src:
        description: Source address of the SA (the local end for outbound SAs). Required unless the item is absent.
        type: str
      dst:
        description: Destination address of the SA. Must be of the family of O(states[].src).
        type: str
        required: true
      proto:
        description: IPsec protocol.
        type: str
        choices: [esp, ah, comp]
        default: esp
      spi:
        description:
          - Security parameter index, 1 to 4294967295, as a number or C(0x) hex text.
          - For V(comp) it is the 16-bit CPI (1-65535). V(0) is refused.
        type: raw
        required: true
      mode:
        description: Encapsulation mode. A new SA defaults to V(transport).
        type: str
        choices: [transport, tunnel, beet]
      reqid:
        description: Request id tying the SA to the policy templates with the same O(policies[].templates[].reqid).
        type: int
      aead:
        description: Authenticated encryption (ESP only, instead of O(states[].enc) and O(states[].auth)).
        type: dict
        suboptions:
          name:
            description:
              - The kernel's algorithm name, V(rfc4106(gcm(aes\)\)), V(rfc4309(ccm(aes\)\)),
                V(rfc4543(gcm(aes\)\)) or V(rfc7539esp(chacha20,poly1305\)).
            type: str
            required: true
          key:
            description:
              - The key followed by the salt, as C(0x) and hex digits (iproute2's form),
                e.g. 160, 224 or 288 bits for V(rfc4106(gcm(aes\)\)) (a 128, 192 or 256-bit
                AES key and a 32-bit salt), 152, 216 or 280 bits for V(rfc4309(ccm(aes\)\))
                (24-bit salt), 288 bits for ChaCha20-Poly1305.
            type: str
            required: true
          icv_len:
            description: ICV length in bits (V(64), V(96) or V(128); a new SA defaults to V(128)).
            type: int
      enc:
        description: Encryption algorithm (ESP).
        type: dict
        suboptions:
          name:
            description:
              - V(cbc(aes\)) (alias V(aes)), V(rfc3686(ctr(aes\)\)), V(cbc(des3_ede\)),
                V(cbc(des\)), V(cbc(cast5\)), V(cbc(blowfish\)), V(cbc(serpent\)),
                V(cbc(camellia\)), V(cbc(twofish\)), V(cbc(sm4\)) or V(ecb(cipher_null\)).
              - An alias is stored under the kernel's canonical name.
            type: str
            required: true
          key:
            description:
              - The key as C(0x) and hex digits, of a length the algorithm takes (128, 192
                or 256 bits for AES; for V(rfc3686(ctr(aes\)\)) followed by a 32-bit nonce).
            type: str
            required: true
      auth:
        description: Authentication algorithm (ESP with O(states[].enc), or AH).
        type: dict
        suboptions:
          name:
            description:
              - V(hmac(sha256\)) (alias V(sha256)), V(hmac(sha1\)), V(hmac(sha384\)),
                V(hmac(sha512\)), V(hmac(md5\)), V(hmac(rmd160\)), V(xcbc(aes\)),
                V(cmac(aes\)), V(hmac(sm3\)) or V(digest_null).
            type: str
            required: true
          key:
            description: The key as C(0x) and hex digits, as long as the hash (256 bits for V(hmac(sha256\))).
            type: str
            required: true
          trunc_len:
            description:
              - ICV truncation in bits (C(auth-trunc)); without it the kernel uses the
                algorithm's default (96 bits for the HMACs of RFC 2404/4868's older SAs).
            type: int
      comp:
        description: Compression algorithm (IPcomp).
        type: dict
        suboptions:
          name:
            description: V(deflate), V(lzs) or V(lzjh).
            type: str
            required: true
      replay_window:
        description:
          - Replay window in packets, 0 to 4096. Above 32 it travels as
            C(XFRMA_REPLAY_ESN_VAL), as iproute2 sends it.
        type: int
      flags:
        description: SA flags.
        type: list
        elements: str
        choices: [noecn, decap-dscp, nopmtudisc, wildrecv, icmp, af-unspec, align4, esn]
      extra_flags:
        description: Extra SA flags (C(extra-flag)).
        type: list
        elements: str
        choices: [dont-encap-dscp, oseq-may-wrap]
      mark:
        description: Mark the SA matches (part of its identity).
        type: dict
        suboptions: &mark_value_mask
          value:
            description: Mark value (number or C(0x) hex).
            type: raw
            required: true
          mask:
            description: Mask (default all ones; number or C(0x) hex).
            type: raw
      output_mark:
        description: Mark set on packets the SA outputs (C(output-mark)); changed in place.
        type: dict
        suboptions: *mark_value_mask
      if_id:
        description: Interface id binding the SA to an xfrm interface with the same C(if_id); changed in place.
        type: int
      dir:
        description: SA direction (kernel 6.10+). Refused by older kernels.
        type: str
        choices: [in, out]
      encap:
        description: UDP (NAT-T) or TCP encapsulation of ESP.
        type: dict
        suboptions:
          type:
            description: Encapsulation type.
            type: str
            choices: [espinudp, espinudp-nonike, espintcp]
            default: espinudp
          sport:
            description: Source port (4500 for NAT-T).
            type: int
            required: true
          dport:
            description: Destination port (4500 for NAT-T).
            type: int
            required: true
          oa:
            description: Original address (before NAT).
            type: str
      selector:
        description: Traffic selector of the SA (C(sel)).
        type: dict
        suboptions: &selector
          src:
            description: Source prefix (C(ADDR[/LEN]); a host without /LEN). Defaults to the whole family.
            type: str
          dst:
            description: Destination prefix. Defaults to the whole family.
            type: str
          proto:
            description: Upper-layer protocol (name such as V(tcp), V(udp), V(icmp), or number).
            type: str
          sport:
            description: Source port (needs O(states[].selector.proto) tcp, udp, sctp or dccp).
            type: int
          dport:
            description: Destination port.
            type: int
          type:
            description: ICMP type (with proto V(icmp), V(ipv6-icmp) or V(mobility-header)).
            type: int
          code:
            description: ICMP code.
            type: int
          dev:
            description:
              - Device the traffic uses.
              - It must exist (so must O(states[].offload.dev)); in check mode one that does not gets a warning
                instead, as an earlier task of the play may create it.
            type: str
      lifetime:
        description: Limits (C(limit)); changed in place. Byte and packet limits take a number or V(inf).
        type: dict
        suboptions: &lifetime
          time_soft:
            description: Seconds after which the SA expires softly (C(time-soft)).
            type: int
          time_hard:
            description: Seconds after which it is removed (C(time-hard)).
            type: int
          time_use_soft:
            description: Seconds after first use (C(time-use-soft)).
            type: int
          time_use_hard:
            description: Seconds after first use (C(time-use-hard)).
            type: int
          byte_soft:
            description: Bytes (C(byte-soft)).
            type: str
          byte_hard:
            description: Bytes (C(byte-hard)).
            type: str
          packet_soft:
            description: Packets (C(packet-soft)).
            type: str
          packet_hard:
            description: Packets (C(packet-hard)).
            type: str
      offload:
        description: Hardware offload (C(offload [packet] dev DEV dir DIR)); needs a device that supports it.
        type: dict
        suboptions:
          dev:
            description: The device.
            type: str
            required: true
          dir:
            description: Direction.
            type: str
            choices: [in, out]
            default: out
          type:
            description: Crypto offload or full packet offload.
            type: str
            choices: [crypto, packet]
            default: crypto
      state:
        description: This SA's own state, overriding O(state) (V(present) or V(absent)).
        type: str
        choices: [present, absent]
  policies:
    description:
      - Security policies (C(ip xfrm policy)), each identified by its selector,
        O(policies[].dir), O(policies[].ptype), O(policies[].mark) and O(policies[].if_id).
    type: list
    elements: dict
    suboptions:
      selector:
        description: The traffic the policy applies to; V(src) and/or V(dst) required.
        type: dict
        required: true
        suboptions: *selector
      dir:
        description: Direction.
        type: str
        choices: [in, out, fwd]
        required: true
      ptype:
        description: Policy type.
        type: str
        choices: [main, sub]
        default: main
      action:
        description: What the policy does with matching traffic. A new policy defaults to V(allow).
        type: str
        choices: [allow, block]
      priority:
        description: Priority (lower wins). A new policy defaults to V(0).
        type: int
      flags:
        description: Policy flags.
        type: list
        elements: str
        choices: [localok, icmp]
      mark:
        description: Mark the policy matches (part of its identity).
        type: dict
        suboptions: *mark_value_mask
      if_id:
        description: Interface id (part of its identity; for policies of xfrm interfaces).
        type: int
      lifetime:
        description: Limits (C(limit)).
        type: dict
        suboptions: *lifetime
      templates:
        description:
          - The transformations matching traffic needs (C(tmpl)), in order. The
            whole list is compared; V([]) means none.
          - "At most 6 (the kernel's C(XFRM_MAX_DEPTH)). Only a tunnel or beet template may
            change the address family: a transport template has the family of the template
            before it (the selector's for the first), which is also what its any-addresses
            take when it gives none."
        type: list
        elements: dict
        suboptions:
          src:
            description: Tunnel source (tunnel mode); any when not given.
            type: str
          dst:
            description: Tunnel destination (tunnel mode); any when not given.
            type: str
          proto:
            description: IPsec protocol.
            type: str
            choices: [esp, ah, comp]
            default: esp
          spi:
            description: SPI (V(0), the default, matches any; number or C(0x) hex).
            type: raw
          mode:
            description: Mode.
            type: str
            choices: [transport, tunnel, beet]
            default: transport
          reqid:
            description: Request id (V(0), the default, matches any).
            type: int
          level:
            description:
              - V(required), or V(use) (applied when an SA exists).
              - The kernel refuses V(use) on a tunnel or beet template of an V(out) policy.
            type: str
            choices: [required, use]
            default: required
      state:
        description: This policy's own state, overriding O(state) (V(present) or V(absent)).
        type: str
        choices: [present, absent]
  defaults:
    description:
      - The default policies (C(ip xfrm policy setdefault), kernel 5.16+), what
        happens to traffic that no policy matches. A direction not given is not changed.
    type: dict
    suboptions:
      in:
        description: Inbound.
        type: str
        choices: [allow, block]
      fwd:
        description: Forwarded.
        type: str
        choices: [allow, block]
      out:
        description: Outbound.
        type: str
        choices: [allow, block]
  state:
    description:
      - V(present) creates or updates the listed SAs and policies; others are kept.
      - V(absent) removes the listed SAs and policies (matched by identity; only
        the identifying fields are needed). Removing what is gone is not a change.
      - V(replaced) is V(present), and also removes the SAs not listed that share a
        reqid, a mark or an if_id with a listed SA, and the policies not listed that
        share a template reqid, a mark or an if_id with a listed policy. Nothing else
        of the SAD and SPD is touched; an empty list removes nothing.
      - V(gathered) returns every SA (ESP, AH, IPcomp), policy and the default policies
        as RV(gathered), in the input format, keys masked unless O(show_keys=true).
    type: str
    choices: [present, absent, replaced, gathered]
    default: present
  show_keys:
    description:
      - With O(state=gathered), return the real keys. The whole task result is then
        marked C(no_log), so Ansible prints it censored (it can still be registered).
    type: bool
    default: false
notes:
  - Reads one SA dump and one policy dump (the kernel offers no filter for what a task names)
    and, when O(defaults) is given, the default policies.
  - SAs need ESP, AH or IPcomp in the kernel (C(esp4), C(esp6), C(ah4), C(xfrm_ipcomp) ... modules).
  - When the kernel refuses a change, the changes already made are undone and read back
    (SAs with their real keys).
seealso:
  - name: ip-xfrm(8)
    description: The iproute2 command this module's RV(commands) are written in.
    link: https://man7.org/linux/man-pages/man8/ip-xfrm.8.html
  - module: netlink.host.nl_link
    description: xfrm interfaces (C(kind=xfrm), C(if_id)) for route-based VPNs.
'''

EXAMPLES = r'''
- name: Site-to-site, host side 10.0.0.1 - ESP transport SAs with AES-GCM and their policies
  netlink.host.nl_xfrm:
    states:
      - src: 10.0.0.1
        dst: 10.0.0.2
        spi: "0x1000"
        reqid: 1
        mode: transport
        aead:
          name: rfc4106(gcm(aes))
          key: "0x0123456789abcdef0123456789abcdef01234567"
          icv_len: 128
      - src: 10.0.0.2
        dst: 10.0.0.1
        spi: "0x2000"
        reqid: 1
        mode: transport
        aead:
          name: rfc4106(gcm(aes))
          key: "0xfedcba9876543210fedcba9876543210fedcba98"
          icv_len: 128
    policies:
      - selector: {src: 10.0.0.1/32, dst: 10.0.0.2/32}
        dir: out
        templates: [{proto: esp, reqid: 1, mode: transport}]
      - selector: {src: 10.0.0.2/32, dst: 10.0.0.1/32}
        dir: in
        templates: [{proto: esp, reqid: 1, mode: transport}]

- name: Tunnel-mode policies between two networks (their SAs come from a key manager)
  netlink.host.nl_xfrm:
    policies:
      - selector: {src: 192.168.1.0/24, dst: 192.168.2.0/24}
        dir: out
        priority: 1000
        templates:
          - {src: 198.51.100.1, dst: 203.0.113.1, proto: esp, reqid: 7, mode: tunnel}
      - selector: {src: 192.168.2.0/24, dst: 192.168.1.0/24}
        dir: fwd
        priority: 1000
        templates:
          - {src: 203.0.113.1, dst: 198.51.100.1, proto: esp, reqid: 7, mode: tunnel}
      - selector: {src: 192.168.2.0/24, dst: 192.168.1.0/24}
        dir: in
        priority: 1000
        templates:
          - {src: 203.0.113.1, dst: 198.51.100.1, proto: esp, reqid: 7, mode: tunnel}

- name: Route-based VPN - policies bound to the xfrm interface with if_id 42
  netlink.host.nl_xfrm:
    policies:
      - selector: {src: 0.0.0.0/0, dst: 0.0.0.0/0}
        dir: out
        if_id: 42
        templates: [{src: 198.51.100.1, dst: 203.0.113.1, reqid: 42, mode: tunnel}]
      - selector: {src: 0.0.0.0/0, dst: 0.0.0.0/0}
        dir: in
        if_id: 42
        templates: [{src: 203.0.113.1, dst: 198.51.100.1, reqid: 42, mode: tunnel}]

- name: Block traffic no policy matches, except forwarded traffic
  netlink.host.nl_xfrm:
    defaults:
      in: block
      out: block
      fwd: allow

- name: Back to the kernel's defaults
  netlink.host.nl_xfrm:
    defaults: {in: allow, out: allow, fwd: allow}

- name: Exactly these policies among those with reqid 7 (other reqid-7 policies go)
  netlink.host.nl_xfrm:
    state: replaced
    policies:
      - selector: {src: 192.168.1.0/24, dst: 192.168.2.0/24}
        dir: out
        priority: 1000
        templates:
          - {src: 198.51.100.1, dst: 203.0.113.1, proto: esp, reqid: 7, mode: tunnel}

- name: Remove a policy
  netlink.host.nl_xfrm:
    state: absent
    policies:
      - selector: {src: 192.168.1.0/24, dst: 192.168.2.0/24}
        dir: out

- name: Everything there is, keys masked
  netlink.host.nl_xfrm:
    state: gathered
  register: ipsec

- name: With the real keys (the result is censored in Ansible's output)
  netlink.host.nl_xfrm:
    state: gathered
    show_keys: true
  register: ipsec_with_keys

- name: Fed back as they are, gathered SAs (with their real keys), policies and defaults change nothing
  netlink.host.nl_xfrm:
    states: "{{ ipsec_with_keys.gathered.states }}"
    policies: "{{ ipsec_with_keys.gathered.policies }}"
    defaults: "{{ ipsec_with_keys.gathered.defaults }}"
'''

RETURN = r'''
# BEGIN generated (confirm) version_added=0.2.0
confirm_id:
  description:
    - With O(confirm_timeout), when the task changed something (not in
      check mode), the id of its pending record; pass it to
      M(netlink.host.nl_confirm), as one of its C(ids), to keep the change.
  returned: when confirm_timeout is set and something changed
  type: str
  sample: 20261130T081257917872Z-465ebb
  version_added: "0.2.0"
confirm_deadline:
  description: With RV(confirm_id), when the change rolls back unless confirmed (UTC, ISO 8601).
  returned: when confirm_timeout is set and something changed
  type: str
  sample: "2026-11-30T08:13:00Z"
  version_added: "0.2.0"
# END generated (confirm)
# BEGIN generated (apply)
write_requests:
  description:
    - Number of netlink write requests sent (V(0) when nothing changed, and always in check mode).
    - When the kernel refuses a request, the undo's requests count too.
  returned: unless state is gathered
  type: int
  sample: 1
undone:
  description:
    - When the kernel refused a request, whether everything the task had already changed was restored exactly, as read
      back after the undo (SAs with their real keys).
    - V(false) whenever anything in RV(undo_failures) is listed.
  returned: when the kernel refused a request
  type: bool
  sample: true
undo_failures:
  description:
    - One entry per object the undo could not restore exactly; empty when RV(undone) is V(true).
  returned: when the kernel refused a request
  type: list
  elements: dict
  contains:
    kind:
      description: The object kind (V(xfrm_state), V(xfrm_policy), V(xfrm_default)).
      type: str
    key:
      description: The object's identity, as the kernel identifies it.
      type: list
    command:
      description: The iproute2 command that would restore it (keys masked).
      type: str
    reason:
      description: Why it is not restored (refused by the kernel, missing, still there, or which fields differ).
      type: str
  sample: []
# END generated (apply)
states:
  description:
    - The listed SAs after the run, as the kernel reads them back, with every field; keys masked.
    - In check mode, only those that would be created or changed, with the fields the task
      gives (a new SA gets the kernel's defaults for the others).
  returned: unless state is gathered
  type: list
  elements: dict
  sample:
    - src: 10.0.0.1
      dst: 10.0.0.2
      proto: esp
      spi: 4096
      mode: transport
      reqid: 1
      aead: {name: rfc4106(gcm(aes)), key: "********", icv_len: 128}
policies:
  description:
    - The listed policies after the run, as the kernel reads them back, with every field.
    - In check mode, only those that would be created or changed, with the fields the task
      gives (a new policy gets the kernel's defaults for the others).
  returned: unless state is gathered
  type: list
  elements: dict
  sample:
    - selector: {src: 10.0.0.1/32, dst: 10.0.0.2/32}
      dir: out
      ptype: main
      action: allow
      priority: 0
      templates: [{src: 0.0.0.0, dst: 0.0.0.0, proto: esp, spi: 0, reqid: 1, mode: transport, level: required}]
defaults:
  description: The default policies after the run.
  returned: when O(defaults) is given
  type: dict
  sample: {in: block, fwd: allow, out: block}
gathered:
  description:
    - With O(state=gathered), C(states), C(policies) and C(defaults) in the input format
      (fields at the kernel's defaults left out); keys masked unless O(show_keys=true).
  returned: state is gathered
  type: dict
  sample: {states: [], policies: [{selector: {src: 10.0.0.1/32, dst: 10.0.0.2/32}, dir: out}],
           defaults: {in: allow, fwd: allow, out: allow}}
diff:
  description:
    - With C(--diff), one before/after entry per changed SA, policy or default; keys masked.
    - When the kernel refuses a request, only the entries of the requests sent until then.
  returned: when diff mode is on and something changed
  type: list
  elements: dict
commands:
  description:
    - The equivalent iproute2 commands of the requests, applied or (in check mode) planned, in order; keys masked.
    - When the kernel refuses a request, only the requests sent until then, in the order
      sent, the refused one marked (see the notes); RV(undone) says whether what they changed was restored.
  returned: unless state is gathered
  type: list
  elements: str
  sample: ["ip xfrm state add src 10.0.0.1 dst 10.0.0.2 proto esp spi 0x00001000 aead 'rfc4106(gcm(aes))' ******** 128
            mode transport reqid 1"]
'''

from ansible_collections.netlink.host.plugins.module_utils.runner.fast_no_log_module import FastNoLogModule
from ansible_collections.netlink.host.plugins.module_utils.runner.module_runner import run
from ansible_collections.netlink.host.plugins.module_utils.specs.xfrm import argument_spec
from ansible_collections.netlink.host.plugins.module_utils.tasks.xfrm import XfrmTask


def build_module():
    # FastNoLogModule: its invocation log is linear in the number of keys
    return FastNoLogModule(argument_spec=argument_spec(), supports_check_mode=True)


def main():
    run(build_module(), XfrmTask())


if __name__ == "__main__":
    main()
