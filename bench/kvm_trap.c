// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * make bench-kvm: what the KVM backend costs on real KVM, as JSON.
 *
 * Each pair is measured in the same run, on the same VM, so the ratio is
 * meaningful even where the absolute numbers (nested KVM here) are not:
 *
 *   mmio_raw      a guest load exiting to a VMM handler that answers it
 *   mmio_mpt      the same load routed by mpt_kvm_handle_mmio() to a
 *                 claimed BAR and a device model's trivial handler
 *   write_raw     a guest store exiting to a VMM handler
 *   write_tracked the same store to a write-tracked page: read-only memslot
 *                 exit, delivery to a no-op page-track handler, applied
 *   track/untrack N pages, scattered (every other page: one slot each) and
 *                 contiguous (one growing slot), per page
 *   doorbell_exit a guest store to a doorbell register that exits to the
 *                 VMM and is dispatched to the device model
 *   doorbell_ioeventfd the same store bound to an ioeventfd: KVM completes
 *                 it in the kernel and the backend thread tells the device
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_util.h"
#include "vmstub.h"
#include "backends/kvmgt/user/kvm_priv.h"

#define MIB (1ULL << 20)
#define BAR_GPA 0xe0000000ULL
#define LOOPS 20000
#define PAGES 10000
#define BASE_GFN 0x1000ULL

static int nop_trap(struct mpt_vdev *vdev, u64 offset, void *data,
		    unsigned int len, bool is_write, void *opaque)
{
	(void)vdev;
	(void)offset;
	(void)opaque;
	if (!is_write)
		memset(data, 0, len);
	return 0;
}

#define DOORBELL 0x100

static int bench_init(struct mpt_vdev *vdev)
{
	return mpt_trap_register(vdev, 0, 0, DOORBELL, nop_trap, NULL, 0) ?:
	       mpt_trap_register(vdev, 0, DOORBELL, 4, nop_trap, NULL,
				 MPT_TRAP_SIZE4 | MPT_TRAP_DOORBELL);
}

static const struct mpt_vdev_ops bench_ops = { .init = bench_init };

static const struct mpt_pci_desc bench_pci = {
	.vendor_id = 0x1af4,
	.device_id = 0x10f3,
	.class_code = 0xff0000,
	.bars = { [0] = { .type = MPT_BAR_MEM32, .size = 0x1000 } },
};

static const struct mpt_vdev_type bench_type = {
	.name = "kvm-bench",
	.description = "KVM backend benchmark device",
	.max_instances = 1,
	.instance_size = sizeof(struct mpt_vdev),
	.pci = &bench_pci,
	.ops = &bench_ops,
};

static void track_nop(struct mpt_vdev *vdev, u64 gpa, const void *data,
		      unsigned int len, void *opaque)
{
	(void)vdev;
	(void)gpa;
	(void)data;
	(void)len;
	(void)opaque;
}

static int raw_answer(u64 gpa, void *data, unsigned int len, bool is_write)
{
	(void)gpa;
	if (!is_write)
		memset(data, 0, len);
	return 0;
}

#define ROUNDS 9

/* Nanoseconds per iteration of a guest loop of @n accesses. */
static double loop_ns(struct vmstub *s, enum vmstub_op op, u64 addr, u32 n)
{
	double t0 = bench_now_ns();

	if (vmstub_run(s, op, 0, n, 0, (u32)addr, (u32)addr))
		return -1;
	return (bench_now_ns() - t0) / n;
}

static void bar_decode(struct mpt_vdev *v, u64 addr)
{
	u32 cmd = MPT_PCI_COMMAND_MEMORY;

	mpt_vdev_cfg_access(v, MPT_PCI_BAR0, &addr, 4, true);
	mpt_vdev_cfg_access(v, MPT_PCI_COMMAND, &cmd, 2, true);
}

/*
 * Doorbell stores with ioeventfd on or off: the BAR is claimed again so
 * the backend binds (or not) the doorbell.
 */
static double doorbell_ns(struct vmstub *s, struct mpt_vdev *v, bool eventfd)
{
	u32 off = 0;

	mpt_vdev_cfg_access(v, MPT_PCI_COMMAND, &off, 2, true);
	mpt_kvm_set_ioeventfd(s->vm, eventfd);
	bar_decode(v, BAR_GPA);
	loop_ns(s, VMSTUB_LOOP_ST4, BAR_GPA + DOORBELL, 1000);
	return loop_ns(s, VMSTUB_LOOP_ST4, BAR_GPA + DOORBELL, LOOPS);
}

/* Track (or untrack) PAGES pages @stride apart; ns per page. */
static double track_ns(struct mpt_vdev *v, u64 stride, bool add)
{
	double t0 = bench_now_ns();
	u64 i;

	for (i = 0; i < PAGES; i++) {
		u64 gfn = BASE_GFN + i * stride;
		int ret = add ? mpt_page_track_add(v, gfn, track_nop, NULL) :
				mpt_page_track_remove(v, gfn, track_nop, NULL);

		if (ret) {
			fprintf(stderr, "bench-kvm: track %s gfn %#llx: %d\n",
				add ? "add" : "remove", (unsigned long long)gfn,
				ret);
			return -1;
		}
	}
	return (bench_now_ns() - t0) / PAGES;
}

int main(void)
{
	static const u64 gpa[] = { 0 }, size[] = { 128 * MIB };
	double mmio_raw, mmio_mpt, wr_raw, wr_tracked, t_sc, u_sc, t_co, u_co;
	double db_exit, db_eventfd, ratio[ROUNDS];
	unsigned int r;
	unsigned int peak_sc, peak_co;
	struct mpt_kvm_stats st0, st;
	struct mpt_backend *be;
	struct mpt_vdev *v;
	struct vmstub s;
	const char *why;

	if (!vmstub_kvm_usable(&why)) {
		printf("{\"skipped\": \"%s\"}\n", why);
		return 0;
	}
	if (mpt_kvm_register(NULL, &be) || mpt_type_register(&bench_type) ||
	    vmstub_create(&s, gpa, size, 1) ||
	    mpt_vdev_create("kvm-bench", "kvm", &v) ||
	    mpt_vdev_attach(v, s.vm) || mpt_vdev_activate(v)) {
		fprintf(stderr, "bench-kvm: cannot set up a VM\n");
		return 1;
	}
	/*
	 * Raw exits (nobody claimed the BAR: the VMM's handler answers) and
	 * the same loads through mpt, interleaved round by round; the ratio is
	 * the median of the rounds' ratios, the times their best.
	 */
	s.raw_handler = raw_answer;
	loop_ns(&s, VMSTUB_LOOP_LD4, BAR_GPA, 1000);
	wr_raw = loop_ns(&s, VMSTUB_LOOP_ST4, BAR_GPA, LOOPS);
	mmio_raw = mmio_mpt = 1e30;
	for (r = 0; r < ROUNDS; r++) {
		u32 off = 0;
		double raw, mpt;

		mpt_vdev_cfg_access(v, MPT_PCI_COMMAND, &off, 2, true);
		raw = loop_ns(&s, VMSTUB_LOOP_LD4, BAR_GPA, LOOPS);
		bar_decode(v, BAR_GPA);
		mpt = loop_ns(&s, VMSTUB_LOOP_LD4, BAR_GPA, LOOPS);
		ratio[r] = mpt / raw;
		mmio_raw = raw < mmio_raw ? raw : mmio_raw;
		mmio_mpt = mpt < mmio_mpt ? mpt : mmio_mpt;
	}
	s.raw_handler = NULL;

	if (mpt_page_track_add(v, BASE_GFN, track_nop, NULL))
		return 1;
	mpt_kvm_get_stats(s.vm, &st0);
	wr_tracked = loop_ns(&s, VMSTUB_LOOP_ST4, BASE_GFN << 12, LOOPS);
	mpt_kvm_get_stats(s.vm, &st);
	mpt_page_track_remove(v, BASE_GFN, track_nop, NULL);
	db_exit = doorbell_ns(&s, v, false);
	db_eventfd = doorbell_ns(&s, v, true);

	t_sc = track_ns(v, 2, true);
	peak_sc = kvm_test_ram_slots(s.vm);
	u_sc = track_ns(v, 2, false);
	t_co = track_ns(v, 1, true);
	peak_co = kvm_test_ram_slots(s.vm);
	u_co = track_ns(v, 1, false);

	printf("{\"bench\": \"kvm\", \"loops\": %d, \"pages\": %d,\n", LOOPS,
	       PAGES);
	printf(" \"mmio_load_raw_ns\": %.0f, \"mmio_load_mpt_ns\": %.0f, "
	       "\"mmio_mpt_over_raw\": %.3f,\n",
	       mmio_raw, mmio_mpt, bench_median(ratio, ROUNDS));
	printf(" \"store_raw_exit_ns\": %.0f, \"store_tracked_ns\": %.0f, "
	       "\"tracked_over_raw\": %.3f, \"tracked_writes\": %llu,\n",
	       wr_raw, wr_tracked, wr_tracked / wr_raw,
	       (unsigned long long)(st.tracked_writes - st0.tracked_writes));
	printf(" \"doorbell_exit_ns\": %.0f, \"doorbell_ioeventfd_ns\": %.0f, "
	       "\"doorbell_ioeventfd_over_exit\": %.3f,\n",
	       db_exit, db_eventfd, db_eventfd / db_exit);
	printf(" \"track_scattered_ns_per_page\": %.0f, "
	       "\"untrack_scattered_ns_per_page\": %.0f,\n", t_sc, u_sc);
	printf(" \"track_contiguous_ns_per_page\": %.0f, "
	       "\"untrack_contiguous_ns_per_page\": %.0f,\n", t_co, u_co);
	printf(" \"memslots_scattered\": %u, \"memslots_contiguous\": %u,\n",
	       peak_sc, peak_co);
	mpt_kvm_get_stats(s.vm, &st);
	printf(" \"memslot_updates\": %llu}\n",
	       (unsigned long long)st.memslot_updates);
	mpt_vdev_destroy(v);
	vmstub_destroy(&s);
	if (mpt_type_unregister(&bench_type) || mpt_backend_unregister(be))
		return 1;
	return 0;
}
