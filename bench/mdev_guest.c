// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * The guest of the mdev benchmark (scripts/kernel-tier/guest/tests/
 * mdev_bench.sh): run under mptrun with one mgpu, as --vfio (the model in
 * the kernel, mpt_mdev.ko) or --device (the userspace KVM backend), it
 * times, in TSC cycles per operation, each pair in the same run:
 *
 *   mmio_raw       a load from an address nothing decodes: an exit that
 *                  mptrun answers with all ones
 *   mmio_dev       a load of an mgpu register (SCRATCH0): the same exit,
 *                  forwarded to the device model
 *   write_raw      a store to an address nothing decodes
 *   write_tracked  a store to an entry of a bound PPGTT page table, which
 *                  the device write-tracks (the mdev: KVM's page track in
 *                  the kernel, no exit to mptrun; the userspace backend:
 *                  a read-only memslot exit)
 *
 * The operations take turns, ROUNDS rounds of LOOPS each, and each keeps
 * its best round: the host (TCG, shared) is noisy, and a round slowed by
 * something else says nothing about the path.  One JSON line on the
 * serial port: {"bench": "mdev_guest", ...}.  Only ratios mean anything:
 * the absolute numbers are nested KVM under TCG.
 * Exit status 0, or 2 when the device cannot be set up.
 */
#include "mgpu/mgpu.h"
#include "mgpu/ppgtt.h"
#include "rt/cpu.h"
#include "rt/div64.h"
#include "rt/mem.h"
#include "rt/printf.h"

#define VEC_MGPU 0x40
#define ROUNDS 10
#define LOOPS 200 /* per round */
#define WARMUP 50
#define NR_OPS 4
#define NOWHERE 0xfd000000u /* in the MMIO window, no BAR there */
#define PP_GA 0x100000u

enum op { MMIO_RAW, MMIO_DEV, WRITE_RAW, WRITE_TRACKED };

static struct mgpu g;
static struct mgpu_ppgtt pp;
static volatile uint64_t *tracked_pte;
static uint64_t pte_value;

static void once(enum op op)
{
	volatile uint32_t *nowhere = (volatile uint32_t *)NOWHERE;

	switch (op) {
	case MMIO_RAW:
		(void)*nowhere;
		break;
	case MMIO_DEV:
		(void)mgpu_read(&g, MGPU_REG_SCRATCH0);
		break;
	case WRITE_RAW:
		*nowhere = 0;
		break;
	case WRITE_TRACKED:
		*tracked_pte = pte_value;
		break;
	}
}

/* Cycles per operation in one round. */
static uint64_t cycles(enum op op)
{
	uint64_t t0;
	unsigned int i;

	t0 = rdtsc();
	for (i = 0; i < LOOPS; i++)
		once(op);
	return div64_u32(rdtsc() - t0, LOOPS, NULL);
}

/* The best round of each operation, after a warm-up (first-touch costs). */
static void measure(uint64_t best[NR_OPS])
{
	unsigned int r, op, i;
	uint64_t c;

	for (op = 0; op < NR_OPS; op++) {
		for (i = 0; i < WARMUP; i++)
			once(op);
		best[op] = ~0ULL;
	}
	for (r = 0; r < ROUNDS; r++) {
		for (op = 0; op < NR_OPS; op++) {
			c = cycles(op);
			if (c < best[op])
				best[op] = c;
		}
	}
}

int main(void)
{
	void *page = page_alloc(1);
	uint64_t best[NR_OPS];

	if (pci_scan() < 0 || !page || mgpu_init(&g, 0, VEC_MGPU) ||
	    mgpu_ppgtt_init(&pp) ||
	    mgpu_ppgtt_map(&pp, PP_GA, virt_to_phys(page), 1) ||
	    mgpu_ppgtt_bind(&g, &pp)) {
		printf("mdev_guest: no usable mgpu with a PPGTT\n");
		return 2;
	}
	tracked_pte = mgpu_ppgtt_pte(&pp, PP_GA);
	pte_value = *tracked_pte;
	measure(best);
	mgpu_ppgtt_bind(&g, NULL);
	printf("{\"bench\": \"mdev_guest\", \"rounds\": %u, \"loops\": %u, "
	       "\"mmio_raw\": %llu, \"mmio_dev\": %llu, \"write_raw\": %llu, "
	       "\"write_tracked\": %llu, \"failsafe\": %u}\n",
	       ROUNDS, LOOPS, (unsigned long long)best[MMIO_RAW],
	       (unsigned long long)best[MMIO_DEV],
	       (unsigned long long)best[WRITE_RAW],
	       (unsigned long long)best[WRITE_TRACKED],
	       (mgpu_read(&g, MGPU_REG_STATUS) & MGPU_STATUS_FAILSAFE) ? 1 : 0);
	return 0;
}
