// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * The boot CPU's path from entry.S to main(): check the boot information,
 * bring up the runtime, let the other CPUs in, run the program, exit with
 * its status.
 */
#include <mptrun_abi.h>

#include "rt/boot.h"
#include "rt/exit.h"
#include "rt/idt.h"
#include "rt/lapic.h"
#include "rt/layout.h"
#include "rt/mem.h"
#include "rt/printf.h"
#include "rt/smp.h"
#include "rt/string.h"
#include "rt/tsc.h"
#include "rt/xen.h"

_Static_assert(RT_MAX_CPUS >= MPTRUN_MAX_VCPUS, "a stack per vCPU");
_Static_assert(RT_LAPIC_BASE == MPTRUN_LAPIC_GPA, "LAPIC address");

extern char __bss_start[], __bss_end[];

static struct boot_info info;

const struct boot_info *boot_info(void)
{
	return &info;
}

void rt_start(uint32_t magic, const struct hvm_start_info *si);
void pvh_start(void);

/* On Xen the boot CPU starts the others (mptrun started them already). */
static void start_other_cpus(void)
{
	int n;

	if (xen_init())
		return;
	n = xen_start_vcpus((uint32_t)(uintptr_t)pvh_start, RT_AP_MAGIC,
			    RT_MAX_CPUS);
	if (n < 0)
		printf("rt: Xen did not start the other vCPUs (%d)\n", n);
}

void rt_start(uint32_t magic, const struct hvm_start_info *si)
{
	memset(__bss_start, 0, __bss_end - __bss_start);
	info.on_mptrun = magic == MPTRUN_BOOT_MAGIC;
	info.start_info = si;

	if (!si || si->magic != MPTRUN_PVH_MAGIC || si->version < 1) {
		printf("rt: no PVH start info at %p (magic %#x)\n", si,
		       si ? si->magic : 0);
		exit(RT_EXIT_BOOT);
	}
	if (mem_init(si)) {
		printf("rt: no usable RAM in the memory map (%u entries)\n",
		       si->memmap_entries);
		exit(RT_EXIT_BOOT);
	}
	idt_init();
	lapic_init();
	tsc_init();
	smp_release_aps();
	start_other_cpus();
	irq_enable();
	exit(main());
}
