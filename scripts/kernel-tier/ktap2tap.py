#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
"""Judge one boot of the kernel tier and say so in TAP, for prove.

    ktap2tap.py --ktap ktap.log --console console.log --status S
                [--timeout T] [--tests N] [--start K]

The guest's KTAP (ktap.log, from its second serial port) becomes TAP: every
result at every depth is one TAP test, named by its path ("load_orders:
modprobe mpt mpt_sim"), skips stay skips, diagnostics stay diagnostics.
The KTAP itself is checked: a version line, a plan at every level that its
results match, results numbered 1..N, no subtest without a result line, no
parent reported ok over a failed subtest, N top-level tests when --tests N
is given.  Then the run: QEMU ended by itself (status 0; 124 is the
host's timeout), the guest reached the end of its tests, no kernel panic,
and the console (console.log: the boot log and every kernel message after)
has none of: BUG:, kernel BUG at, the slab checker's BUG reports,
WARNING:, Oops, Call Trace, general protection, gave up waiting.

TAP numbers start at K + 1 (the caller's own results come first); the plan
comes last.  Exit status 0 when everything passed, 1 otherwise.
"""
import argparse
import re
import sys

RESULT = re.compile(r'^(not )?ok\s+(\d+)\b\s*(?:-\s*)?(.*)$')
PLAN = re.compile(r'^1\.\.(\d+)\s*(?:#\s*(.*))?$')
VERSION = re.compile(r'^K?TAP version \d+')
SUBTEST = re.compile(r'^#\s*Subtest:\s*(.*)$')
END_MARK = '# ktier: end of tests'
# What no line of the console may say: the kernel's bug reports (BUG:,
# kernel BUG at, the slab checker's "BUG <cache> (<taint>): ..."),
# warnings, oopses, traces, faults, and the 30-second stall of a module
# load waiting for another one's init.
CONSOLE_BAD = re.compile(r'BUG:|kernel BUG at|BUG \S+ \(.*\): |WARNING:|Oops|'
                         r'Call Trace|general protection|gave up waiting')
PANIC = 'Kernel panic'
# With --xen, the hypervisor's own reports on the same console: a panic,
# a fatal fault, an assertion, a BUG or WARN in Xen, a crashed domain.
XEN_BAD = re.compile(r'Panic on CPU|FATAL (PAGE FAULT|TRAP)|Assertion .* failed|'
                     r'Xen BUG at|Xen WARN at|\(XEN\) .*[Cc]rash(ed)?\b')


class Frame:
    """One KTAP (sub)document: a plan, results and diagnostics in order."""

    def __init__(self, depth, line=0):
        self.depth = depth
        self.line = line
        self.name = None
        self.plan = None
        self.plan_directive = ''
        self.items = []         # ('diag', text) | ('result', Result)

    def results(self):
        return [it for kind, it in self.items if kind == 'result']

    def empty(self):
        return self.plan is None and not self.items


class Result:
    def __init__(self, ok, num, desc, directive, line):
        self.ok = ok
        self.num = num
        self.desc = desc
        self.directive = directive
        self.line = line
        self.child = None

    def skipped(self):
        return self.directive.upper().startswith('SKIP')

    def todo(self):
        return self.directive.upper().startswith('TODO')


def split_directive(text):
    """'desc # directive' -> (desc, directive)."""
    text = text.strip()
    if text.startswith('#'):
        return '', text[1:].strip()
    i = text.find(' # ')
    if i < 0:
        return text, ''
    return text[:i].strip(), text[i + 3:].strip()


def parse(lines):
    """The KTAP document in lines: its top frame and the structural errors."""
    errors = []
    root = Frame(0)
    stack = [root]
    pending = {}        # depth -> finished subtest waiting for its result

    def orphan(f, why):
        errors.append('subtest %s (line %d) %s' %
                      (f.name or '?', f.line, why))

    versions = 0
    for no, raw in enumerate(lines, 1):
        line = raw.rstrip('\r\n').replace('\t', '    ')
        text = line.lstrip(' ')
        if not text:
            continue
        depth = (len(line) - len(text)) // 4
        while len(stack) - 1 > depth:
            f = stack.pop()
            d = len(stack) - 1
            if d in pending:
                orphan(pending[d], 'has no result line')
            pending[d] = f
        while len(stack) - 1 < depth:
            d = len(stack) - 1
            if d in pending:
                orphan(pending.pop(d), 'has no result line')
            stack.append(Frame(len(stack), no))
        frame = stack[-1]
        starts = VERSION.match(text) or SUBTEST.match(text)
        if starts and depth > 0 and (frame.plan is not None or
                                     frame.results() or
                                     (SUBTEST.match(text) and frame.name)):
            orphan(frame, 'has no result line')
            frame = stack[-1] = Frame(depth, no)
        if VERSION.match(text):
            if depth == 0:
                versions += 1
                if versions > 1:
                    errors.append('line %d: a second KTAP document' % no)
            continue
        m = SUBTEST.match(text)
        if m:
            frame.name = m.group(1).strip()
            frame.line = no
            continue
        m = PLAN.match(text)
        if m:
            if frame.plan is not None:
                errors.append('line %d: a second plan' % no)
            frame.plan = int(m.group(1))
            frame.plan_directive = m.group(2) or ''
            continue
        m = RESULT.match(text)
        if m:
            desc, directive = split_directive(m.group(3))
            r = Result(not m.group(1), int(m.group(2)), desc, directive, no)
            r.child = pending.pop(depth, None)
            frame.items.append(('result', r))
            continue
        if text.startswith('#'):
            # between a subtest and its result line: print it with the
            # subtest, in document order
            pending.get(depth, frame).items.append(
                ('diag', text.lstrip('#').strip()))
    while len(stack) > 1:
        f = stack.pop()
        if not f.empty():
            orphan(f, 'never finished (no result line: the guest stopped?)')
    for f in pending.values():
        orphan(f, 'never finished (no result line: the guest stopped?)')
    if versions == 0:
        errors.append('no "KTAP version" line: the guest wrote no KTAP')
    return root, errors


class Tap:
    def __init__(self, start):
        self.n = start
        self.failed = []

    def ok(self, good, desc, directive=''):
        self.n += 1
        line = '%s %d - %s' % ('ok' if good else 'not ok', self.n, desc)
        if directive:
            line += ' # ' + directive
        print(line)
        if not good and not directive.upper().startswith('TODO'):
            self.failed.append(desc)

    @staticmethod
    def diag(text):
        for line in text.splitlines() or ['']:
            print('# ' + line if line else '#')


def failed_below(frame):
    for r in frame.results():
        if not r.ok and not r.skipped() and not r.todo():
            return True
        if r.child and failed_below(r.child):
            return True
    return False


def emit(frame, path, tap, errors):
    """TAP for frame's results, children first, in document order."""
    where = path or 'top level'
    if frame.plan is None:
        errors.append('%s: no plan' % where)
    results = frame.results()
    nums = [r.num for r in results]
    if nums != list(range(1, len(nums) + 1)):
        errors.append('%s: results numbered %s, not 1..%d in order' %
                      (where, nums, len(nums)))
    if frame.plan is not None and frame.plan != len(results):
        errors.append('%s: plan 1..%d but %d results' %
                      (where, frame.plan, len(results)))
    if frame.plan == 0 and frame.plan_directive:
        tap.diag('%s: %s' % (where, frame.plan_directive))
    for kind, it in frame.items:
        if kind == 'diag':
            tap.diag(it)
            continue
        name = (path + ': ' if path else '') + (it.desc or '#%d' % it.num)
        if it.child:
            emit(it.child, name, tap, errors)
            if it.ok and not it.skipped() and failed_below(it.child):
                errors.append('%s: reported ok, but a subtest failed' % name)
        if it.skipped():
            tap.ok(True, name, it.directive)
        else:
            tap.ok(it.ok, name, it.directive)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--ktap', required=True)
    ap.add_argument('--console', required=True)
    ap.add_argument('--status', type=int, required=True)
    ap.add_argument('--timeout', type=int, default=0)
    ap.add_argument('--tests', type=int)
    ap.add_argument('--start', type=int, default=0)
    ap.add_argument('--xen', action='store_true',
                    help='the console is Xen\'s: judge the hypervisor too')
    a = ap.parse_args()

    def read(path):
        try:
            with open(path, encoding='utf-8', errors='replace') as f:
                return f.read().replace('\r', '').splitlines()
        except OSError:
            return []

    ktap = read(a.ktap)
    console = read(a.console)
    tap = Tap(a.start)

    root, errors = parse(ktap)
    emit(root, '', tap, errors)
    if a.tests is not None and root.plan is not None and root.plan != a.tests:
        errors.append('top level: plan 1..%d, the host put in %d tests' %
                      (root.plan, a.tests))
    tap.ok(not errors, 'KTAP complete and consistent (plans, numbering, '
           'every subtest finished)')
    for e in errors:
        tap.diag('  ' + e)

    if a.status == 124:
        tap.ok(False, 'QEMU powered off by itself: timed out after %d s' %
               a.timeout)
    else:
        tap.ok(a.status == 0, 'QEMU powered off by itself (status %d)' %
               a.status)
    tap.ok(any(l.strip() == END_MARK for l in ktap),
           'the guest reached the end of its tests')
    panics = [l for l in console if PANIC in l]
    tap.ok(not panics, 'no kernel panic')
    for l in panics[:5]:
        tap.diag('  ' + l)
    # (the console also carries the KTAP, whose diagnostics may quote the
    # same kernel lines: those are not counted twice)
    mirrored = set(l.strip() for l in ktap)
    bad = [l for l in console if CONSOLE_BAD.search(l) and
           l.strip() not in mirrored]
    tap.ok(not bad, 'console has no BUG:, kernel BUG, slab BUG, WARNING:, '
           'Oops, Call Trace, general protection, gave up waiting')
    for l in bad[:20]:
        tap.diag('  ' + l)
    if len(bad) > 20:
        tap.diag('  ... %d lines in all' % len(bad))

    if a.xen:
        xbad = [l for l in console if XEN_BAD.search(l)]
        tap.ok(not xbad, 'Xen reported no panic, fatal fault, assertion, '
               'BUG, WARN or domain crash')
        for l in xbad[:20]:
            tap.diag('  ' + l)

    print('1..%d' % tap.n)
    if tap.failed:
        sys.stderr.write('kernel tier: %d failed:\n' % len(tap.failed))
        for d in tap.failed[:30]:
            sys.stderr.write('  %s\n' % d)
        sys.stderr.write('console: %s\n' % a.console)
        for l in console[-25:]:
            sys.stderr.write('  | %s\n' % l)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
