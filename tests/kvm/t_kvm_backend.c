// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * The KVM backend on a real KVM VM, where it goes beyond the conformance
 * suite: how write-tracking splits and merges memslots and runs out of
 * them, tracked stores made by the guest's CPU (one delivery per access the
 * CPU makes), RAM exits during memslot changes (a VMM without vCPU ops),
 * pausing the vCPU for memslot changes (with them: a vCPU running code
 * from RAM while pages are tracked, a device tracking from its own exit
 * handler), doorbells through ioeventfd, MSI routes and their delivery
 * into the guest's LAPIC, DMA pinning with mlock, and pass-through frames.
 */
#include <linux/kvm.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "tap.h"
#include "vmstub.h"
#include "backends/kvmgt/user/kvm_priv.h"

#define MIB (1ULL << 20)
#define BAR_GPA 0xe0000000ULL
#define DOORBELL 0x100
#define P 0x100ULL /* a gfn in the middle of region 0 */
#define LOG 64
/* Registers of the test device: a write tracks / untracks that gfn. */
#define REG_TRACK 0x10
#define REG_UNTRACK 0x14

struct test_dev {
	struct mpt_vdev vdev;
	unsigned int doorbells;
	u32 doorbell_value;
};

static void track_fn(struct mpt_vdev *vdev, u64 gpa, const void *data,
		     unsigned int len, void *opaque);

/* Results of tracking asked for through REG_TRACK and REG_UNTRACK. */
static int reg_track_ret, reg_untrack_ret;

/*
 * Registers: reads are 0x5a; writing a gfn to REG_TRACK (REG_UNTRACK)
 * tracks (untracks) that page from the exit handler, as a device model
 * binding a page table does (mgpu's CTX_PD).
 */
static int regs_trap(struct mpt_vdev *vdev, u64 offset, void *data,
		     unsigned int len, bool is_write, void *opaque)
{
	u32 gfn = 0;

	(void)opaque;
	if (!is_write) {
		memset(data, 0x5a, len);
		return 0;
	}
	memcpy(&gfn, data, len < 4 ? len : 4);
	if (offset == REG_TRACK)
		reg_track_ret = mpt_page_track_add(vdev, gfn, track_fn, NULL);
	else if (offset == REG_UNTRACK)
		reg_untrack_ret = mpt_page_track_remove(vdev, gfn, track_fn,
							NULL);
	return 0;
}

static int doorbell_trap(struct mpt_vdev *vdev, u64 offset, void *data,
			 unsigned int len, bool is_write, void *opaque)
{
	struct test_dev *d = (struct test_dev *)vdev;

	(void)offset;
	(void)opaque;
	if (is_write) {
		memcpy(&d->doorbell_value, data, len < 4 ? len : 4);
		__atomic_add_fetch(&d->doorbells, 1, __ATOMIC_SEQ_CST);
	} else {
		memset(data, 0, len);
	}
	return 0;
}

static int test_init(struct mpt_vdev *vdev)
{
	int ret = mpt_trap_register(vdev, 0, 0, DOORBELL, regs_trap, NULL, 0);

	if (!ret)
		ret = mpt_trap_register(vdev, 0, DOORBELL, 4, doorbell_trap,
					NULL,
					MPT_TRAP_SIZE4 | MPT_TRAP_DOORBELL);
	return ret;
}

static const struct mpt_vdev_ops test_ops = { .init = test_init };

static const struct mpt_pci_desc test_pci = {
	.vendor_id = 0x1af4,
	.device_id = 0x10f2,
	.class_code = 0xff0000,
	.bars = { [0] = { .type = MPT_BAR_MEM32, .size = 0x10000 } },
	.msi_vectors = 1,
};

static const struct mpt_vdev_type test_type = {
	.name = "kvm-test",
	.description = "KVM backend test device",
	.max_instances = 2,
	.instance_size = MPT_VDEV_TYPE_SIZE(struct test_dev, vdev),
	.pci = &test_pci,
	.ops = &test_ops,
};

/* What a page-track handler saw. */
static struct {
	unsigned int n;
	u64 gpa[LOG];
	unsigned int len[LOG];
	u8 data[LOG][8];
} tlog;

static void track_fn(struct mpt_vdev *vdev, u64 gpa, const void *data,
		     unsigned int len, void *opaque)
{
	(void)vdev;
	(void)opaque;
	if (tlog.n < LOG) {
		tlog.gpa[tlog.n] = gpa;
		tlog.len[tlog.n] = len;
		memcpy(tlog.data[tlog.n], data, len < 8 ? len : 8);
	}
	tlog.n++;
}

static struct vmstub s;
static struct mpt_vdev *v;

static void bar_decode(u64 addr);

static bool wait_for(unsigned int *counter, unsigned int want)
{
	int i;

	for (i = 0; i < 2000; i++) {
		if (__atomic_load_n(counter, __ATOMIC_SEQ_CST) >= want)
			return true;
		usleep(1000);
	}
	return false;
}

static void test_slots(void)
{
	struct mpt_kvm_stats st;
	int i;

	is_int(kvm_test_ram_slots(s.vm), 2, "one memslot per RAM region");
	ok(!mpt_page_track_add(v, P, track_fn, NULL), "track page P");
	is_int(kvm_test_ram_slots(s.vm), 4, "P splits its slot in three");
	ok(!mpt_page_track_add(v, P + 1, track_fn, NULL), "track P+1");
	is_int(kvm_test_ram_slots(s.vm), 4, "P+1 joins P's read-only slot");
	ok(!mpt_page_track_add(v, P + 3, track_fn, NULL), "track P+3");
	is_int(kvm_test_ram_slots(s.vm), 6, "P+3 gets a slot of its own");
	ok(!mpt_page_track_add(v, P + 2, track_fn, NULL), "track P+2");
	is_int(kvm_test_ram_slots(s.vm), 4, "P+2 merges [P, P+4) into one slot");
	ok(!mpt_page_track_remove(v, P + 1, track_fn, NULL), "untrack P+1");
	is_int(kvm_test_ram_slots(s.vm), 6, "the run splits around P+1");
	for (i = 0; i < 4; i++)
		mpt_page_track_remove(v, P + i, track_fn, NULL);
	is_int(kvm_test_ram_slots(s.vm), 2, "untracking all merges back");
	ok(!mpt_page_track_add(v, 0, track_fn, NULL),
	   "track the first page of RAM");
	ok(!mpt_page_track_add(v, 16 * MIB / 4096 - 1, track_fn, NULL),
	   "and the last page of region 0");
	is_int(kvm_test_ram_slots(s.vm), 4, "a run at each end of the region");
	mpt_page_track_remove(v, 0, track_fn, NULL);
	mpt_page_track_remove(v, 16 * MIB / 4096 - 1, track_fn, NULL);
	is_int(kvm_test_ram_slots(s.vm), 2, "and back to one slot");
	mpt_kvm_get_stats(s.vm, &st);
	ok(st.memslot_updates >= 20, "memslot updates are counted (%llu)",
	   (unsigned long long)st.memslot_updates);
}

static void test_enospc(void)
{
	u32 val = 0x11223344;

	kvm_test_limit_slots(s.vm, 4);
	ok(!mpt_page_track_add(v, P, track_fn, NULL),
	   "with 4 memslots, tracking P fits");
	is_int(mpt_page_track_add(v, P + 10, track_fn, NULL), -ENOSPC,
	   "tracking another page needs 2 more: -ENOSPC");
	ok(!mpt_page_track_is_tracked(v, P + 10), "that page is not tracked");
	is_int(kvm_test_ram_slots(s.vm), 4, "and the memslots are unchanged");
	tlog.n = 0;
	vmstub_access(&s, MPT_SPACE_MMIO, (P + 10) * 4096, &val, 4, true);
	is_int(tlog.n, 0, "a store there is not delivered");
	is_int(s.exits, 1, "nor does it exit");
	mpt_page_track_remove(v, P, track_fn, NULL);
	kvm_test_limit_slots(s.vm, 1000);
}

static void test_tracked_stores(void)
{
	u64 gpa = P * 4096;
	u8 buf[16], mem[16];
	u64 q = 0x8877665544332211ULL;
	u32 val = 0xdeadbeef;
	struct mpt_kvm_stats st0, st;
	void *h = mpt_vdev_backend_handle(v);
	unsigned int i;

	ok(!mpt_page_track_add(v, P, track_fn, NULL), "track P");
	mpt_kvm_get_stats(s.vm, &st0);
	tlog.n = 0;
	is_int(vmstub_access(&s, MPT_SPACE_MMIO, gpa + 0x10, &val, 4, true), 0,
	       "the guest stores 4 bytes to P");
	is_int(tlog.n, 1, "one delivery");
	ok(tlog.gpa[0] == gpa + 0x10 && tlog.len[0] == 4 &&
		   !memcmp(tlog.data[0], &val, 4),
	   "at the address, with the length and bytes stored");
	mpt_kvm_read_gpa(h, gpa + 0x10, mem, 4);
	ok(!memcmp(mem, &val, 4), "and memory holds them");
	mpt_kvm_get_stats(s.vm, &st);
	is_int(st.tracked_writes - st0.tracked_writes, 1,
	       "counted as a tracked write");

	tlog.n = 0;
	is_int(vmstub_access(&s, MPT_SPACE_MMIO, gpa + 4092, &q, 8, true), 0,
	       "an 8-byte store straddling P and the untracked P+1");
	ok(tlog.n == 1 && tlog.gpa[0] == gpa + 4092 && tlog.len[0] == 4 &&
		   !memcmp(tlog.data[0], &q, 4),
	   "delivers P's 4 bytes only");
	mpt_kvm_read_gpa(h, gpa + 4092, mem, 8);
	ok(!memcmp(mem, &q, 8), "memory holds all 8 bytes");

	tlog.n = 0;
	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (u8)(0xa0 + i);
	is_int(vmstub_write(&s, gpa + 0x100, buf, sizeof(buf)), 0,
	       "rep movsb of 16 bytes into P");
	is_int(tlog.n, 16, "one delivery per byte the CPU stored");
	for (i = 0; i < 16 && i < tlog.n; i++)
		if (tlog.gpa[i] != gpa + 0x100 + i || tlog.len[i] != 1 ||
		    tlog.data[i][0] != buf[i])
			break;
	is_int(i, 16, "in order, each with its byte");
	mpt_kvm_read_gpa(h, gpa + 0x100, mem, 16);
	ok(!memcmp(mem, buf, 16), "memory holds the 16 bytes");

	val = 0;
	vmstub_access(&s, MPT_SPACE_MMIO, gpa + 0x10, &val, 4, false);
	is_int(s.exits, 1, "a load from the tracked page does not exit");
	is_int(val, 0xdeadbeef, "and reads memory");

	ok(!mpt_page_track_remove(v, P, track_fn, NULL), "untrack P");
	tlog.n = 0;
	val = 0x600d;
	vmstub_access(&s, MPT_SPACE_MMIO, gpa + 0x10, &val, 4, true);
	ok(tlog.n == 0 && s.exits == 1, "a store no longer exits");
}

static void test_ram_exits(void)
{
	u64 gpa = (P + 5) * 4096;
	struct mpt_kvm_stats st0, st;
	u32 val = 0x01020304, got = 0;
	void *h = mpt_vdev_backend_handle(v);

	mpt_kvm_write_gpa(h, gpa, &val, 4);
	mpt_kvm_get_stats(s.vm, &st0);
	is_int(mpt_kvm_handle_mmio(s.vm, gpa, &got, 4, false), 0,
	       "an MMIO exit on RAM (a memslot race) is handled");
	is_int(got, val, "and the load is served from memory");
	mpt_kvm_get_stats(s.vm, &st);
	is_int(st.ram_exits - st0.ram_exits, 1, "counted as a RAM exit");
	ok(!mpt_page_track_add(v, P + 5, track_fn, NULL), "track the page");
	tlog.n = 0;
	val = 0x0a0b0c0d;
	is_int(mpt_kvm_handle_mmio(s.vm, gpa, &val, 4, true), 0,
	       "a store exiting there");
	ok(tlog.n == 1 && tlog.len[0] == 4, "is delivered");
	mpt_kvm_read_gpa(h, gpa, &got, 4);
	is_int(got, val, "and applied");
	mpt_page_track_remove(v, P + 5, track_fn, NULL);
	is_int(mpt_kvm_handle_mmio(s.vm, 0x50000000, &got, 4, false), -ENOENT,
	       "an exit outside RAM and areas is the VMM's");
	ok(mpt_kvm_slot_generation(s.vm) % 2 == 0,
	   "the memslot generation is even between changes");
	ok(!mpt_kvm_slots_changed(s.vm, mpt_kvm_slot_generation(s.vm)),
	   "and nothing changed since it was read");
}

struct race {
	u64 gpa;
	int ret;
	bool done;
};

static void *race_vcpu(void *arg)
{
	struct race *r = arg;

	r->ret = vmstub_run(&s, VMSTUB_LOOP_ST4, 0x5eed5eed, 200000, 0, 0,
			    (u32)r->gpa);
	__atomic_store_n(&r->done, true, __ATOMIC_SEQ_CST);
	return NULL;
}

/*
 * Without vCPU ops (the defence for VMMs that give none): the vCPU stores
 * in a loop to a page while the memslot holding it is split and merged
 * again and again (tracking its neighbour): stores that land while the
 * page is in no memslot exit and are served from the mapping, none is
 * lost, the loop finishes.
 */
static void test_race(void)
{
	struct race r = { .gpa = (P + 7) * 4096 + 0x40 };
	struct mpt_kvm_stats st0, st;
	unsigned int flips = 0;
	pthread_t t;
	u32 got = 0;
	int ret = 0;

	is_int(mpt_kvm_set_vcpu_ops(s.vm, NULL, NULL), 0,
	       "take the vCPU ops away");
	mpt_kvm_get_stats(s.vm, &st0);
	if (pthread_create(&t, NULL, race_vcpu, &r)) {
		ok(0, "start a vCPU thread");
		return;
	}
	while (!__atomic_load_n(&r.done, __ATOMIC_SEQ_CST) && !ret) {
		ret = mpt_page_track_add(v, P + 8, track_fn, NULL);
		if (!ret)
			ret = mpt_page_track_remove(v, P + 8, track_fn, NULL);
		flips++;
	}
	pthread_join(t, NULL);
	is_int(ret, 0, "tracking flipped %u times while the vCPU stored", flips);
	is_int(r.ret, 0, "the vCPU's loop of 200000 stores finished");
	mpt_kvm_read_gpa(mpt_vdev_backend_handle(v), r.gpa, &got, 4);
	is_int(got, 0x5eed5eed, "memory holds the stored value");
	mpt_kvm_get_stats(s.vm, &st);
	diag("stores that exited during memslot changes: %llu",
	     (unsigned long long)(st.ram_exits - st0.ram_exits));
	is_int(st.vcpu_pauses - st0.vcpu_pauses, 0, "and nothing was paused");
	is_int(kvm_test_ram_slots(s.vm), 2, "the slots are merged at the end");
	is_int(mpt_kvm_set_vcpu_ops(s.vm, &vmstub_vcpu_ops, &s), 0,
	       "give the vCPU ops back");
}

/*
 * Guest code the vCPU runs from RAM, in a memslot that tracking splits:
 *	1: mov eax, [esi]; inc eax; mov [esi], eax	a counter in RAM
 *	   mov ebx, [edi]				the page being tracked
 *	   loop 1b
 *	   mov dx, VMSTUB_DONE_PORT; out dx, al; jmp $
 */
static const u8 ram_loop[] = {
	0x8b, 0x06, 0x40, 0x89, 0x06, 0x8b, 0x1f, 0xe2, 0xf7,
	0x66, 0xba, VMSTUB_DONE_PORT & 0xff, VMSTUB_DONE_PORT >> 8,
	0xee, 0xeb, 0xfe,
};

#define RL_CODE ((P + 0x20) * 4096) /* the code */
#define RL_COUNTER ((P + 0x21) * 4096 + 0x80) /* the counter */
#define RL_TRACKED (P + 0x30) /* the gfn tracked and untracked */
#define RL_ITERS 20000 /* per run: bounded, the CPU may be emulated */

static bool in_kvm_run(void)
{
	bool in;

	pthread_mutex_lock(&s.run_lock);
	in = s.in_run;
	pthread_mutex_unlock(&s.run_lock);
	return in;
}

struct ram_loop_vcpu {
	bool stop; /* atomic */
	unsigned int runs;
	int ret;
};

static void *ram_loop_vcpu(void *arg)
{
	struct ram_loop_vcpu *r = arg;

	while (!__atomic_load_n(&r->stop, __ATOMIC_SEQ_CST) && !r->ret) {
		r->ret = vmstub_run_at(&s, (u32)RL_CODE, 0, RL_ITERS, 0,
				       (u32)RL_COUNTER,
				       (u32)(RL_TRACKED * 4096));
		if (!r->ret)
			r->runs++;
	}
	return NULL;
}

/*
 * With vCPU ops: the vCPU fetches its code from RAM and reads and writes
 * RAM in a tight loop while another thread tracks and untracks a page of
 * the same memslot again and again.  Every change is made with the vCPU
 * out of KVM_RUN, so none of its accesses finds RAM in no memslot: no KVM
 * emulation error or shutdown, no access exits as a RAM race, and the
 * counter it increments is exact.  (Without the pause, an instruction
 * fetch in the window fails with KVM_EXIT_INTERNAL_ERROR.)
 */
static void test_pause_race(void)
{
	void *h = mpt_vdev_backend_handle(v);
	struct ram_loop_vcpu r = { 0 };
	struct mpt_kvm_stats st0, st;
	unsigned int flips = 0, kicks0 = s.kicks, i;
	u32 zero = 0, got = 0;
	pthread_t t;
	int ret = 0;

	mpt_kvm_write_gpa(h, RL_CODE, ram_loop, sizeof(ram_loop));
	mpt_kvm_write_gpa(h, RL_COUNTER, &zero, 4);
	mpt_kvm_get_stats(s.vm, &st0);
	if (pthread_create(&t, NULL, ram_loop_vcpu, &r)) {
		ok(0, "start a vCPU thread");
		return;
	}
	while (flips < 2000 && !ret &&
	       !__atomic_load_n(&r.ret, __ATOMIC_SEQ_CST)) {
		/* Change the slot while the vCPU runs (or nearly so). */
		for (i = 0; i < 2000 && !in_kvm_run(); i++)
			usleep(5);
		ret = mpt_page_track_add(v, RL_TRACKED, track_fn, NULL);
		for (i = 0; i < 2000 && !ret && !in_kvm_run(); i++)
			usleep(5);
		if (!ret)
			ret = mpt_page_track_remove(v, RL_TRACKED, track_fn,
						    NULL);
		flips++;
	}
	__atomic_store_n(&r.stop, true, __ATOMIC_SEQ_CST);
	pthread_join(t, NULL);
	mpt_kvm_get_stats(s.vm, &st);
	is_int(ret, 0, "tracking flipped %u times while the vCPU ran from RAM",
	       flips);
	is_int(r.ret, 0, "no KVM error or shutdown in %u runs of %u iterations",
	       r.runs, RL_ITERS);
	ok(r.runs > 0, "the vCPU finished its loop at least once");
	mpt_kvm_read_gpa(h, RL_COUNTER, &got, 4);
	ok(!r.ret && got == r.runs * RL_ITERS,
	   "its RAM counter is exact (%u)", got);
	is_int(st.ram_exits - st0.ram_exits, 0,
	       "no access raced with a memslot change");
	is_int(st.vcpu_pauses - st0.vcpu_pauses, 2 * flips,
	       "the vCPU was paused for each change");
	ok(s.kicks > kicks0, "and kicked out of KVM_RUN for %u of them",
	   s.kicks - kicks0);
	is_int(kvm_test_ram_slots(s.vm), 2, "the slots are merged at the end");
	is_int(s.paused, 0, "the vCPU is not left paused");
}

/*
 * A device model tracks a page from its MMIO handler, on the vCPU thread
 * (as mgpu does on a CTX_PD write): the pause must not wait for that
 * thread, which is out of KVM_RUN, handling the exit.
 */
static void test_pause_from_exit(void)
{
	struct mpt_kvm_stats st0, st;
	u32 gfn = (u32)(P + 0x40);
	unsigned int pauses0 = s.pauses;

	bar_decode(BAR_GPA);
	mpt_kvm_get_stats(s.vm, &st0);
	reg_track_ret = reg_untrack_ret = -1;
	is_int(vmstub_access(&s, MPT_SPACE_MMIO, BAR_GPA + REG_TRACK, &gfn, 4,
			     true), 0, "the guest asks the device to track a page");
	is_int(reg_track_ret, 0, "its handler tracked it from the exit");
	ok(mpt_page_track_is_tracked(v, gfn), "the page is tracked");
	is_int(vmstub_access(&s, MPT_SPACE_MMIO, BAR_GPA + REG_UNTRACK, &gfn,
			     4, true), 0, "and to untrack it");
	is_int(reg_untrack_ret, 0, "untracked from the exit");
	mpt_kvm_get_stats(s.vm, &st);
	ok(st.vcpu_pauses - st0.vcpu_pauses == 2 && s.pauses - pauses0 == 2,
	   "the vCPU was paused for both changes, while in its exit handler");
	is_int(kvm_test_ram_slots(s.vm), 2, "the slots are merged again");
	bar_decode(0);
}

static void bar_decode(u64 addr)
{
	u32 cmd = 0;

	mpt_vdev_cfg_access(v, MPT_PCI_COMMAND, &cmd, 2, false);
	if (!addr) {
		cmd &= ~(u32)MPT_PCI_COMMAND_MEMORY;
		mpt_vdev_cfg_access(v, MPT_PCI_COMMAND, &cmd, 2, true);
		return;
	}
	mpt_vdev_cfg_access(v, MPT_PCI_BAR0, &addr, 4, true);
	cmd |= MPT_PCI_COMMAND_MEMORY;
	mpt_vdev_cfg_access(v, MPT_PCI_COMMAND, &cmd, 2, true);
}

static void test_doorbells(void)
{
	struct test_dev *d = (struct test_dev *)v;
	struct mpt_kvm_stats st;
	u32 val = 0x1234;

	bar_decode(BAR_GPA);
	is_int(vmstub_access(&s, MPT_SPACE_MMIO, BAR_GPA + DOORBELL, &val, 4,
			     true), 0, "the guest rings the doorbell");
	is_int(s.exits, 1, "without an exit (ioeventfd)");
	ok(wait_for(&d->doorbells, 1), "the backend thread delivers it");
	is_int(d->doorbell_value, 0, "as a write of zeroes");
	mpt_kvm_get_stats(s.vm, &st);
	is_int(st.doorbells, 1, "counted");
	vmstub_access(&s, MPT_SPACE_MMIO, BAR_GPA + DOORBELL, &val, 4, false);
	is_int(s.exits, 2, "a load from the doorbell exits as usual");
	bar_decode(0);
	mpt_kvm_set_ioeventfd(s.vm, false);
	bar_decode(BAR_GPA);
	val = 0x4321;
	vmstub_access(&s, MPT_SPACE_MMIO, BAR_GPA + DOORBELL, &val, 4, true);
	is_int(s.exits, 2, "with ioeventfd off the doorbell exits");
	ok(d->doorbells == 2 && d->doorbell_value == 0x4321,
	   "and the handler sees the value at once");
	bar_decode(0);
	mpt_kvm_set_ioeventfd(s.vm, true);
}

/* Whether vector @vec is pending in the vCPU's LAPIC IRR. */
static bool irr(unsigned int vec)
{
	struct kvm_lapic_state l;
	u32 w;

	if (ioctl(s.vcpu_fd, KVM_GET_LAPIC, &l) < 0)
		return false;
	memcpy(&w, &l.regs[0x200 + (vec / 32) * 0x10], 4);
	return w >> (vec % 32) & 1;
}

static bool wait_irr(unsigned int vec)
{
	int i;

	for (i = 0; i < 1000 && !irr(vec); i++)
		usleep(1000);
	return irr(vec);
}

static void clear_irr(void)
{
	struct kvm_lapic_state l;
	u32 svr = 0x1ff; /* APIC software-enabled, spurious vector 0xff */

	ioctl(s.vcpu_fd, KVM_GET_LAPIC, &l);
	memset(&l.regs[0x200], 0, 0x80);
	memcpy(&l.regs[0xf0], &svr, 4);
	ioctl(s.vcpu_fd, KVM_SET_LAPIC, &l);
}

static void test_msi(void)
{
	void *h = mpt_vdev_backend_handle(v);
	struct mpt_kvm_stats st;
	unsigned int routes;
	int i;

	clear_irr();
	is_int(mpt_kvm_inject_msi(h, 0xfee00000, 0x47), 0,
	       "inject an MSI to vector 0x47 of CPU 0");
	mpt_kvm_get_stats(s.vm, &st);
	is_int(st.msi_signal, 1, "the first goes through KVM_SIGNAL_MSI");
	ok(wait_irr(0x47), "the guest's LAPIC has it pending");
	for (i = 0; i < 2000 && !kvm_test_msi_routes(s.vm); i++)
		usleep(1000);
	routes = kvm_test_msi_routes(s.vm);
	is_int(routes, 1, "the backend thread made an irqfd route");
	clear_irr();
	is_int(mpt_kvm_inject_msi(h, 0xfee00000, 0x47), 0, "inject it again");
	mpt_kvm_get_stats(s.vm, &st);
	is_int(st.msi_irqfd, 1, "now through the irqfd");
	ok(wait_irr(0x47), "and the LAPIC has it pending again");
	is_int(mpt_kvm_inject_msi(h, 0xfed00000, 0x30), -EINVAL,
	       "an address outside the LAPIC window is refused");
}

/* AddressSanitizer turns mlock() into a no-op: VmLck cannot tell then. */
#ifdef __SANITIZE_ADDRESS__
#define MLOCK_VISIBLE 0
#else
#define MLOCK_VISIBLE 1
#endif

static unsigned long vm_locked_kb(void)
{
	char line[256];
	unsigned long kb = 0;
	FILE *f = fopen("/proc/self/status", "r");

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "VmLck: %lu kB", &kb) == 1)
			break;
	if (f)
		fclose(f);
	return kb;
}

static void test_dma(void)
{
	u64 a = 0, b = 0, gfn = 0x200;
	unsigned long lck0 = vm_locked_kb();

	is_int(mpt_dma_map(v, gfn, MPT_DMA_SIZE_64K, &a), 0, "map 64K for DMA");
	ok(a == (u64)(uintptr_t)s.ram[0].hva + gfn * 4096,
	   "the bus address is the VMM's mapping");
	ok(!MLOCK_VISIBLE || vm_locked_kb() >= lck0 + 64,
	   "the pages are mlock()ed");
	is_int(mpt_dma_map(v, gfn + 1, MPT_DMA_SIZE_4K, &b), 0,
	       "map its second 4K page too");
	is_int(kvm_test_pin_count(s.vm, gfn + 1), 2, "that page is pinned twice");
	is_int(mpt_dma_unmap(v, a), 0, "unmap the 64K");
	ok(kvm_test_pin_count(s.vm, gfn + 1) == 1 &&
		   kvm_test_pin_count(s.vm, gfn) == 0,
	   "the 4K page stays pinned, the others not");
	ok(vm_locked_kb() < lck0 + 64, "and they are munlock()ed");
	mpt_dma_unmap(v, b);
	is_int(vm_locked_kb(), lck0, "all unlocked at the end");
}

static void test_frames(void)
{
	u8 *page = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	u64 pfn = (u64)(uintptr_t)page >> 12, gfn = 0xe0100;
	u32 val = 0, pattern = 0xcafef00d;

	memcpy(page, &pattern, 4);
	is_int(mpt_map_frames(v, gfn, pfn, 1), 0, "map a host page at 0xe0100000");
	vmstub_access(&s, MPT_SPACE_MMIO, gfn * 4096, &val, 4, false);
	ok(val == pattern && s.exits == 1,
	   "the guest reads it without an exit");
	is_int(mpt_map_frames(v, 0x10, pfn, 1), -EBUSY,
	       "mapping over RAM is -EBUSY");
	is_int(mpt_map_frames(v, gfn, pfn, 1), -EBUSY,
	       "mapping over a mapping is -EBUSY");
	is_int(mpt_unmap_frames(v, gfn, 1), 0, "unmap it");
	vmstub_access(&s, MPT_SPACE_MMIO, gfn * 4096, &val, 4, false);
	is_int(val, 0xffffffff, "the address is unclaimed again");
	munmap(page, 4096);
}

int main(void)
{
	static const u64 gpa[] = { 0, 32 * MIB }, size[] = { 16 * MIB, MIB };
	struct mpt_backend *be;
	const char *why;

	if (!vmstub_kvm_usable(&why))
		tap_skip_all(why);
	/* A vCPU that is never let back into KVM_RUN hangs: fail instead. */
	alarm(300);
	if (mpt_kvm_register(NULL, &be) || mpt_type_register(&test_type) ||
	    vmstub_create(&s, gpa, size, 2) ||
	    mpt_vdev_create("kvm-test", "kvm", &v) ||
	    mpt_vdev_attach(v, s.vm) || mpt_vdev_activate(v)) {
		printf("Bail out! cannot set up a VM with a device\n");
		return 1;
	}
	test_slots();
	test_enospc();
	test_tracked_stores();
	test_ram_exits();
	test_race();
	test_pause_race();
	test_pause_from_exit();
	test_doorbells();
	test_msi();
	test_dma();
	test_frames();
	is_int(mpt_vdev_destroy(v), 0, "destroy the device");
	is_int(kvm_test_violations(s.vm), 0, "the backend saw no contract breach");
	vmstub_destroy(&s);
	is_int(mpt_type_unregister(&test_type), 0, "unregister the type");
	is_int(mpt_backend_unregister(be), 0, "unregister the backend");
	return done_testing();
}
