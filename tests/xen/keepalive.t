#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
"""scripts/xen-tier/console_keepalive.py against a fake QEMU console.

The Xen tier relies on it to wake Xen from a lost timer interrupt; a key
typed at the wrong moment would go to dom0's console instead.  This plays
QEMU's COM1 socket: nothing may arrive before Xen's "Serial input to DOM0"
banner (even one split across two reads), then exactly one switch (three
Ctrl-A), then no key until Xen confirms "Serial input to Xen", then Ctrl-B
every period and nothing else; the banner still in the tail of the next
read must not switch again; the keepalive ends when the socket closes.
"""
import os
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPT = os.path.join(HERE, "..", "..", "scripts", "xen-tier",
                      "console_keepalive.py")
n = 0
failed = False


def ok(cond, name):
    global n, failed
    n += 1
    print(("ok" if cond else "not ok") + f" {n} - {name}")
    failed |= not cond


def read(conn, seconds, nbytes=None):
    """What arrives in @seconds, or until @nbytes came (a slow host)."""
    conn.settimeout(0.05)
    got = b""
    end = time.monotonic() + seconds
    while time.monotonic() < end and (nbytes is None or len(got) < nbytes):
        try:
            data = conn.recv(4096 if nbytes is None else nbytes - len(got))
            if not data:
                break
            got += data
        except socket.timeout:
            pass
    return got


def main():
    d = tempfile.mkdtemp(prefix="keepalive.")
    path = os.path.join(d, "com1")
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.bind(path)
    srv.listen(1)
    ka = subprocess.Popen([sys.executable, SCRIPT, path, "--period", "0.2"])
    srv.settimeout(10)
    conn, _ = srv.accept()
    ok(True, "the keepalive connects to the console socket")

    conn.sendall(b"(XEN) booting...\r\n(XEN) *** Serial input to DO")
    ok(read(conn, 0.6) == b"", "nothing is typed before Xen's banner")
    conn.sendall(b"M0 (t")
    got = read(conn, 10, 3)
    ok(got == b"\x01\x01\x01",
       f"one switch after the banner, split across reads ({got!r})")
    # The banner is still in the tail the next read is searched with.
    conn.sendall(b"ype 'CTRL-a' three times to switch input)\r\n")
    got = read(conn, 0.6)
    ok(got == b"", f"no second switch, no key before Xen confirms ({got!r})")
    conn.sendall(b"(XEN) *** Serial input to Xen (t")
    got = read(conn, 10, 3)
    ok(len(got) >= 3 and set(got) == {2},
       f"then Ctrl-B every period and nothing else ({len(got)} bytes)")
    conn.sendall(b"ype 'CTRL-a' three times to switch input)\r\n")
    got = read(conn, 0.5)
    ok(b"\x01" not in got, "the confirmation in the tail switches nothing")
    conn.close()
    try:
        st = ka.wait(timeout=5)
    except subprocess.TimeoutExpired:
        ka.kill()
        st = None
    ok(st == 0, f"it ends when the socket closes (status {st})")
    srv.close()
    os.unlink(path)
    os.rmdir(d)
    print(f"1..{n}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
