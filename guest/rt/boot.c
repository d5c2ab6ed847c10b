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

_Static_assert(RT_MAX_CPUS >= MPTRUN_MAX_VCPUS, "a stack per vCPU");
_Static_assert(RT_LAPIC_BASE == MPTRUN_LAPIC_GPA, "LAPIC address");

extern char __bss_start[], __bss_end[];

static struct boot_info info;

const struct boot_info *boot_info(void)
{
	return &info;
}

void rt_start(uint32_t magic, const struct hvm_start_info *si);

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
	irq_enable();
	exit(main());
}
