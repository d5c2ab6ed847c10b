// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * vCPUs: created in 32-bit flat protected mode at the guest's entry (the
 * PVH boot state), each run by its own thread.
 *
 * Exits go to mpt first (areas instances claimed, tracked RAM), then to
 * mptrun's own devices (io.c), which treat everything else as unhandled.
 * A triple fault or shutdown ends the run with MPTRUN_STATUS_SHUTDOWN, a
 * KVM error with MPTRUN_STATUS_KVM.
 *
 * Write-tracking a page makes the backend delete and re-create RAM
 * memslots; a vCPU inside KVM_RUN meanwhile would find no memory.  The
 * backend therefore pauses the vCPUs around such a change through
 * mptrun_vcpu_ops, from whichever thread asked for it (often a vCPU thread
 * in an MMIO exit, with a device model's lock held):
 *
 *   pause   under run_lock: paused++; every vCPU thread inside KVM_RUN
 *           (in_run) gets kvm_run->immediate_exit and SIGUSR1, and pause
 *           waits until those threads are out of the ioctl.  Threads that
 *           are handling an exit are not waited for (one may be the
 *           caller, or blocked on a lock the caller holds): they are out
 *           of KVM_RUN already.
 *   resume  under run_lock: paused--, wake the threads.
 *
 * A vCPU thread enters KVM_RUN only from enter_run(), which waits while
 * paused and marks it in_run under run_lock; immediate_exit, set under the
 * same lock, covers a kick that lands between there and the ioctl.  An
 * instruction fetch that failed while memslots changed anyway (which the
 * pause rules out) is still retried, a bounded number of times in a row.
 */
#define _GNU_SOURCE /* pthread_timedjoin_np */
#include <linux/kvm.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "mptrun.h"

static int set_cpuid(struct machine *m, struct vcpu *v)
{
	struct kvm_cpuid2 *c = calloc(1, sizeof(*c) + 256 * sizeof(c->entries[0]));
	unsigned int i;
	int ret = 0;

	if (!c)
		return -ENOMEM;
	c->nent = 256;
	if (ioctl(m->kvm_fd, KVM_GET_SUPPORTED_CPUID, c) < 0) {
		ret = -errno;
		goto out;
	}
	/* Each vCPU reports its own initial APIC ID. */
	for (i = 0; i < c->nent; i++) {
		struct kvm_cpuid_entry2 *e = &c->entries[i];

		if (e->function == 1)
			e->ebx = (e->ebx & 0x00ffffff) | v->id << 24;
		if (e->function == 0xb || e->function == 0x1f)
			e->edx = v->id;
	}
	if (ioctl(v->fd, KVM_SET_CPUID2, c) < 0)
		ret = -errno;
out:
	free(c);
	return ret;
}

/* The PVH boot state: flat 4 GiB segments, CR0.PE, no paging. */
static int set_boot_state(struct machine *m, struct vcpu *v)
{
	struct kvm_segment code = { .base = 0, .limit = 0xffffffff,
				    .selector = 0x10, .type = 0xb,
				    .present = 1, .db = 1, .s = 1, .g = 1 };
	struct kvm_segment data = code;
	struct kvm_regs regs = {
		.rip = m->entry,
		.rflags = 0x2,
		.rax = MPTRUN_BOOT_MAGIC,
		.rbx = MPTRUN_START_INFO_GPA,
	};
	struct kvm_mp_state mp = { .mp_state = KVM_MP_STATE_RUNNABLE };
	struct kvm_sregs sr;

	if (ioctl(v->fd, KVM_GET_SREGS, &sr) < 0)
		return -errno;
	data.type = 0x3;
	data.selector = 0x18;
	sr.cs = code;
	sr.ds = sr.es = sr.fs = sr.gs = sr.ss = data;
	sr.cr0 = 0x11; /* PE, ET */
	sr.cr4 = 0;
	sr.efer = 0;
	if (ioctl(v->fd, KVM_SET_SREGS, &sr) < 0 ||
	    ioctl(v->fd, KVM_SET_REGS, &regs) < 0)
		return -errno;
	/* Application processors wait for INIT/SIPI unless told to run. */
	if (v->id && ioctl(v->fd, KVM_SET_MP_STATE, &mp) < 0)
		return -errno;
	return 0;
}

int mptrun_vcpus_create(struct machine *m)
{
	unsigned int i;
	int ret;

	for (i = 0; i < m->o.vcpus; i++) {
		struct vcpu *v = &m->vcpu[i];

		v->m = m;
		v->id = i;
		v->fd = ioctl(m->vm_fd, KVM_CREATE_VCPU, i);
		if (v->fd < 0)
			return -errno;
		v->run = mmap(NULL, m->run_size, PROT_READ | PROT_WRITE,
			      MAP_SHARED, v->fd, 0);
		if (v->run == MAP_FAILED) {
			v->run = NULL;
			return -errno;
		}
		ret = set_cpuid(m, v);
		if (!ret)
			ret = set_boot_state(m, v);
		if (ret)
			return ret;
	}
	return 0;
}

static bool stopping(struct machine *m)
{
	return __atomic_load_n(&m->stop, __ATOMIC_ACQUIRE);
}

/* An absolute CLOCK_REALTIME time @ms milliseconds from now. */
static void deadline_ms(struct timespec *ts, long ms)
{
	clock_gettime(CLOCK_REALTIME, ts);
	ts->tv_nsec += ms * 1000 * 1000;
	while (ts->tv_nsec >= 1000000000) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000;
	}
}

/*
 * pause: kick the vCPU threads out of KVM_RUN and keep them out.  Called by
 * the backend with its VM lock held, from any thread; waits only for
 * threads that are inside KVM_RUN, which return from it without taking any
 * lock but run_lock.
 */
static void vcpus_pause(void *arg)
{
	struct machine *m = arg;
	struct timespec ts;
	unsigned int i;
	bool busy;

	pthread_mutex_lock(&m->run_lock);
	m->paused++;
	for (;;) {
		busy = false;
		for (i = 0; i < m->o.vcpus; i++) {
			struct vcpu *v = &m->vcpu[i];

			if (!v->in_run)
				continue;
			busy = true;
			/* Seen by KVM_RUN on entry; the signal kicks it out. */
			__atomic_store_n(&v->run->immediate_exit, 1,
					 __ATOMIC_RELEASE);
			pthread_kill(v->self, SIGUSR1);
		}
		if (!busy)
			break;
		/* Woken when a thread leaves KVM_RUN; kick again meanwhile. */
		deadline_ms(&ts, 1);
		pthread_cond_timedwait(&m->run_cond, &m->run_lock, &ts);
	}
	pthread_mutex_unlock(&m->run_lock);
}

static void vcpus_resume(void *arg)
{
	struct machine *m = arg;

	pthread_mutex_lock(&m->run_lock);
	if (m->paused && !--m->paused)
		pthread_cond_broadcast(&m->run_cond);
	pthread_mutex_unlock(&m->run_lock);
}

const struct mpt_kvm_vcpu_ops mptrun_vcpu_ops = {
	.pause = vcpus_pause,
	.resume = vcpus_resume,
};

/* Wait until @v may enter KVM_RUN and mark it in; false: the run is over. */
static bool enter_run(struct vcpu *v)
{
	struct machine *m = v->m;
	bool go;

	pthread_mutex_lock(&m->run_lock);
	while (m->paused && !stopping(m))
		pthread_cond_wait(&m->run_cond, &m->run_lock);
	go = !stopping(m);
	if (go) {
		/* Nobody kicks while not paused and not stopping. */
		__atomic_store_n(&v->run->immediate_exit, 0, __ATOMIC_RELEASE);
		v->self = pthread_self();
		v->in_run = true;
	}
	pthread_mutex_unlock(&m->run_lock);
	return go;
}

static void leave_run(struct vcpu *v)
{
	struct machine *m = v->m;

	pthread_mutex_lock(&m->run_lock);
	v->in_run = false;
	if (m->paused)
		pthread_cond_broadcast(&m->run_cond);
	pthread_mutex_unlock(&m->run_lock);
}

static void io_exit(struct vcpu *v)
{
	struct machine *m = v->m;
	struct kvm_run *run = v->run;
	u8 *p = (u8 *)run + run->io.data_offset;
	bool out = run->io.direction == KVM_EXIT_IO_OUT;
	unsigned int i;

	for (i = 0; i < run->io.count; i++, p += run->io.size) {
		mpt_stat_inc(&m->n.pio_exits);
		if (mpt_kvm_handle_pio(m->vm, run->io.port, p, run->io.size,
				       out) != -ENOENT)
			continue;
		mptrun_pio(m, run->io.port, p, run->io.size, out);
	}
}

static void mmio_exit(struct vcpu *v)
{
	struct machine *m = v->m;
	struct kvm_run *run = v->run;

	mpt_stat_inc(&m->n.mmio_exits);
	if (mpt_kvm_handle_mmio(m->vm, run->mmio.phys_addr, run->mmio.data,
				run->mmio.len, run->mmio.is_write) != -ENOENT)
		return;
	mptrun_mmio(m, run->mmio.phys_addr, run->mmio.data, run->mmio.len,
		    run->mmio.is_write);
}

static unsigned long long internal_data(const struct kvm_run *run,
					 unsigned int i)
{
	return i < run->internal.ndata ? run->internal.data[i] : 0;
}

/*
 * Handle one exit; false ends this vCPU's loop.  *@retries counts the
 * emulation failures retried in a row: any other exit shows the vCPU got
 * further, and starts the count again.
 */
static bool handle_exit(struct vcpu *v, u64 gen, unsigned int *retries)
{
	struct machine *m = v->m;
	struct kvm_run *run = v->run;

	if (run->exit_reason != KVM_EXIT_INTERNAL_ERROR)
		*retries = 0;
	switch (run->exit_reason) {
	case KVM_EXIT_IO:
		io_exit(v);
		return true;
	case KVM_EXIT_MMIO:
		mmio_exit(v);
		return true;
	case KVM_EXIT_INTR:
	case KVM_EXIT_HLT:
		return true;
	case KVM_EXIT_SHUTDOWN:
		mptrun_finish(m, MPTRUN_STATUS_SHUTDOWN,
			      "vCPU %u: guest shut down (triple fault)", v->id);
		return false;
	case KVM_EXIT_SYSTEM_EVENT:
		mptrun_finish(m, MPTRUN_STATUS_SHUTDOWN,
			      "vCPU %u: guest system event %u (shutdown or reset)",
			      v->id, run->system_event.type);
		return false;
	case KVM_EXIT_INTERNAL_ERROR:
		/* A fetch in a memslot being replaced (without a pause). */
		if (run->internal.suberror == KVM_INTERNAL_ERROR_EMULATION &&
		    *retries < 16 && mpt_kvm_slots_changed(m->vm, gen)) {
			(*retries)++;
			mpt_stat_inc(&m->n.slot_race_retries);
			return true;
		}
		mptrun_finish(m, MPTRUN_STATUS_KVM,
			      "vCPU %u: KVM internal error, suberror %u (data %#llx %#llx %#llx)",
			      v->id, run->internal.suberror, internal_data(run, 0),
			      internal_data(run, 1), internal_data(run, 2));
		return false;
	case KVM_EXIT_FAIL_ENTRY:
		mptrun_finish(m, MPTRUN_STATUS_KVM,
			      "vCPU %u: VM entry failed, reason %#llx", v->id,
			      (unsigned long long)run->fail_entry
				      .hardware_entry_failure_reason);
		return false;
	default:
		mptrun_finish(m, MPTRUN_STATUS_KVM,
			      "vCPU %u: unexpected KVM exit reason %u", v->id,
			      run->exit_reason);
		return false;
	}
}

static void *vcpu_thread(void *arg)
{
	struct vcpu *v = arg;
	struct machine *m = v->m;
	unsigned int retries = 0;
	int ret, err;
	u64 gen;

	while (enter_run(v)) {
		gen = mpt_kvm_slot_generation(m->vm);
		ret = ioctl(v->fd, KVM_RUN, 0);
		err = errno;
		leave_run(v);
		if (ret < 0) {
			/* Kicked: a pause, the end of the run, or a signal. */
			if (err == EINTR || err == EAGAIN)
				continue;
			mptrun_finish(m, MPTRUN_STATUS_KVM,
				      "vCPU %u: KVM_RUN: %s", v->id,
				      strerror(err));
			break;
		}
		if (!handle_exit(v, gen, &retries))
			break;
	}
	return NULL;
}

static void wake(int sig)
{
	(void)sig;
}

int mptrun_vcpus_start(struct machine *m)
{
	struct sigaction sa;
	unsigned int i;
	int ret;

	/* No SA_RESTART: the signal makes KVM_RUN return EINTR. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = wake;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	for (i = 0; i < m->o.vcpus; i++) {
		ret = -pthread_create(&m->vcpu[i].thread, NULL, vcpu_thread,
				      &m->vcpu[i]);
		if (ret)
			return ret;
		m->vcpu[i].started = true;
	}
	return 0;
}

bool mptrun_vcpus_stop(struct machine *m)
{
	struct timespec ts;
	bool all = true;
	unsigned int i, tries;

	/*
	 * Under run_lock, as enter_run() reads them: a thread either sees
	 * stop there, or is in_run and sees immediate_exit (which covers a
	 * signal that lands before KVM_RUN).  Paused threads wake and leave.
	 */
	pthread_mutex_lock(&m->run_lock);
	__atomic_store_n(&m->stop, true, __ATOMIC_RELEASE);
	for (i = 0; i < m->o.vcpus; i++)
		if (m->vcpu[i].started)
			__atomic_store_n(&m->vcpu[i].run->immediate_exit, 1,
					 __ATOMIC_RELEASE);
	pthread_cond_broadcast(&m->run_cond);
	pthread_mutex_unlock(&m->run_lock);
	for (i = 0; i < m->o.vcpus; i++) {
		struct vcpu *v = &m->vcpu[i];

		if (!v->started)
			continue;
		for (tries = 0; tries < 200; tries++) {
			pthread_kill(v->thread, SIGUSR1);
			deadline_ms(&ts, 10);
			if (!pthread_timedjoin_np(v->thread, NULL, &ts))
				break;
		}
		if (tries == 200)
			all = false;
		else
			v->started = false;
	}
	return all;
}

void mptrun_vcpus_destroy(struct machine *m)
{
	unsigned int i;

	for (i = 0; i < MPTRUN_MAX_VCPUS; i++) {
		struct vcpu *v = &m->vcpu[i];

		if (v->run)
			munmap(v->run, m->run_size);
		if (v->fd > 0)
			close(v->fd);
		v->run = NULL;
		v->fd = -1;
	}
}
