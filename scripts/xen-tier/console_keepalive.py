#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
"""Keep Xen's CPU from sleeping through a lost timer interrupt.

Under QEMU 7.2's TCG, Xen 4.17 sometimes halts and never gets its timer
interrupt: the vector is pending in the LAPIC's IRR, deliverable, but QEMU
never signals it to the halted CPU.  Every domain waits, QEMU sits at 0%
CPU, and the next interrupt of any kind (a key on the serial console)
makes the APIC look again and wakes it, after which Xen reports "Platform
timer appears to have unexpectedly wrapped".  This connects to the Xen tier's COM1 socket,
switches the console's input to Xen (three Ctrl-A) and types a key with no
handler (Ctrl-B) every --period seconds, so a lost wakeup costs at most that.
Nothing is typed before Xen says its input is Xen's, so dom0's console
never gets a key.
It reads and discards what the console sends (QEMU's logfile keeps it), and
ends when QEMU closes the socket.  Documentation/xen.rst, "Running Xen under TCG".

    console_keepalive.py SOCKET [--period S] [--wait S]
"""
import argparse
import select
import socket
import sys
import time

SWITCH_TO_XEN = b"\x01\x01\x01"
NO_HANDLER_KEY = b"\x02"  # Ctrl-B: Xen binds printable keys only


def connect(path, wait):
    deadline = time.monotonic() + wait
    while True:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            s.connect(path)
            return s
        except OSError:
            s.close()
            if time.monotonic() > deadline:
                return None
            time.sleep(0.2)


class Console:
    """The socket, and which side (dom0 or Xen) gets the console's input."""

    def __init__(self, s):
        self.s = s
        self.tail = b""
        self.to_xen = False

    def read_for(self, seconds):
        """Read for @seconds, following Xen's input banners; False at EOF."""
        end = time.monotonic() + seconds
        while True:
            left = end - time.monotonic()
            if left <= 0:
                return True
            ready, _, _ = select.select([self.s], [], [], left)
            if not ready:
                continue
            data = self.s.recv(65536)
            if not data:
                return False
            self.follow(self.tail + data, len(self.tail))
            self.tail = (self.tail + data)[-64:]

    def follow(self, text, old):
        # Xen says where input goes whenever it changes: to dom0 at the
        # end of its boot (then it can take the switch), to Xen after.
        # Only banners ending past @old bytes of @text are new.
        at_dom0 = newest(text, b"Serial input to DOM0", old)
        at_xen = newest(text, b"Serial input to Xen", old)
        if at_dom0 > at_xen:
            self.to_xen = False
            self.s.sendall(SWITCH_TO_XEN)
        elif at_xen > at_dom0:
            self.to_xen = True


def newest(text, banner, old):
    i = text.rfind(banner)
    return i if i >= 0 and i + len(banner) > old else -1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("socket")
    ap.add_argument("--period", type=float, default=1.0)
    ap.add_argument("--wait", type=float, default=30.0)
    args = ap.parse_args()
    s = connect(args.socket, args.wait)
    if not s:
        print(f"console_keepalive: no socket {args.socket}", file=sys.stderr)
        return 1
    con = Console(s)
    try:
        while con.read_for(args.period):
            if con.to_xen:
                s.sendall(NO_HANDLER_KEY)
    except OSError:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
