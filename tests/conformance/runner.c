// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * The conformance suite's runner: the suite's device type, the helpers the
 * cases share, and the two output modes (TAP for prove, a report for
 * humans).
 */
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "conformance.h"
#include "tap.h"

/* ---- The device type ---------------------------------------------------- */

static int conf_dev_trap(struct mpt_vdev *vdev, u64 offset, void *data,
			 unsigned int len, bool is_write, void *opaque)
{
	struct conf_dev *d = to_conf_dev(vdev);
	u8 *p = data;
	unsigned int i;

	(void)opaque;
	if (!is_write)
		for (i = 0; i < len; i++)
			p[i] = conf_bar_byte(offset + i);
	d->accesses++;
	d->last.offset = offset;
	d->last.len = len;
	d->last.is_write = is_write;
	memset(d->last.data, 0, sizeof(d->last.data));
	memcpy(d->last.data, data, len < 8 ? len : 8);
	return 0;
}

static int conf_dev_init(struct mpt_vdev *vdev)
{
	return mpt_trap_register(vdev, 0, 0, CONF_BAR_SIZE, conf_dev_trap, NULL,
				 0);
}

static const struct mpt_vdev_ops conf_dev_ops = {
	.init = conf_dev_init,
};

static const struct mpt_pci_desc conf_dev_pci = {
	.vendor_id = 0x1af4,
	.device_id = 0x10f1,
	.subsystem_vendor_id = 0x1af4,
	.subsystem_id = 0x0002,
	.revision = 1,
	.class_code = 0xff0000,
	.bars = {
		[0] = { .type = MPT_BAR_MEM32, .size = CONF_BAR_SIZE },
	},
	.msi_vectors = CONF_MSI_VECTORS,
};

static const struct mpt_vdev_type conf_dev_type = {
	.name = CONF_TYPE_NAME,
	.description = "mpt backend conformance device",
	.max_instances = CONF_MAX_INSTANCES,
	.instance_size = MPT_VDEV_TYPE_SIZE(struct conf_dev, vdev),
	.pci = &conf_dev_pci,
	.ops = &conf_dev_ops,
};

static const struct mpt_conf_region conf_regions[CONF_NR_REGIONS] = {
	{ CONF_R0_GPA, CONF_R0_SIZE },
	{ CONF_R1_GPA, CONF_R1_SIZE },
	{ CONF_R2_GPA, CONF_R2_SIZE },
};

static const struct mpt_conf_layout conf_layout = {
	.regions = conf_regions,
	.nr = CONF_NR_REGIONS,
};

/* ---- Helpers for the cases ---------------------------------------------- */

void conf_skip(const char *what, const char *fmt, ...)
{
	char why[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	ok(1, "%s # SKIP %s", what, why);
}

void conf_note(const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	diag("note: %s", msg);
}

void conf_fill(void *buf, size_t len, unsigned int seed)
{
	u8 *p = buf;
	u32 x = seed * 2654435761U + 12345;
	size_t i;

	for (i = 0; i < len; i++) {
		x = x * 1103515245U + 12345;
		p[i] = (u8)((x >> 16) | 1);
	}
}

void conf_check_breaches(struct conf_world *w, const char *what)
{
	const struct mpt_conf_target *t = w->c->target;
	unsigned int n;

	if (!t->violations)
		return;
	n = t->violations(w->c->ctx, w->guest);
	is_int(n - w->breaches, 0, "%s: the target saw no contract breach",
	       what);
	w->breaches = n;
}

int conf_world_init(struct mpt_conf *c, struct conf_world *w, unsigned int nr,
		    enum mpt_vdev_state state)
{
	const char *be = mpt_backend_name(c->be);
	unsigned int i;
	int ret = 0;

	memset(w, 0, sizeof(*w));
	w->c = c;
	w->guest = c->target->guest_create(c->ctx, c->layout);
	if (!w->guest) {
		ok(0, "the target makes a guest with the suite's layout");
		return -1;
	}
	if (c->target->violations)
		w->breaches = c->target->violations(c->ctx, w->guest);
	for (i = 0; i < nr && !ret; i++) {
		ret = mpt_vdev_create(CONF_TYPE_NAME, be, &w->v[i]);
		if (ret) {
			w->v[i] = NULL;
			break;
		}
		w->nr++;
		if (state >= MPT_VDEV_ATTACHED)
			ret = mpt_vdev_attach(w->v[i], w->guest);
		if (!ret && state >= MPT_VDEV_ACTIVE)
			ret = mpt_vdev_activate(w->v[i]);
	}
	if (ret) {
		ok(0, "bring up %u instance(s) of the device on a guest: %d",
		   nr, ret);
		conf_world_fini(w);
		return -1;
	}
	return 0;
}

void conf_world_fini(struct conf_world *w)
{
	unsigned int i;

	for (i = 0; i < w->nr; i++) {
		if (w->v[i])
			mpt_vdev_destroy(w->v[i]);
		w->v[i] = NULL;
	}
	conf_check_breaches(w, "end of case");
	w->c->target->guest_destroy(w->c->ctx, w->guest);
	w->guest = NULL;
}

void *conf_handle(struct conf_world *w, unsigned int i)
{
	return mpt_vdev_backend_handle(w->v[i]);
}

int conf_guest_read(struct conf_world *w, u64 gpa, void *buf, size_t len)
{
	return w->c->target->guest_read(w->c->ctx, w->guest, gpa, buf, len);
}

int conf_guest_write(struct conf_world *w, u64 gpa, const void *data,
		     size_t len)
{
	return w->c->target->guest_write(w->c->ctx, w->guest, gpa, data, len);
}

int conf_guest_mmio(struct conf_world *w, enum mpt_space space, u64 addr,
		    void *data, unsigned int len, bool is_write)
{
	return w->c->target->guest_mmio(w->c->ctx, w->guest, space, addr, data,
					len, is_write);
}

u32 conf_cfg_read(struct mpt_vdev *vdev, unsigned int off, unsigned int len)
{
	u32 v = 0;
	int ret = mpt_vdev_cfg_access(vdev, off, &v, len, false);

	if (ret)
		ok(0, "config read at %#x/%u: %d", off, len, ret);
	return v;
}

void conf_cfg_write(struct mpt_vdev *vdev, unsigned int off, unsigned int len,
		    u32 val)
{
	int ret = mpt_vdev_cfg_access(vdev, off, &val, len, true);

	if (ret)
		ok(0, "config write at %#x/%u: %d", off, len, ret);
}

void conf_bar_decode(struct mpt_vdev *vdev, u64 addr)
{
	u32 cmd = conf_cfg_read(vdev, MPT_PCI_COMMAND, 2);

	if (!addr) {
		conf_cfg_write(vdev, MPT_PCI_COMMAND, 2,
			       cmd & ~(u32)MPT_PCI_COMMAND_MEMORY);
		return;
	}
	conf_cfg_write(vdev, MPT_PCI_BAR0, 4, (u32)addr);
	conf_cfg_write(vdev, MPT_PCI_COMMAND, 2, cmd | MPT_PCI_COMMAND_MEMORY);
}

unsigned int conf_msi_cap(struct mpt_vdev *vdev)
{
	unsigned int pos = conf_cfg_read(vdev, MPT_PCI_CAPABILITY_LIST, 1);
	unsigned int hops;

	for (hops = 0; pos && hops < 48; hops++) {
		if (conf_cfg_read(vdev, pos, 1) == MPT_PCI_CAP_ID_MSI)
			return pos;
		pos = conf_cfg_read(vdev, pos + 1, 1);
	}
	ok(0, "the device's MSI capability is in configuration space");
	return 0;
}

/* ---- Running ------------------------------------------------------------ */

/* mpt's messages become TAP comments, next to the check they explain. */
static void conf_log(enum mpt_log_level level, const char *msg)
{
	static const char *const names[] = { "error", "warning", "info",
					     "debug" };

	diag("mpt %s: %s", level <= MPT_LOG_DEBUG ? names[level] : "?", msg);
}

static const struct mpt_conf_case *const conf_tables[] = {
	mpt_conf_cases_lifecycle,
	mpt_conf_cases_memory,
	mpt_conf_cases_irq,
	mpt_conf_cases_track,
	mpt_conf_cases_frames,
	mpt_conf_cases_trap,
};

/* Per-case bookkeeping of the report mode. */
struct conf_report {
	FILE *out; /* the real standard output */
	int stdout_fd; /* a copy of it, to restore */
	unsigned int passed, failed, checks, skips;
};

/*
 * Print what a case wrote as TAP: the failing checks and comments for a
 * failed case, skips and notes for any case.
 */
static void report_case(struct conf_report *r, FILE *tap, const char *name,
			bool failed)
{
	char line[1024];

	fprintf(r->out, "%s %s\n", failed ? "FAIL" : "PASS", name);
	rewind(tap);
	while (fgets(line, sizeof(line), tap)) {
		const char *skip = strstr(line, "# SKIP ");

		if (!strncmp(line, "ok ", 3) || !strncmp(line, "not ok ", 7))
			r->checks++;
		if (!strncmp(line, "ok ", 3) && skip) {
			r->skips++;
			fprintf(r->out, "    skipped: %s", skip + 7);
		} else if (!strncmp(line, "# note: ", 8)) {
			fprintf(r->out, "    %s", line + 8);
		} else if (failed && strncmp(line, "# case ", 7) &&
			   (!strncmp(line, "not ok ", 7) || line[0] == '#')) {
			fprintf(r->out, "    %s", line);
		}
	}
	fflush(r->out);
}

/*
 * A backend may crash the suite.  In report mode the case's output is in a
 * temporary file: name the case and show that output before dying, then
 * let the previous handler (a sanitizer's, or the default) have the signal.
 */
static const int crash_signals[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL,
				     SIGABRT };
static struct sigaction crash_old[CONF_ARRAY_SIZE(crash_signals)];
static struct conf_report *crash_report;
static const char *crash_case;
static FILE *crash_tap;

static void crash_handler(int sig)
{
	struct conf_report *r = crash_report;
	unsigned int i;

	for (i = 0; i < CONF_ARRAY_SIZE(crash_signals); i++)
		sigaction(crash_signals[i], &crash_old[i], NULL);
	if (r && crash_case) {
		fflush(stdout);
		dup2(r->stdout_fd, STDOUT_FILENO);
		if (crash_tap)
			report_case(r, crash_tap, crash_case, true);
		fprintf(r->out, "    crashed with signal %d\n", sig);
		fprintf(r->out, "\n%u passed, %u failed, then a crash\n",
			r->passed, r->failed + 1);
		fflush(r->out);
	}
	raise(sig);
}

static void crash_catch(struct conf_report *r)
{
	struct sigaction sa;
	unsigned int i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = crash_handler;
	sigemptyset(&sa.sa_mask);
	crash_report = r;
	for (i = 0; i < CONF_ARRAY_SIZE(crash_signals); i++)
		sigaction(crash_signals[i], &sa, &crash_old[i]);
}

static bool run_case(struct mpt_conf *c, const struct mpt_conf_case *k,
		     unsigned int nr, struct conf_report *r)
{
	int before = tap_failures();
	FILE *tap = NULL;
	bool failed;

	if (r) {
		fflush(stdout);
		tap = tmpfile();
		if (tap)
			dup2(fileno(tap), STDOUT_FILENO);
		crash_case = k->name;
		crash_tap = tap;
	}
	diag("case %u: %s", nr, k->name);
	k->run(c);
	failed = tap_failures() != before;
	if (r) {
		fflush(stdout);
		crash_case = NULL;
		crash_tap = NULL;
		dup2(r->stdout_fd, STDOUT_FILENO);
		if (failed)
			r->failed++;
		else
			r->passed++;
		if (tap) {
			report_case(r, tap, k->name, failed);
			fclose(tap);
		} else {
			fprintf(r->out, "%s %s\n", failed ? "FAIL" : "PASS",
				k->name);
		}
	}
	return !failed;
}

/* After the last case: nothing of the suite is left in the core. */
static void conf_teardown_case(struct mpt_conf *c)
{
	is_int(mpt_type_unregister(&conf_dev_type), 0,
	       "the device type unregisters: no instance is left");
	is_int(c->target->teardown(c->ctx), 0,
	       "the target tears down: the backend has no instance left");
}

static bool target_usable(const struct mpt_conf_target *t)
{
	return t && t->name && t->setup && t->teardown && t->guest_create &&
	       t->guest_destroy && t->guest_read &&
	       !t->msi_count == !t->msi_get;
}

int mpt_conf_main(const struct mpt_conf_target *target, int argc,
		  char **argv)
{
	static const struct mpt_conf_case teardown = {
		"teardown: the device type and the backend unregister cleanly",
		conf_teardown_case
	};
	struct conf_report report = { 0 }, *r = NULL;
	struct mpt_conf c = { 0 };
	const char *only = NULL;
	bool want_report = false;
	unsigned int i, nr = 0;
	const struct mpt_conf_case *k;
	int ret, a;

	for (a = 1; a < argc; a++) {
		if (!strcmp(argv[a], "--report")) {
			want_report = true;
		} else if (!strcmp(argv[a], "--only") && a + 1 < argc) {
			only = argv[++a];
		} else {
			fprintf(stderr,
				"usage: %s [--report] [--only SUBSTRING]\n"
				"  TAP by default; --report for a summary; "
				"--only runs the cases whose name\n"
				"  contains SUBSTRING (and the teardown)\n",
				argv[0]);
			return 2;
		}
	}
	if (want_report) {
		report.stdout_fd = dup(STDOUT_FILENO);
		report.out = report.stdout_fd >= 0 ?
				     fdopen(report.stdout_fd, "w") : NULL;
		if (!report.out) {
			perror("stdout");
			return 2;
		}
		report.stdout_fd = dup(report.stdout_fd);
		r = &report;
		crash_catch(r);
	}
	if (!target_usable(target)) {
		printf("Bail out! the target lacks a mandatory callback\n");
		return 2;
	}
	mpt_set_log_handler(conf_log);
	c.target = target;
	c.layout = &conf_layout;
	ret = target->setup(&c.ctx, &c.be, &c.ops);
	if (!ret && (!c.be || !c.ops))
		ret = -EINVAL;
	if (!ret)
		ret = mpt_type_register(&conf_dev_type);
	if (ret) {
		if (r)
			fprintf(r->out, "FAIL setup of target '%s': %d\n",
				target->name, ret);
		else
			printf("Bail out! setup of target '%s' failed: %d\n",
			       target->name, ret);
		return 2;
	}
	if (r)
		fprintf(r->out,
			"mpt backend conformance: target '%s', "
			"backend '%s'\n\n",
			target->name, mpt_backend_name(c.be));
	else
		diag("mpt backend conformance: target '%s', backend '%s'",
		     target->name, mpt_backend_name(c.be));
	for (i = 0; i < CONF_ARRAY_SIZE(conf_tables); i++)
		for (k = conf_tables[i]; k->name; k++)
			if (!only || strstr(k->name, only))
				run_case(&c, k, ++nr, r);
	run_case(&c, &teardown, ++nr, r);
	mpt_set_log_handler(NULL);
	if (!r)
		return done_testing();
	fprintf(r->out, "\n%u checks, %u skipped\n", r->checks, r->skips);
	fprintf(r->out, "%u passed, %u failed\n", r->passed, r->failed);
	fclose(r->out);
	return r->failed ? 1 : 0;
}
