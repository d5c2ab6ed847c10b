#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
"""Prove that mpt's fast path makes no indirect call.

Disassembles objects (libmpt.so; mpt.ko and a backend module), starts at
the fast-path functions given with --root and follows every direct call,
tail jump and branch to functions defined in the objects.  Any indirect
call or jump ("call *", "jmp *") or call of a retpoline thunk
(__x86_indirect_thunk_*) on the way fails the check.

Linked objects (libmpt.so) name branch targets in the disassembly.  In
relocatable ones (.ko, .o) a call to another function is a relocation
(R_X86_64_PLT32 sym-0x4, or a section symbol plus offset for a static
function's .cold part), so targets, thunks included, are read from the
relocation.

Functions that end the walk:

  --upcall NAME  the calls into device-model handlers (core/upcall.c):
                 each must contain exactly one indirect call, no more;
  --multi NAME   out-of-line multi-backend dispatch helpers (kernel
                 mpt_multi_*, fnmatch patterns allowed), entered only
                 through a static key while several backends are
                 registered: each must contain exactly one indirect call;
  --sink NAME[=REASON]
                 error-path functions (logging) that the fast path only
                 reaches when something went wrong.

--static-call KEY_PREFIX=FUNC_PREFIX follows a static-call site
(__SCT__<KEY_PREFIX><op>, a direct call patched at registration) into
<FUNC_PREFIX><op>, the function the registered backend puts there, when an
object defines it.  Calls leaving the objects (libc through the PLT, the
kernel's exports) are listed, not followed.  Prints TAP; exits 1 if any
check failed.
"""
import argparse
import fnmatch
import re
import subprocess
import sys

SECTION_RE = re.compile(r"^Disassembly of section (\S+):$")
FUNC_RE = re.compile(r"^([0-9a-f]+) <([^>]+)>:$")
INSN_RE = re.compile(r"^\s*([0-9a-f]+):\s*(.*)$")
# A branch: call, jmp or a conditional jump, with the target objdump shows.
BRANCH_RE = re.compile(r"^(?:(?:bnd|notrack)\s+)?(call|jmp|j[a-z]{1,3})\s+"
                       r"(?:[0-9a-f]+ <([^>+]+)(\+0x[0-9a-f]+)?>)?")
RELOC_RE = re.compile(r"R_X86_64_(?:PLT32|PC32)\s+([^\s+-]+)([+-]0x[0-9a-f]+)?")
INDIRECT_INSN_RE = re.compile(r"\b(call|jmp)\s+\*")
THUNK_RE = re.compile(r"__x86_indirect_(call_|jump_)?thunk")


class Obj:
    """The functions of one object: name -> [(insn text, reloc target)]."""

    def __init__(self, path):
        self.path = path
        self.funcs = {}  # name -> [(address, insn, reloc)]
        self.section = {}  # name -> section
        self.starts = {}  # section -> sorted [(offset, function)]
        out = subprocess.run(["objdump", "-dr", "--no-show-raw-insn", "-w", path],
                             check=True, capture_output=True, text=True).stdout
        section, cur = None, None
        for line in out.splitlines():
            m = SECTION_RE.match(line)
            if m:
                section, cur = m.group(1), None
                continue
            m = FUNC_RE.match(line.strip())
            if m:
                cur = m.group(2)
                self.funcs[cur] = []
                self.section[cur] = section
                self.starts.setdefault(section, []).append((int(m.group(1), 16), cur))
                continue
            m = INSN_RE.match(line)
            if cur and m and line.startswith(" "):
                insn, _, reloc = m.group(2).partition("\t")
                self.funcs[cur].append((int(m.group(1), 16), insn.strip(), reloc.strip()))
        for s in self.starts.values():
            s.sort()
        self.jump_labels = self._jump_labels()

    def _jump_labels(self):
        """[(key, section, code, target)] of __jump_table (relocatable objects).

        An entry is {s32 code, s32 target, long key}, 16 bytes, each a
        relocation against a section (or symbol) plus offset."""
        out = subprocess.run(["objdump", "-r", "-j", "__jump_table", self.path],
                             capture_output=True, text=True).stdout
        fields = {}
        for line in out.splitlines():
            m = re.match(r"^([0-9a-f]+)\s+R_X86_64_PC(?:32|64)\s+([^\s+-]+)([+-]0x[0-9a-f]+)?$",
                         line.strip())
            if m:
                off = int(m.group(1), 16)
                fields[off] = (m.group(2), int(m.group(3) or "0", 16))
        labels = []
        for base in sorted(o for o in fields if o % 16 == 0):
            code, target, key = (fields.get(base + i) for i in (0, 4, 8))
            if code and target and key and code[0] == target[0]:
                labels.append((key[0], code[0], code[1], target[1]))
        return labels

    def at(self, section, offset):
        """The function containing @offset of @section, or None."""
        best = None
        for start, name in self.starts.get(section, []):
            if start > offset:
                break
            best = name
        return best


def behind_jump_label(obj, func, addr, key):
    """Whether the instruction at @addr of @func is reached only from a
    jump label (static branch) on @key: it ends a straight run of
    non-branch instructions starting at the label's target."""
    sec = obj.section.get(func)
    for k, lsec, _, target in obj.jump_labels:
        if k != key or lsec != sec or target > addr:
            continue
        run = [i for a, i, r in obj.funcs[func] if target <= a < addr]
        if run and not any(BRANCH_RE.match(i) for i in run):
            return True
    return False


def branch_target(obj, insn, reloc):
    """(kind, target) of a branch instruction, or None if not a branch.

    kind is "indirect", "call" (a function, possibly outside the objects)
    or "local" (inside the same function)."""
    m = BRANCH_RE.match(insn)
    if not m:
        return None
    if INDIRECT_INSN_RE.search(insn):
        return ("indirect", insn)
    r = RELOC_RE.search(reloc) if reloc else None
    if r:
        sym, add = r.group(1), int(r.group(2) or "0", 16)
        if THUNK_RE.search(sym):
            return ("indirect", "%s -> %s" % (insn, sym))
        if sym.startswith("."):  # section symbol: a static function's part
            name = obj.at(sym, add + 4)
            return ("call", name) if name else None
        return ("call", sym)
    if m.group(2) is None:
        return None
    target = m.group(2)
    if THUNK_RE.search(target):
        return ("indirect", insn)
    if target.endswith("@plt"):
        return ("call", target)
    return ("call", target)


class World:
    def __init__(self, paths, static_calls, multi=(), multi_key=None):
        self.objs = [Obj(p) for p in paths]
        self.static_calls = static_calls
        self.multi = multi
        self.multi_key = multi_key

    def lookup(self, obj, name):
        """(obj, name) defining @name, preferring @obj (static functions)."""
        if name in obj.funcs:
            return obj
        for o in self.objs:
            if name in o.funcs:
                return o
        return None

    def find(self, name):
        return self.lookup(self.objs[0], name)

    def walk(self, root, enders):
        """Return (reached, indirect, external, static calls, gated and
        ungated branches to multi-backend helpers) for one root."""
        seen, stack = set(), [(self.find(root), root)]
        indirect, external, sc, gated, ungated = [], set(), set(), set(), []
        while stack:
            obj, f = stack.pop()
            if (obj.path, f) in seen:
                continue
            seen.add((obj.path, f))
            if any(fnmatch.fnmatchcase(f, e) for e in enders):
                continue
            for addr, insn, reloc in obj.funcs.get(f, []):
                b = branch_target(obj, insn, reloc)
                if not b:
                    continue
                kind, target = b
                if kind == "indirect":
                    indirect.append("%s: %s" % (f, target))
                    continue
                if target == f:
                    continue
                if self.multi_key and any(fnmatch.fnmatchcase(target, m)
                                          for m in self.multi):
                    if behind_jump_label(obj, f, addr, self.multi_key):
                        gated.add("%s -> %s" % (f, target))
                    else:
                        ungated.append("%s: %s not behind a jump label on %s" % (
                            f, target, self.multi_key))
                if target.endswith("@plt"):
                    external.add(target[:-4])
                    continue
                for key, func in self.static_calls:
                    if target.startswith("__SCT__" + key):
                        bound = func + target[len("__SCT__" + key):]
                        o = self.lookup(obj, bound)
                        sc.add("%s -> %s" % (target[len("__SCT__"):],
                                             bound if o else "(not in the objects)"))
                        if o:
                            stack.append((o, bound))
                o = self.lookup(obj, target)
                if o:
                    stack.append((o, target))
                else:
                    external.add(target)
        return {f for _, f in seen}, indirect, external, sc, gated, ungated

    def count_indirect(self, name):
        obj = self.find(name)
        if not obj:
            return None
        n = 0
        for _, insn, reloc in obj.funcs[name]:
            b = branch_target(obj, insn, reloc)
            n += bool(b and b[0] == "indirect")
        return n

    def names(self, pattern):
        return sorted({f for o in self.objs for f in o.funcs
                       if fnmatch.fnmatchcase(f, pattern)})


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--object", action="append", required=True,
                    help="object to analyse; several are one world (mpt.ko "
                         "and a backend module); roots are in the first")
    ap.add_argument("--root", action="append", default=[])
    ap.add_argument("--upcall", action="append", default=[])
    ap.add_argument("--multi", action="append", default=[])
    ap.add_argument("--multi-key", metavar="SYMBOL",
                    help="static key every branch to a --multi helper must "
                         "sit behind (a jump label, checked in __jump_table)")
    ap.add_argument("--sink", action="append", default=[])
    ap.add_argument("--static-call", action="append", default=[],
                    metavar="KEY_PREFIX=FUNC_PREFIX")
    ap.add_argument("--negative", metavar="OBJECT",
                    help="a build that must be flagged (table dispatch): "
                         "proves the check can fail")
    args = ap.parse_args()

    static_calls = [tuple(s.split("=", 1)) for s in args.static_call]
    world = World(args.object, static_calls, args.multi, args.multi_key)
    sinks = [s.split("=", 1)[0] for s in args.sink]
    enders = set(args.upcall) | set(args.multi) | set(sinks)
    results = []
    for root in args.root:
        if not world.find(root):
            results.append((False, "%s: root not found in %s" % (root, args.object[0]), []))
            continue
        seen, indirect, external, sc, gated, ungated = world.walk(root, enders)
        notes = ["reached: %s" % ", ".join(sorted(seen))]
        if sc:
            notes.append("static calls: %s" % ", ".join(sorted(sc)))
        if gated:
            notes.append("behind the %s jump label: %s" % (
                args.multi_key, ", ".join(sorted(gated))))
        if external:
            notes.append("leaves the objects for: %s" % ", ".join(sorted(external)))
        notes += ["indirect: %s" % i for i in indirect]
        notes += ["ungated: %s" % u for u in ungated]
        results.append((not indirect and not ungated,
                        "%s: no indirect call on the fast path (%d functions)" % (root, len(seen)),
                        notes))
    for up in args.upcall:
        n = world.count_indirect(up)
        results.append((n == 1,
                        "%s: exactly one indirect call, into the device model (found %s)" % (
                            up, "no such function" if n is None else n),
                        []))
    for pattern in args.multi:
        names = world.names(pattern)
        if not names:
            results.append((False, "%s: no multi-backend helper matches" % pattern, []))
        for name in names:
            n = world.count_indirect(name)
            results.append((n == 1,
                            "%s: exactly one indirect call, the instance's own ops "
                            "table (multi-backend, behind a static key; found %d)" % (name, n),
                            []))
    if args.multi_key:
        sites, bad = 0, []
        for obj in world.objs:
            for f, insns in obj.funcs.items():
                for addr, insn, reloc in insns:
                    b = branch_target(obj, insn, reloc)
                    if not b or b[0] != "call" or not any(
                            fnmatch.fnmatchcase(b[1], m) for m in args.multi):
                        continue
                    sites += 1
                    if not behind_jump_label(obj, f, addr, args.multi_key):
                        bad.append("%s+0x%x -> %s" % (f, addr, b[1]))
        results.append((sites and not bad,
                        "every branch to a multi-backend helper (%d) is behind a "
                        "jump label on %s" % (sites, args.multi_key),
                        ["not behind one: %s" % b for b in bad]))
    for s in args.sink:
        name, _, why = s.partition("=")
        results.append((world.find(name) is not None,
                        "%s: sink, not followed%s" % (name, ": " + why if why else ""), []))

    if args.negative:
        neg = World([args.negative], static_calls)
        flagged = [r for r in args.root
                   if neg.find(r) and neg.walk(r, enders)[1]]
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
