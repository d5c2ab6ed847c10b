// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * Instance lifecycle: the state machine, what each transition gives back,
 * reference counting, and correctness with traps arriving from several
 * vCPU threads at once.
 */
#include <pthread.h>
#include <sched.h>
#include <string.h>

#include "fixture.h"
#include "tap.h"

static void test_transitions(void)
{
	struct fx fx;
	struct tdev *td;

	fx_setup(&fx, MPT_VDEV_CREATED);
	td = fx.td;
	is_int(mpt_vdev_state(fx.vdev), MPT_VDEV_CREATED, "created");
	is_int(mpt_vdev_activate(fx.vdev), -EBUSY, "activate before attach");
	is_int(mpt_vdev_detach(fx.vdev), -EBUSY, "detach before attach");
	is_int(mpt_vdev_deactivate(fx.vdev), -EBUSY, "deactivate when created");
	is_int(mpt_vdev_reset(fx.vdev), -EBUSY, "reset when created");
	ok(mpt_vdev_backend_handle(fx.vdev) == NULL, "no handle yet");

	mpt_sim_fail_nth(fx.g, MPT_SIM_ATTACH, 1, -EIO);
	is_int(mpt_vdev_attach(fx.vdev, fx.g), -EIO, "attach error passed on");
	is_int(mpt_vdev_state(fx.vdev), MPT_VDEV_CREATED, "still created");
	is_int(mpt_vdev_attach(fx.vdev, NULL), -EINVAL, "NULL guest refused");
	ok(mpt_vdev_attach(fx.vdev, fx.g) == 0, "attach");
	is_int(mpt_vdev_attach(fx.vdev, fx.g), -EBUSY, "attach twice");
	ok(mpt_vdev_backend_handle(fx.vdev) != NULL, "handle set");

	td->fail_activate = -EAGAIN;
	is_int(mpt_vdev_activate(fx.vdev), -EAGAIN, "activate op error");
	is_int(mpt_vdev_state(fx.vdev), MPT_VDEV_ATTACHED, "still attached");
	td->fail_activate = 0;
	ok(mpt_vdev_activate(fx.vdev) == 0, "activate");
	is_int(mpt_vdev_activate(fx.vdev), -EBUSY, "activate twice");
	ok(mpt_vdev_reset(fx.vdev) == 0 && td->resets == 1, "reset runs op");
	is_int(mpt_vdev_state(fx.vdev), MPT_VDEV_ACTIVE, "active after reset");
	ok(mpt_vdev_deactivate(fx.vdev) == 0 && td->deactivates == 1,
	   "deactivate runs op");
	ok(mpt_vdev_detach(fx.vdev) == 0, "detach");
	is_int(mpt_vdev_state(fx.vdev), MPT_VDEV_DETACHED, "detached");
	ok(mpt_vdev_backend_handle(fx.vdev) == NULL, "handle gone");
	ok(mpt_vdev_attach(fx.vdev, fx.g) == 0, "attach again (reopen)");
	ok(mpt_vdev_activate(fx.vdev) == 0, "and activate again");
	fx_teardown(&fx);
}

/* Destroying from every state gives everything back. */
static void test_destroy_from_each_state(void)
{
	enum mpt_vdev_state s;

	for (s = MPT_VDEV_CREATED; s <= MPT_VDEV_ACTIVE; s++) {
		struct fx fx;

		fx_setup(&fx, s);
		fx_enable_bars(&fx);
		ok(mpt_vdev_destroy(fx.vdev) == 0, "destroy from state %d", s);
		ok(!mpt_sim_claimed(fx.g, MPT_SPACE_MMIO, FX_BAR0_GPA),
		   "no BAR left claimed (state %d)", s);
		fx.vdev = NULL;
		fx_teardown(&fx);
	}
}

static void test_refcount(void)
{
	struct fx fx;
	struct mpt_vdev *v;

	fx_setup(&fx, MPT_VDEV_ACTIVE);
	v = fx.vdev;
	fx_log_capture();
	is_int(mpt_vdev_put(v), -EINVAL, "put without get refused");
	ok(fx_log_has("refcount underflow"), "and logged");
	is_int(mpt_vdev_state(v), MPT_VDEV_ACTIVE, "instance unharmed");
	mpt_vdev_get(v);
	ok(mpt_vdev_destroy(v) == 0, "destroy with a reference held");
	is_int(mpt_vdev_state(v), MPT_VDEV_DESTROYED, "destroyed, still there");
	is_int(fx.td->releases, 0, "release waits for the last reference");
	is_int(mpt_vdev_destroy(v), -EBUSY, "destroy twice refused");
	ok(fx_log_has("destroyed twice"), "and logged");
	is_int(mpt_vdev_put(v), 0, "last put frees");
	fx_log_release();
	fx.vdev = NULL;
	fx_teardown(&fx);
}

/* Config access needs the backend, so only attached instances take it. */
static void test_access_by_state(void)
{
	struct fx fx;
	u32 v = 0;

	fx_setup(&fx, MPT_VDEV_CREATED);
	is_int(mpt_vdev_cfg_access(fx.vdev, 0, &v, 4, false), -ENODEV,
	       "config access before attach");
	is_int(v, 0xffffffff, "reads all ones");
	is_int(mpt_vdev_bar_access(fx.vdev, 0, 0, &v, 4, false), -ENODEV,
	       "MMIO before activation");
	is_int(mpt_vdev_raise_irq(fx.vdev, 0), -ENODEV, "irq before activation");
	is_int(mpt_gpa_read(fx.vdev, 0, &v, 4), -ENODEV, "gpa before attach");
	ok(mpt_vdev_attach(fx.vdev, fx.g) == 0, "attach");
	ok(mpt_vdev_cfg_access(fx.vdev, 0, &v, 4, false) == 0,
	   "config access once attached");
	is_int(mpt_vdev_bar_access(fx.vdev, 0, 0, &v, 4, false), -ENODEV,
	       "MMIO still refused until active");
	fx_teardown(&fx);
}

/* ---- concurrency ---- */

/*
 * Activate/deactivate rounds of test_deactivate_waits_for_traps(), and
 * what a vCPU thread does between two guest accesses: nothing here.  The
 * kernel build (tests/kernel/test.kbuild) runs fewer rounds and gives the
 * CPU away there (one CPU under TCG, and a kernel that is not
 * preemptible).
 */
#ifndef LIFECYCLE_ROUNDS
#define LIFECYCLE_ROUNDS 200
#endif
#ifndef VCPU_RELAX
#define VCPU_RELAX() ((void)0)
#endif

struct racer {
	struct fx *fx;
	volatile int stop;
	volatile int deactivated;
	int late; /* handler calls seen after deactivate returned */
	long calls;
};

static int racing_handler(struct mpt_vdev *vdev, u64 off, void *data,
			  unsigned int len, bool is_write, void *opaque)
{
	struct racer *r = opaque;

	(void)vdev;
	(void)off;
	(void)is_write;
	if (r->deactivated)
		__atomic_fetch_add(&r->late, 1, __ATOMIC_RELAXED);
	memset(data, 0x5a, len);
	sched_yield(); /* widen the window */
	return 0;
}

static void *vcpu(void *arg)
{
	struct racer *r = arg;
	u32 v;

	while (!r->stop) {
		mpt_vdev_bar_access(r->fx->vdev, 0, 0x3000, &v, 4, false);
		__atomic_fetch_add(&r->calls, 1, __ATOMIC_RELAXED);
		VCPU_RELAX();
	}
	return NULL;
}

static void test_deactivate_waits_for_traps(void)
{
	struct racer r = { 0 };
	struct fx fx;
	pthread_t t[2];
	int round, i;

	fx_setup(&fx, MPT_VDEV_ATTACHED);
	r.fx = &fx;
	ok(mpt_trap_register(fx.vdev, 0, 0x3000, 4, racing_handler, &r,
			     0) == 0, "racing trap registered");
	for (i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, vcpu, &r);
	for (round = 0; round < LIFECYCLE_ROUNDS; round++) {
		r.deactivated = 0;
		if (mpt_vdev_activate(fx.vdev))
			break;
		sched_yield();
		mpt_vdev_deactivate(fx.vdev);
		r.deactivated = 1;
		sched_yield();
	}
	r.stop = 1;
	for (i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	is_int(round, LIFECYCLE_ROUNDS,
	       "%d activate/deactivate rounds under traffic", LIFECYCLE_ROUNDS);
	is_int(r.late, 0, "no handler ran after deactivate returned");
	diag("%ld concurrent trap attempts", r.calls);
	fx_teardown(&fx);
}

/* A guest write to a "reset register" resets the device from its handler. */
static int reset_register(struct mpt_vdev *vdev, u64 off, void *data,
			  unsigned int len, bool is_write, void *opaque)
{
	int *result = opaque;

	(void)off;
	(void)len;
	if (is_write)
		*result = mpt_vdev_reset(vdev);
	else
		memset(data, 0, len);
	return 0;
}

static void test_reset_from_handler(void)
{
	struct fx fx;
	int result = 1;
	u32 v = 1;

	fx_setup(&fx, MPT_VDEV_ATTACHED);
	ok(mpt_trap_register(fx.vdev, 0, 0x3000, 4, reset_register, &result,
			     0) == 0, "reset register");
	ok(mpt_vdev_activate(fx.vdev) == 0, "active");
	fx.td->regs[5] = 7;
	ok(mpt_vdev_bar_access(fx.vdev, 0, 0x3000, &v, 4, true) == 0,
	   "guest writes the reset register");
	is_int(result, 0, "reset from inside a handler succeeded");
	is_int(fx.td->resets, 1, "device reset op ran");
	is_int(fx.td->regs[5], 0, "device state reset");
	is_int(mpt_vdev_state(fx.vdev), MPT_VDEV_ACTIVE, "active again");
	fx_teardown(&fx);
}

int main(void)
{
	test_transitions();
	test_destroy_from_each_state();
	test_refcount();
	test_access_by_state();
	test_deactivate_waits_for_traps();
	test_reset_from_handler();
	return done_testing();
}
