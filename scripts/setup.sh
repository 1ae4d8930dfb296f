#!/usr/bin/env bash
# Prepare this machine to run the tests and the demo.  Idempotent: a second
# run changes nothing and takes about a second.
#
#  - Debian packages the tests use (iproute2 for `ip`, iputils-ping for
#    `ping`, shellcheck for sanity, openssh-server and -client for the
#    commit-confirmed lock-out test, systemd for systemd-analyze), installed
#    with apt-get only when missing.
#  - One virtualenv per tested ansible-core line, inside the checkout:
#      .venv-2.19  ansible-core 2.19 on Python 3.11
#      .venv-2.21  ansible-core 2.21 on Python 3.13
#    each with the pinned tests/requirements-<line>.txt, and
#      .venv-tools the ecosystem's checkers (galaxy-importer, antsibull-docs,
#                  antsibull-changelog, ansible-lint) on Python 3.11, pinned in
#                  tests/requirements-tools.txt (their own venv: their
#                  dependency ranges must not move the tested lines' pins).
#    A stamp file in each venv holds the hash of the requirements it was
#    built from; the venv is reused while that hash matches and rebuilt when
#    it does not.
#  - The collection import path .build/collections/ansible_collections/
#    netlink/host -> the checkout (the same link conftest.py makes).
#
# Override the interpreters with PYTHON_2_19=/path/python3 PYTHON_2_21=...
# PYTHON_TOOLS=...
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

log() { printf 'setup: %s\n' "$*"; }

# --- Debian packages ---------------------------------------------------------
need_pkgs=()
command -v ip >/dev/null 2>&1 || need_pkgs+=(iproute2)
command -v ping >/dev/null 2>&1 || need_pkgs+=(iputils-ping)
# ansible-test's shellcheck sanity test is skipped, not failed, without it
command -v shellcheck >/dev/null 2>&1 || need_pkgs+=(shellcheck)
# commit-confirmed's lock-out test: sshd in a namespace, ssh from another
{ [ -x /usr/sbin/sshd ] && command -v ssh >/dev/null 2>&1; } || need_pkgs+=(openssh-server openssh-client)
# systemd-analyze verify checks netlink-host.service (tests/integration/host_cli)
command -v systemd-analyze >/dev/null 2>&1 || need_pkgs+=(systemd)
if [ ${#need_pkgs[@]} -gt 0 ]; then
    if [ "$(id -u)" -ne 0 ]; then
        log "missing ${need_pkgs[*]} and not root: install them, then rerun" >&2
        exit 1
    fi
    log "installing ${need_pkgs[*]}"
    export DEBIAN_FRONTEND=noninteractive
    # Installing openssh-server must not start an sshd in the machine's own
    # namespace: without a policy-rc.d, one that refuses every start (101)
    # stands in during the install.
    own_policy=
    if [ ! -e /usr/sbin/policy-rc.d ]; then
        printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
        chmod 755 /usr/sbin/policy-rc.d
        own_policy=1
    fi
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${need_pkgs[@]}" >/dev/null
    [ -z "$own_policy" ] || rm -f /usr/sbin/policy-rc.d
fi

# --- virtualenvs ---------------------------------------------------------------
# requirements hash: the line's own file plus the files it includes (-r)
req_hash() {
    local f="tests/requirements-$1.txt" inc
    {
        cat "$f"
        sed -n 's/^-r  *//p' "$f" | while read -r inc; do cat "tests/$inc"; done
    } | sha256sum | cut -d' ' -f1
}

make_venv() {  # make_venv <line> <python>
    local line=$1 py=$2 venv=".venv-$1"
    local stamp="$venv/.requirements.sha256" want
    want="$(req_hash "$line") $("$py" -c 'import sys; print(sys.version.split()[0])')"
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -x "$venv/bin/python" ]; then
        log "$venv up to date (ansible-core $("$venv/bin/python" -c 'import ansible; print(ansible.__version__)'))"
        return 0
    fi
    [ -x "$py" ] || { log "interpreter $py for ansible-core $line not found" >&2; return 1; }
    log "building $venv with $py"
    rm -rf "$venv"
    "$py" -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
        -r "tests/requirements-$line.txt"
    # only a complete install gets a stamp, so an interrupted run is redone
    printf '%s\n' "$want" > "$stamp"
    log "$venv ready (ansible-core $("$venv/bin/python" -c 'import ansible; print(ansible.__version__)'))"
}

make_venv 2.19 "${PYTHON_2_19:-/root/.pyenv/versions/3.11.7/bin/python3}"
make_venv 2.21 "${PYTHON_2_21:-/root/.pyenv/versions/3.13.0/bin/python3}"
make_venv tools "${PYTHON_TOOLS:-/root/.pyenv/versions/3.11.7/bin/python3}"

# --- pip bootstrap for ansible-test sanity ------------------------------------
# `ansible-test sanity` builds one virtualenv per sanity test under
# ~/.ansible/test/venv (with ansible-test's own == pinned requirements), created
# --without-pip and bootstrapped by a get-pip script that it downloads from
# ci-files.testing.ansible.com -- a host these machines cannot resolve.  Its
# error message offers the way out: save the script at
# ~/.ansible/test/cache/get_pip_<ver>.py.  We save an equivalent one: it runs
# pip from the official wheel of exactly that version, fetched from PyPI with
# the ordinary client and checked against the sha256 below, and performs the
# same `pip install --upgrade --force-reinstall pip==<ver>` get-pip would.
declare -A PIP_WHEEL_SHA256=(
    [24.2]=2cd581cf58ab7fcfca4ce8efa6dcacd0de5bf8d0a3eb9ec927e07405f4d9e2a2  # ansible-core 2.19
    [25.2]=6d67a2b4e7f14d8b31b8b52648866fa717f45a1eb70e83002f4331d07e953717  # ansible-core 2.21
)
at_cache="$HOME/.ansible/test/cache"
for line in 2.19 2.21; do
    reqpy=$(".venv-$line/bin/python" -c 'import ansible_test, os; print(os.path.join(os.path.dirname(ansible_test.__file__), "_internal", "python_requirements.py"))')
    pipver=$(sed -n "s/^ *pip='\([0-9.]*\)',\$/\1/p" "$reqpy" | head -n1)
    sha=${PIP_WHEEL_SHA256[$pipver]:-}
    if [ -z "$sha" ]; then
        log "ansible-test of ansible-core $line bootstraps pip '$pipver': add its wheel sha256 to scripts/setup.sh" >&2
        exit 1
    fi
    script="$at_cache/get_pip_${pipver//./_}.py"
    wheel="$at_cache/pip-$pipver-py3-none-any.whl"
    [ -f "$script" ] && [ -f "$wheel" ] && continue
    mkdir -p "$at_cache"
    if ! { [ -f "$wheel" ] && echo "$sha  $wheel" | sha256sum --check --status; }; then
        tmp=$(mktemp -d)
        ".venv-$line/bin/python" -m pip download --quiet --disable-pip-version-check \
            --no-deps --only-binary=:all: -d "$tmp" "pip==$pipver"
        echo "$sha  $tmp/pip-$pipver-py3-none-any.whl" | sha256sum --check --status || {
            log "pip $pipver wheel from the index does not match its pinned sha256" >&2; exit 1; }
        mv "$tmp/pip-$pipver-py3-none-any.whl" "$wheel"
        rm -rf "$tmp"
    fi
    cat > "$script.tmp" <<EOF
# Stand-in for ansible-test's get-pip $pipver bootstrap, written by
# netlink.host scripts/setup.sh: runs pip $pipver from its official wheel
# (sha256 $sha) to install the packages ansible-test asks for.
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "pip-$pipver-py3-none-any.whl"))
from pip._internal.cli.main import main  # noqa: E402

# get-pip's own flags; pip itself would reject them
args = [a for a in sys.argv[1:] if a not in ("--no-setuptools", "--no-wheel")]
sys.exit(main(["install", "--upgrade", "--force-reinstall"] + args))
EOF
    mv "$script.tmp" "$script"
    log "ansible-test pip $pipver bootstrap ready in $at_cache"
done

# --- collection import path (as conftest.py) -----------------------------------
link=.build/collections/ansible_collections/netlink/host
mkdir -p "$(dirname "$link")"
if [ ! -L "$link" ]; then
    ln -s "$ROOT" "$link"
elif [ "$(readlink "$link")" != "$ROOT" ]; then
    ln -sfn "$ROOT" "$link"
fi
log "done"
