#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
"""Prove that mpt's fast path makes no indirect call.

Disassembles an object (libmpt.so, later mpt.ko), starts at the fast-path
functions given with --root and follows every direct call and tail jump to
functions defined in the object.  Any indirect call or jump ("call *",
"jmp *") or call of a retpoline thunk (__x86_indirect_thunk_*) on the way
fails the check.  Two kinds of functions end the walk:

  --upcall NAME  the calls into device-model handlers (core/upcall.c):
                 each must contain exactly one indirect call, no more;
  --sink NAME    error-path functions (logging) that the fast path only
                 reaches when something went wrong; named with a reason.

Calls leaving the object (libc through the PLT) are listed, not followed.
Prints TAP; exits 1 if any check failed.
"""
import argparse
import re
import subprocess
import sys

FUNC_RE = re.compile(r"^([0-9a-f]+) <([^>]+)>:$")
BRANCH_RE = re.compile(r"\b(call|jmp)\s+[0-9a-f]+ <([^>+]+)(\+0x[0-9a-f]+)?>")
INDIRECT_RE = re.compile(r"\b(call|jmp)\s+\*|__x86_indirect_thunk|__x86_indirect_call_thunk")


def disassemble(path):
    out = subprocess.run(["objdump", "-d", "--no-show-raw-insn", "-w", path],
                         check=True, capture_output=True, text=True).stdout
    funcs, cur = {}, None
    for line in out.splitlines():
        m = FUNC_RE.match(line.strip())
        if m:
            cur = m.group(2)
            funcs[cur] = []
        elif cur and line.startswith(" "):
            funcs[cur].append(line.strip())
    return funcs


def walk(funcs, root, upcalls, sinks):
    """Return (reached, indirect, external, errors) for one root."""
    seen, stack = set(), [root]
    indirect, external = [], set()
    while stack:
        f = stack.pop()
        if f in seen:
            continue
        seen.add(f)
        if f in upcalls or f in sinks:
            continue
        for insn in funcs.get(f, []):
            if INDIRECT_RE.search(insn):
                indirect.append("%s: %s" % (f, insn))
                continue
            m = BRANCH_RE.search(insn)
            if not m:
                continue
            target = m.group(2)
            if target.endswith("@plt"):
                external.add(target[:-4])
            elif target != f and target in funcs:
                stack.append(target)
    return seen, indirect, external


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--object", required=True)
    ap.add_argument("--root", action="append", default=[])
    ap.add_argument("--upcall", action="append", default=[])
    ap.add_argument("--sink", action="append", default=[])
    ap.add_argument("--negative", metavar="OBJECT",
                    help="a build that must be flagged (table dispatch): "
                         "proves the check can fail")
    args = ap.parse_args()

    funcs = disassemble(args.object)
    results = []
    for root in args.root:
        if root not in funcs:
            results.append((False, "%s: root not found in %s" % (root, args.object), []))
            continue
        seen, indirect, external = walk(funcs, root, set(args.upcall), set(args.sink))
        notes = ["reached: %s" % ", ".join(sorted(seen))]
        if external:
            notes.append("leaves the object (PLT) for: %s" % ", ".join(sorted(external)))
        notes += ["indirect: %s" % i for i in indirect]
        results.append((not indirect,
                        "%s: no indirect call on the fast path (%d functions)" % (root, len(seen)),
                        notes))
    for up in args.upcall:
        n = sum(1 for insn in funcs.get(up, []) if INDIRECT_RE.search(insn))
        results.append((up in funcs and n == 1,
                        "%s: exactly one indirect call, into the device model (found %d)" % (up, n),
                        []))

    if args.negative:
        neg = disassemble(args.negative)
        flagged = [r for r in args.root
                   if walk(neg, r, set(args.upcall), set(args.sink))[1]]
        results.append((bool(flagged),
                        "negative control %s is flagged (%s)" % (
                            args.negative, ", ".join(flagged) or "nothing"),
                        []))

    failed = 0
    for i, (passed, name, notes) in enumerate(results, 1):
        print("%sok %d - %s" % ("" if passed else "not ", i, name))
        for n in notes:
            print("#   " + n)
        failed += not passed
    print("1..%d" % len(results))
    return 1 if failed or not results else 0


if __name__ == "__main__":
    sys.exit(main())
