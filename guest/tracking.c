// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * tracking: a vCPU keeps running while another one makes the host
 * write-track guest pages (run with --vcpus 2 --device mgpu).
 *
 * Binding a PPGTT directory (CTX_PD) makes the device write-track its
 * page; under mptrun that splits the RAM memslot (delete, then re-create),
 * and for that moment the whole of RAM is in no memslot.  CPU 1 meanwhile
 * executes, uses its stack and takes LAPIC timer interrupts.  A host that
 * keeps guest memory usable across the change passes; one that does not
 * ends the run with a KVM emulation failure or a triple fault on vCPU 1.
 */
#include "mgpu/mgpu.h"
#include "rt/lapic.h"
#include "rt/mem.h"
#include "rt/smp.h"
#include "rt/tap.h"
#include "rt/tsc.h"
#include "rt/wait.h"

#define VEC_MGPU 0x40
#define ROUNDS 500

static volatile uint32_t ap_spins, ap_sleeps, stop;

static int stopped(void *arg)
{
	(void)arg;
	return stop;
}

/* Alternately spin and sleep on the LAPIC timer until told to stop. */
void ap_main(unsigned int cpu)
{
	if (cpu != 1)
		return;
	while (!stop) {
		uint64_t until = tsc_deadline_us(2000);

		while (!stop && !tsc_expired(until))
			ap_spins++;
		wait_cond(stopped, NULL, 2000, WAIT_SLEEP);
		ap_sleeps++;
	}
}

int main(void)
{
	static struct mgpu g;
	void *pd = page_alloc(1);
	uint32_t i, spins;

	if (pci_scan() < 0 || !pd || mgpu_init(&g, 0, VEC_MGPU))
		tap_bail("no usable mgpu");
	if (smp_wait_cpus(2, 500) < 2) {
		tap_skip(2, "one vCPU (run with --vcpus 2)");
		tap_done_testing();
	}
	for (i = 0; i < ROUNDS; i++) {
		mgpu_write(&g, MGPU_REG_CTX_PD, virt_to_phys(pd));
		mgpu_write(&g, MGPU_REG_CTX_PD, 0);
	}
	tap_ok(1, "CPU 0 bound and unbound a PPGTT directory %u times",
	       ROUNDS);
	spins = ap_spins;
	udelay(20000);
	tap_ok(ap_spins != spins && ap_sleeps > 0,
	       "CPU 1 ran and slept throughout, and still runs (%u sleeps)",
	       ap_sleeps);
	stop = 1;
	tap_done_testing();
}
