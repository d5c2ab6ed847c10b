// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * make bench-kvm: guest-memory bandwidth through the KVM backend, as JSON.
 *
 *   gpa_read/gpa_write   mpt_gpa_read()/mpt_gpa_write() of N bytes of guest
 *                        RAM on a real KVM VM, against memcpy() between the
 *                        very same guest mapping and host buffer, for N =
 *                        4 KiB to 16 MiB (goal: >= 0.9 of memcpy from
 *                        64 KiB); what remains is mpt's own cost
 *   fill                 an mgpu FILL_RECT of a 1920x1080 XRGB8888 frame
 *                        through the GGTT, submitted by the host through the
 *                        device's registers, against memset() of the same
 *                        frame (goal: >= 0.8)
 *
 * Each pair is measured in the same run, interleaved round by round; a
 * ratio is the median of the rounds' ratios, so noise from the rest of the
 * machine hits both sides alike.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <mpt/kvm.h>
#include <mpt/mpt.h>

#include "mgpu.h"
#include "mgpu_hw.h"
#include "bench_util.h"
#include "vmstub.h"

#define MIB (1ULL << 20)
#define RAM_SIZE (64 * MIB)
#define ROUNDS 9
#define FB_W 1920
#define FB_H 1080
#define FB_BYTES ((u64)FB_W * FB_H * 4)
#define FB_GPA (16 * MIB) /* GA 0 maps here */
#define RING_GPA (32 * MIB) /* GA RING_GA maps here */
#define RING_GA (FB_BYTES + 4096 - FB_BYTES % 4096)

/* Bytes per ns of @reps copies of @len bytes, one way or the other. */
static double gpa_rate(struct mpt_vdev *v, u8 *buf, u64 len, int reps,
		       bool write)
{
	double t = bench_now_ns();
	int i;

	for (i = 0; i < reps; i++) {
		int ret = write ? mpt_gpa_write(v, 0, buf, len) :
				  mpt_gpa_read(v, 0, buf, len);

		if (ret)
			return -1;
	}
	return len * (double)reps / (bench_now_ns() - t);
}

static double memcpy_rate(u8 *dst, const u8 *src, u64 len, int reps)
{
	double t = bench_now_ns();
	int i;

	for (i = 0; i < reps; i++) {
		memcpy(dst, src, len);
		__asm__ volatile("" : : "r"(dst) : "memory");
	}
	return len * (double)reps / (bench_now_ns() - t);
}

static void bench_gpa(struct mpt_vdev *v, u8 *guest_ram)
{
	static u8 host[16 * MIB];
	double rd[ROUNDS], wr[ROUNDS];
	u64 len;
	int r, reps;

	memset(host, 1, sizeof(host));
	memset(guest_ram, 2, 16 * MIB);
	printf(" \"gpa_bandwidth\": [\n");
	for (len = 4096; len <= 16 * MIB; len *= 4) {
		reps = (int)(64 * MIB / len);
		for (r = 0; r < ROUNDS; r++) {
			double base = memcpy_rate(host, guest_ram, len, reps);

			rd[r] = gpa_rate(v, host, len, reps, false) / base;
			base = memcpy_rate(guest_ram, host, len, reps);
			wr[r] = gpa_rate(v, host, len, reps, true) / base;
		}
		printf("  {\"bytes\": %llu, \"read_over_memcpy\": %.3f, "
		       "\"write_over_memcpy\": %.3f}%s\n",
		       (unsigned long long)len, bench_median(rd, ROUNDS),
		       bench_median(wr, ROUNDS), len * 4 <= 16 * MIB ? "," : "");
	}
	printf(" ],\n");
}

static void reg(struct mpt_vdev *v, u32 off, u32 val)
{
	mpt_vdev_bar_access(v, 0, off, &val, 4, true);
}

static u32 reg_read(struct mpt_vdev *v, u32 off)
{
	u32 val = 0;

	mpt_vdev_bar_access(v, 0, off, &val, 4, false);
	return val;
}

/* GGTT: GA [0, frame) -> FB_GPA, GA RING_GA -> RING_GPA (one page). */
static void map_ggtt(struct mpt_vdev *v)
{
	u64 pte, i, pages = RING_GA / 4096;

	for (i = 0; i < pages; i++) {
		pte = (FB_GPA + i * 4096) | MGPU_PTE_VALID;
		mpt_vdev_bar_access(v, 0, MGPU_GGTT_OFFSET + i * 8, &pte, 8,
				    true);
	}
	pte = RING_GPA | MGPU_PTE_VALID;
	mpt_vdev_bar_access(v, 0, MGPU_GGTT_OFFSET + pages * 8, &pte, 8, true);
	reg(v, MGPU_REG_RING_BASE, (u32)RING_GA);
	reg(v, MGPU_REG_RING_SIZE, 4096);
}

/* One FILL of the whole frame through the ring; ns, or -1 on error. */
static double fill_once(struct vmstub *s, struct mpt_vdev *v, u32 color)
{
	u32 cmd[] = { MGPU_CMD(MGPU_OP_FILL, MGPU_LEN_FILL), 0, FB_W * 4,
		      FB_W | FB_H << 16, color };
	u32 head = reg_read(v, MGPU_REG_RING_HEAD), tail;
	double t;

	if (head + sizeof(cmd) > 4096) {
		reg(v, MGPU_REG_RING_BASE, (u32)RING_GA); /* empties the ring */
		head = 0;
	}
	vmstub_write(s, RING_GPA + head, cmd, sizeof(cmd));
	tail = head + sizeof(cmd);
	t = bench_now_ns();
	reg(v, MGPU_REG_RING_TAIL, tail);
	t = bench_now_ns() - t;
	return reg_read(v, MGPU_REG_RING_HEAD) == tail &&
			       !(reg_read(v, MGPU_REG_STATUS) & MGPU_STATUS_ERROR) ?
		       t :
		       -1;
}

static int bench_fill(struct vmstub *s, struct mpt_vdev *v, u8 *guest_fb)
{
	static u8 host_fb[FB_BYTES];
	double ratio[ROUNDS], fill_best = 1e30, set_best = 1e30;
	int r;

	map_ggtt(v);
	fill_once(s, v, 0); /* warm up: faults the frame in */
	for (r = 0; r < ROUNDS; r++) {
		double t_fill = fill_once(s, v, 0x00102030 + r), t_set;

		t_set = bench_now_ns();
		memset(host_fb, r, sizeof(host_fb));
		__asm__ volatile("" : : "r"(host_fb) : "memory");
		t_set = bench_now_ns() - t_set;
		if (t_fill < 0)
			return -1;
		ratio[r] = t_set / t_fill;
		fill_best = t_fill < fill_best ? t_fill : fill_best;
		set_best = t_set < set_best ? t_set : set_best;
	}
	if (((u32 *)guest_fb)[FB_W * FB_H - 1] != 0x00102030 + ROUNDS - 1)
		return -1;
	printf(" \"fill_1920x1080_ns\": %.0f, \"memset_ns\": %.0f, "
	       "\"fill_over_memset\": %.3f, \"goal_fill\": 0.8}\n",
	       fill_best, set_best, bench_median(ratio, ROUNDS));
	return 0;
}

int main(void)
{
	static const u64 gpa[] = { 0 }, size[] = { RAM_SIZE };
	struct mpt_backend *be;
	struct mpt_vdev *v;
	struct vmstub s;
	const char *why;

	if (!vmstub_kvm_usable(&why)) {
		printf("{\"skipped\": \"%s\"}\n", why);
		return 0;
	}
	if (mpt_kvm_register(NULL, &be) || mgpu_register() ||
	    vmstub_create(&s, gpa, size, 1) ||
	    mpt_vdev_create(MGPU_TYPE_NAME, "kvm", &v) ||
	    mpt_vdev_attach(v, s.vm) || mpt_vdev_activate(v)) {
		fprintf(stderr, "bench-kvm: cannot set up a VM with an mgpu\n");
		return 1;
	}
	printf("{\"bench\": \"kvm_bandwidth\", \"rounds\": %d, "
	       "\"goal_gpa_from_64k\": 0.9,\n", ROUNDS);
	bench_gpa(v, s.ram[0].hva);
	if (bench_fill(&s, v, (u8 *)s.ram[0].hva + FB_GPA)) {
		fprintf(stderr, "bench-kvm: the FILL failed\n");
		return 1;
	}
	mpt_vdev_destroy(v);
	vmstub_destroy(&s);
	return mgpu_unregister() || mpt_backend_unregister(be);
}
