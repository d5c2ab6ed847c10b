// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * What mpt_test.ko finds in mpt at load, and the redirections kcompat.h
 * makes for the test sources shared with userspace.
 *
 * A userspace test program starts with an empty registry and registers
 * the sim backend itself.  In the kernel mpt_sim.ko registered "sim" when
 * it was loaded, and that registration is mpt_sim.ko's: its module exit
 * unregisters it, so the tests must never do so.  They borrow it instead
 * (kt_sim_register()), and giving it back (kt_backend_unregister()) checks
 * what the core would check, that no instance is left on it.  The test
 * programs register other names (copies of the sim's table) for real.
 *
 * The sim's ops table (mpt_sim_ops) is not exported by mpt_sim.ko; the
 * registry tests and the conformance suite call ops through it, so a copy
 * is taken from the registration, which keeps a pointer to the table it
 * was made with (struct mpt_backend of the core's private header).
 */
#include <linux/kernel.h>
#include <linux/string.h>

#include <mpt/mpt.h>
#include <mpt/sim.h>

#include "../../core/mpt_core.h"
#include "fixture.h"
#include "tap.h"
#include "ktap.h"
#include "kworld.h"

static struct {
	struct mpt_backend *sim; /* mpt_sim.ko's registration, if it made one */
	bool borrowed;
	unsigned int instances; /* on it when it was borrowed */
} kw;

/*
 * A copy of the sim's own table, filled at start: what the test sources
 * know as mpt_sim_ops (kcompat.h), declared const there.
 */
struct mpt_backend_ops kt_sim_ops;

/* mpt's messages, as diagnostics of the running test. */
static void kt_log_sink(enum mpt_log_level level, const char *msg)
{
	static const char *const names[] = { "error", "warning", "info",
					     "debug" };

	diag("mpt %s: %s", level <= MPT_LOG_DEBUG ? names[level] : "?", msg);
}

static void kt_log_quiet(enum mpt_log_level level, const char *msg)
{
}

mpt_log_fn kt_set_log_handler(mpt_log_fn fn)
{
	mpt_log_fn old = mpt_set_log_handler(fn ? fn : kt_log_sink);

	return old == kt_log_sink ? NULL : old;
}

bool kt_sim_shared(void)
{
	return kw.sim;
}

int kt_sim_inject_msi(void *handle, u64 addr, u32 data)
{
	return kt_sim_ops.inject_msi(handle, addr, data);
}

int kt_sim_register(const char *name, struct mpt_backend **out)
{
	if (kw.sim && !kw.borrowed && (!name || !strcmp(name, "sim"))) {
		kw.borrowed = true;
		kw.instances = kw.sim->nr_instances;
		*out = kw.sim;
		return 0;
	}
	/* Anything else, including "sim" while borrowed (-EEXIST). */
	return mpt_sim_register(name, out);
}

int kt_backend_unregister(struct mpt_backend *backend)
{
	if (!backend || backend != kw.sim)
		return mpt_backend_unregister(backend);
	if (!kw.borrowed)
		return -ENOENT;
	/* What mpt_backend_unregister() refuses, worded as it does. */
	if (kw.sim->nr_instances > kw.instances) {
		mpt_err("backend '%s' still has %u instances", kw.sim->name,
			kw.sim->nr_instances - kw.instances);
		return -EBUSY;
	}
	kw.borrowed = false;
	return 0;
}

/* A device type only to find the backend an instance binds to. */
static int probe_init(struct mpt_vdev *vdev)
{
	return 0;
}

static const struct mpt_vdev_ops probe_ops = { .init = probe_init };

static const struct mpt_vdev_type probe_type = {
	.name = "mpt-test-probe",
	.description = "mpt_test.ko: finds the registered sim backend",
	.max_instances = 1,
	.instance_size = sizeof(struct mpt_vdev),
	.pci = &tdev_pci,
	.ops = &probe_ops,
	.owner = THIS_MODULE,
};

/* mpt_sim.ko's registration of "sim", through an instance bound to it. */
static struct mpt_backend *find_sim(void)
{
	struct mpt_backend *be = NULL;
	struct mpt_vdev *v;

	if (mpt_type_register(&probe_type))
		return NULL;
	if (!mpt_vdev_create(probe_type.name, "sim", &v)) {
		be = mpt_vdev_backend(v);
		mpt_vdev_destroy(v);
	}
	if (mpt_type_unregister(&probe_type))
		be = NULL;
	return be;
}

int kt_world_begin(void)
{
	struct mpt_backend *be;
	int ret;

	memset(&kw, 0, sizeof(kw));
	/* Refusals while looking are expected: keep them out of the log. */
	mpt_set_log_handler(kt_log_quiet);
	ret = mpt_sim_register(NULL, &be);
	if (!ret) {
		/* Nobody registered "sim": the tests do, as in userspace. */
		kt_sim_ops = *be->orig;
		ret = mpt_backend_unregister(be);
	} else if (ret == -EEXIST) {
		kw.sim = find_sim();
		ret = kw.sim ? 0 : -ENOENT;
		if (kw.sim)
			kt_sim_ops = *kw.sim->orig;
	}
	mpt_set_log_handler(kt_log_sink);
	if (ret)
		diag("the sim backend is not usable: %d", ret);
	else
		diag("sim backend: %s", kw.sim ? "registered by mpt_sim.ko, borrowed by the tests" :
						 "registered by the tests");
	return ret;
}

void kt_world_prepare(void)
{
	mpt_set_log_level(MPT_LOG_WARN);
	mpt_set_log_handler(kt_log_sink);
}

void kt_world_end(void)
{
	mpt_set_log_handler(NULL);
	mpt_set_log_level(MPT_LOG_WARN);
}
