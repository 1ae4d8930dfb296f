"""Ansible documentation markup -> Markdown, for docs/generate.py.

It reads markup the way antsibull-docs-parser (the docsite) and ansible-doc
read it, so docs/modules/ shows what they show:

- O(), V(), RV(), E() and P() take escapes: a backslash makes the next
  character literal (``V(cbc(aes\\))`` is the value ``cbc(aes)``; ``\\\\`` is
  one backslash) and the first unescaped ``)`` closes the command.
- Every other command (C(), I(), B(), M(), U(), L()) has no escapes: its
  argument ends at the first ``)``. A ``)`` cannot appear in a C() value;
  write it as V() instead.

The text itself is copied as it is: YAML has already dealt with its own
quoting by the time the markup is read (in a double-quoted YAML scalar the
escape ``\\)`` of the markup must be written ``\\\\)``).
"""
import re

# a command name followed by "(", or the one command without arguments
_COMMAND = re.compile(r"\b(RV|[LUIBCVOEMP])\(|\bHORIZONTALLINE\b")
_ESCAPED = frozenset(("O", "V", "RV", "E", "P"))
# O(ns.coll.plugin#type:name), RV(...) likewise
_OF_PLUGIN = re.compile(r"^[^.#]+\.[^.#]+\.[^#]+#[a-z]+:(.*)$")


def _escaped_argument(value, start):
    """The argument of an escaping command starting at ``start``, unescaped,
    and the index after its closing ``)``; (None, start) if it never closes."""
    out = []
    index = start
    while index < len(value):
        char = value[index]
        if char == "\\" and index + 1 < len(value):
            out.append(value[index + 1])
            index += 2
        elif char == ")":
            return "".join(out), index + 1
        else:
            out.append(char)
            index += 1
    return None, start


def _plain_argument(value, start):
    end = value.find(")", start)
    if end < 0:
        return None, start
    return value[start:end], end + 1


def code(value):
    """A Markdown code span holding ``value`` exactly: the fence is one
    backtick longer than the longest run of backticks inside it."""
    longest = max((len(run) for run in re.findall(r"`+", value)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if longest else ""
    return "%s%s%s%s%s" % (fence, pad, value, pad, fence)


def _render(command, argument):
    if command == "L":
        label, _comma, url = argument.partition(",")
        return "[%s](%s)" % (label.strip(), url.strip())
    if command == "U":
        return "<%s>" % argument
    if command == "I":
        return "*%s*" % argument
    if command == "B":
        return "**%s**" % argument
    if command == "P":  # P(fqcn#type): the plugin's name
        return code(argument.partition("#")[0])
    if command in ("O", "RV"):
        return code(option_name(argument))
    return code(argument)


def option_name(argument):
    """What O() and RV() show: the name without the plugin it belongs to
    (``ns.coll.plugin#type:name``) or the ``ignore:`` marker, as the
    docsite shows it (there as a link to that plugin's option)."""
    match = _OF_PLUGIN.match(argument)
    if match:
        return match.group(1)
    return argument[len("ignore:"):] if argument.startswith("ignore:") else argument


def to_markdown(value):
    """One documentation string (semantic or classic markup) as Markdown."""
    out = []
    index = 0
    while True:
        match = _COMMAND.search(value, index)
        if match is None:
            out.append(value[index:])
            return "".join(out)
        out.append(value[index:match.start()])
        command = match.group(1)
        if command is None:
            out.append("---")
            index = match.end()
            continue
        read = _escaped_argument if command in _ESCAPED else _plain_argument
        argument, end = read(value, match.end())
        if argument is None:  # never closed: the text stays as written
            out.append(match.group(0))
            index = match.end()
            continue
        out.append(_render(command, argument))
        index = end
