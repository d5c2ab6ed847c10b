// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * mpt_test.ko's KTAP producer (see ktap.h): the kernel implementation of
 * the tests/tap.h API, and the exit() and printf() of the test sources.
 * mgpu_test.ko builds it too (tests/kernel/mgpu_test.kbuild); the verdict
 * line and the threads are named after the module it is in.
 */
#include <linux/completion.h>
#include <linux/kernel.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/printk.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#include "ktap.h"
#include "tap.h"

/* One level of KTAP nesting. */
#define KT_INDENT 4
#define KT_MAX_DEPTH 4
/* What one leaf may say: results, diagnostics, mpt's log. */
#define KT_BUF_SIZE (512 << 10)
#define KT_LINE_MAX 256

/* Kinds of stored lines (the first byte of each). */
#define KT_PASS 'P'
#define KT_FAIL 'F'
#define KT_DIAG 'D'

struct kt_level {
	const char *name;
	unsigned int done; /* results printed at this level */
	bool failed;
};

/* The running leaf; only its own thread ends it. */
struct kt_leaf {
	struct task_struct *task;
	struct completion done;
	int status; /* the program's result, or exit()'s status */
	bool exited;
	bool skip_all;
	char skip_reason[KT_LINE_MAX];
	unsigned int results, failed, skipped;
	bool lost; /* a result did not fit */
	size_t used; /* bytes of kt.buf */
};

/*
 * The documents being printed: level[0] is the top-level one, level[d] the
 * suite opened at depth d.  The lines of the document at depth d are
 * indented d - 1 levels; its subtests' lines d levels.
 */
static struct {
	spinlock_t lock; /* the leaf's counters and buffer */
	char *buf;
	struct kt_leaf *leaf;
	struct kt_level level[KT_MAX_DEPTH];
	unsigned int depth; /* documents open: 1 after kt_begin() */
	unsigned int checks, checks_failed, checks_skipped;
	unsigned int tests_failed;
} kt = {
	.lock = __SPIN_LOCK_UNLOCKED(kt.lock),
};

/* A line of the output at @depth levels of nesting. */
static void kt_print(unsigned int depth, const char *line)
{
	printk(KERN_INFO "%*s%s\n", depth * KT_INDENT, "", line);
}

static void kt_printv(unsigned int depth, const char *fmt, ...) __printf(2, 3);
static void kt_printv(unsigned int depth, const char *fmt, ...)
{
	char line[KT_LINE_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	kt_print(depth, line);
}

/*
 * Store one line of the running leaf, or print a diagnostic at once when
 * no leaf runs.  Callable from any context.
 */
static void kt_store(char kind, const char *text)
{
	struct kt_leaf *leaf;
	unsigned long flags;
	size_t n = strnlen(text, KT_LINE_MAX - 2);
	bool stored = false;

	spin_lock_irqsave(&kt.lock, flags);
	leaf = kt.leaf;
	if (leaf) {
		/* Keep room for results: diagnostics stop at 3/4. */
		size_t limit = kind == KT_DIAG ? KT_BUF_SIZE / 4 * 3 :
						 KT_BUF_SIZE;

		if (leaf->used + n + 2 <= limit) {
			kt.buf[leaf->used] = kind;
			memcpy(kt.buf + leaf->used + 1, text, n);
			kt.buf[leaf->used + 1 + n] = 0;
			leaf->used += n + 2;
			stored = true;
		}
		if (kind != KT_DIAG) {
			if (stored) {
				leaf->results++;
				if (kind == KT_FAIL)
					leaf->failed++;
				else if (strstr(text, " # SKIP"))
					leaf->skipped++;
			} else {
				leaf->lost = true;
			}
		}
	}
	spin_unlock_irqrestore(&kt.lock, flags);
	/* A diagnostic of the document being printed: at its indentation. */
	if (!leaf && kind == KT_DIAG)
		kt_printv(kt.depth ? kt.depth - 1 : 0, "# %s", text);
}

static __printf(2, 0) void kt_storev(char kind, const char *fmt, va_list ap)
{
	char line[KT_LINE_MAX];
	char *nl;

	vsnprintf(line, sizeof(line), fmt, ap);
	/* A line is a line: what follows a newline is dropped. */
	nl = strchr(line, '\n');
	if (nl)
		*nl = 0;
	kt_store(kind, line);
}

static void kt_storef(char kind, const char *fmt, ...) __printf(2, 3);
static void kt_storef(char kind, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kt_storev(kind, fmt, ap);
	va_end(ap);
}

/* ---- tests/tap.h -------------------------------------------------------- */

static __printf(4, 0) int report(int pass, const char *file, int line,
				  const char *fmt, va_list ap)
{
	kt_storev(pass ? KT_PASS : KT_FAIL, fmt, ap);
	if (!pass)
		kt_storef(KT_DIAG, "  failed at %s:%d", kbasename(file), line);
	return pass;
}

int tap_ok(int pass, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report(pass, file, line, fmt, ap);
	va_end(ap);
	return pass;
}

int tap_is_int(long long got, long long want, const char *file, int line,
	       const char *fmt, ...)
{
	va_list ap;
	int pass = got == want;

	va_start(ap, fmt);
	report(pass, file, line, fmt, ap);
	va_end(ap);
	if (!pass)
		kt_storef(KT_DIAG, "  got %lld (%#llx), want %lld (%#llx)", got,
			  (unsigned long long)got, want,
			  (unsigned long long)want);
	return pass;
}

void diag(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kt_storev(KT_DIAG, fmt, ap);
	va_end(ap);
}

int tap_failures(void)
{
	unsigned long flags;
	int n = 0;

	spin_lock_irqsave(&kt.lock, flags);
	if (kt.leaf)
		n = kt.leaf->failed;
	spin_unlock_irqrestore(&kt.lock, flags);
	return n;
}

/* The plan is printed by kt_run(): here only the program's status. */
int done_testing(void)
{
	unsigned long flags;
	unsigned int results = 0, failed = 0;

	spin_lock_irqsave(&kt.lock, flags);
	if (kt.leaf) {
		results = kt.leaf->results;
		failed = kt.leaf->failed;
	}
	spin_unlock_irqrestore(&kt.lock, flags);
	if (!results) {
		diag("no test ran");
		return 1;
	}
	return failed ? 1 : 0;
}

struct completion *kt_exit_prepare(int status, const char *skip)
{
	struct kt_leaf *leaf = READ_ONCE(kt.leaf);

	if (!leaf || leaf->task != current) {
		/* Only a test program's own thread may end it. */
		kt_storef(KT_FAIL, "exit(%d) called outside a test program",
			  status);
		return NULL;
	}
	if (skip) {
		strscpy(leaf->skip_reason, skip, sizeof(leaf->skip_reason));
		leaf->skip_all = true;
	}
	leaf->status = status;
	leaf->exited = true;
	return &leaf->done;
}

void tap_skip_all(const char *reason)
{
	kthread_complete_and_exit(kt_exit_prepare(0, reason), 0);
}

/*
 * printf() of the test sources: each line becomes a diagnostic, and a
 * TAP "Bail out!" fails the running test.
 */
void kt_printf(const char *fmt, ...)
{
	char text[KT_LINE_MAX];
	char *line, *next;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	for (line = text; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = 0;
		if (line[0] == '#')
			line += line[1] == ' ' ? 2 : 1;
		if (!strncmp(line, "Bail out!", 9))
			kt_store(KT_FAIL, line);
		else if (*line)
			kt_store(KT_DIAG, line);
	}
}

/* ---- the tree ----------------------------------------------------------- */

int kt_begin(unsigned int nr)
{
	kt.buf = vmalloc(KT_BUF_SIZE);
	if (!kt.buf)
		return -ENOMEM;
	kt.depth = 0;
	kt.checks = kt.checks_failed = kt.checks_skipped = 0;
	kt.tests_failed = 0;
	kt_print(0, "KTAP version 1");
	kt_printv(0, "1..%u", nr);
	memset(&kt.level[0], 0, sizeof(kt.level[0]));
	kt.depth = 1;
	return 0;
}

unsigned int kt_end(void)
{
	kt_printv(0, "# Totals: pass:%u fail:%u skip:%u total:%u",
		  kt.checks - kt.checks_failed - kt.checks_skipped,
		  kt.checks_failed, kt.checks_skipped, kt.checks);
	kt_printv(0, "# %s: %s", module_name(THIS_MODULE),
		  kt.tests_failed || kt.checks_failed ? "FAIL" : "PASS");
	vfree(kt.buf);
	kt.buf = NULL;
	kt.depth = 0;
	return kt.tests_failed + kt.checks_failed;
}

/* Print the result line of a finished subtest at the current level. */
static void kt_result(const char *name, bool failed, const char *skip)
{
	struct kt_level *l = &kt.level[kt.depth - 1];

	l->done++;
	if (failed)
		l->failed = true;
	if (skip)
		kt_printv(kt.depth - 1, "ok %u %s # SKIP %s", l->done, name,
			  skip);
	else
		kt_printv(kt.depth - 1, "%sok %u %s", failed ? "not " : "",
			  l->done, name);
}

void kt_suite_begin(const char *name, unsigned int nr)
{
	if (kt.depth >= KT_MAX_DEPTH)
		return;
	kt_print(kt.depth, "KTAP version 1");
	kt_printv(kt.depth, "# Subtest: %s", name);
	kt_printv(kt.depth, "1..%u", nr);
	kt.level[kt.depth] = (struct kt_level){ .name = name };
	kt.depth++;
}

void kt_suite_end(void)
{
	struct kt_level *l;

	if (kt.depth < 2)
		return;
	l = &kt.level[--kt.depth];
	kt_result(l->name, l->failed, NULL);
}

void kt_skip(const char *name, const char *why)
{
	kt_result(name, false, why);
}

static int kt_thread(void *arg)
{
	kt_program_fn fn = arg;
	struct kt_leaf *leaf = READ_ONCE(kt.leaf);

	leaf->status = fn();
	kthread_complete_and_exit(&leaf->done, 0);
}

/* Print what the leaf stored, its plan first, then its result. */
static bool kt_flush_leaf(const char *name, struct kt_leaf *leaf)
{
	unsigned int depth = kt.depth, nr = 0;
	bool failed = leaf->failed || leaf->lost || leaf->status;
	size_t pos;

	kt_print(depth, "KTAP version 1");
	kt_printv(depth, "# Subtest: %s", name);
	kt_printv(depth, "1..%u", leaf->results);
	for (pos = 0; pos < leaf->used;) {
		char kind = kt.buf[pos];
		const char *text = kt.buf + pos + 1;

		if (kind == KT_DIAG)
			kt_printv(depth, "# %s", text);
		else
			kt_printv(depth, "%sok %u %s",
				  kind == KT_FAIL ? "not " : "", ++nr, text);
		pos += strlen(text) + 2;
	}
	if (leaf->lost)
		kt_printv(depth, "# results lost: the %u KiB buffer is full",
			  KT_BUF_SIZE >> 10);
	if (leaf->exited && leaf->status)
		kt_printv(depth, "# %s exited with status %d", name,
			  leaf->status);
	else if (leaf->status && !leaf->failed)
		kt_printv(depth, "# %s returned %d", name, leaf->status);
	kt.checks += leaf->results;
	kt.checks_failed += leaf->failed;
	kt.checks_skipped += leaf->skipped;
	if (leaf->skip_all && !failed) {
		kt_result(name, false, leaf->skip_reason);
		return true;
	}
	if (failed)
		kt.tests_failed++;
	kt_result(name, failed, NULL);
	return !failed;
}

bool kt_run(const char *name, kt_program_fn fn)
{
	struct kt_leaf *leaf;
	struct task_struct *task;
	unsigned long flags;
	bool passed;

	leaf = kzalloc(sizeof(*leaf), GFP_KERNEL);
	if (!leaf) {
		kt.tests_failed++;
		kt_result(name, true, NULL);
		return false;
	}
	init_completion(&leaf->done);
	spin_lock_irqsave(&kt.lock, flags);
	kt.leaf = leaf;
	spin_unlock_irqrestore(&kt.lock, flags);

	task = kthread_create(kt_thread, fn, "%s/%s",
			      module_name(THIS_MODULE), name);
	if (IS_ERR(task)) {
		kt_storef(KT_FAIL, "start a thread for %s: %ld", name,
			  PTR_ERR(task));
	} else {
		leaf->task = task;
		wake_up_process(task);
		/* Wake up now and then: no hung-task report for long tests. */
		while (!wait_for_completion_timeout(&leaf->done, 10 * HZ))
			;
	}

	spin_lock_irqsave(&kt.lock, flags);
	kt.leaf = NULL;
	spin_unlock_irqrestore(&kt.lock, flags);
	passed = kt_flush_leaf(name, leaf);
	kfree(leaf);
	return passed;
}
