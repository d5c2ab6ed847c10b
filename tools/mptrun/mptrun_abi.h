/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * The machine mptrun gives a guest, and how the guest is started.
 *
 * Shared by tools/mptrun (the VMM) and guest/ (the freestanding guests), so
 * it is freestanding C.  The same guest binary boots under Xen as a PVH
 * domU, so the boot protocol is PVH's: the guest is an ELF image whose
 * XEN_ELFNOTE_PHYS32_ENTRY note (or, without the note, its ELF entry) is
 * entered in 32-bit protected mode with paging off, flat 4 GiB code and
 * data segments, interrupts off, and EBX holding the guest-physical address
 * of a struct hvm_start_info (magic MPTRUN_PVH_MAGIC, version 1) with a
 * memory map.  On mptrun, EAX additionally holds MPTRUN_BOOT_MAGIC.
 *
 * Machine:
 *   RAM                 [0, memory size), one region, below 3 GiB
 *   ELF segments        loaded at their physical addresses (p_paddr)
 *   start info          MPTRUN_START_INFO_GPA (memory map right after it)
 *   COM1                port 0x3f8: bytes written to THR go to stdout;
 *                       LSR (0x3fd) reads 0x60 (transmitter empty)
 *   exit port           port MPTRUN_EXIT_PORT: a write of N (any size)
 *                       ends the run, mptrun exits with status N & 0xff
 *   PCI                 configuration mechanism #1 (0xcf8 / 0xcfc-0xcff),
 *                       bus 0: device 0 a host bridge, devices 1.. the
 *                       mpt instances in --device order (or the
 *                       --vfio devices, in theirs).  BARs start
 *                       unassigned: the guest sizes and places them in
 *                       MPTRUN_MMIO_WINDOW / MPTRUN_PIO_WINDOW and enables
 *                       decoding.
 *   LAPIC               0xfee00000 (KVM's in-kernel irqchip); MSIs arrive
 *                       there.  No PIC, no IOAPIC lines are used.
 *   vCPUs               1 or 2 (--vcpus).  Every vCPU enters at the same
 *                       entry with the same registers; a guest tells them
 *                       apart by LAPIC ID (0 is the boot CPU).
 *   anything else       reads all ones, writes are ignored (counted).
 */
#ifndef MPTRUN_ABI_H
#define MPTRUN_ABI_H

#include <stdint.h>

#define MPTRUN_BOOT_MAGIC 0x5254504d /* "MPTR" in EAX */
#define MPTRUN_PVH_MAGIC 0x336ec578 /* hvm_start_info.magic */
#define MPTRUN_START_INFO_GPA 0x6000
#define MPTRUN_EXIT_PORT 0x00f4
#define MPTRUN_COM1 0x3f8
#define MPTRUN_PCI_ADDR 0xcf8
#define MPTRUN_PCI_DATA 0xcfc
#define MPTRUN_MMIO_WINDOW 0xc0000000u /* to MPTRUN_MMIO_WINDOW_END */
#define MPTRUN_MMIO_WINDOW_END 0xfec00000u
#define MPTRUN_PIO_WINDOW 0xc000 /* to 0xffff */
#define MPTRUN_LAPIC_GPA 0xfee00000u
#define MPTRUN_MAX_VCPUS 2

/* Host bridge at 00:00.0. */
#define MPTRUN_HOSTBRIDGE_VENDOR 0x4d50
#define MPTRUN_HOSTBRIDGE_DEVICE 0x0001

/* The PVH start info (Xen's public arch-x86/hvm/start_info.h, version 1). */
struct hvm_start_info {
	uint32_t magic;
	uint32_t version;
	uint32_t flags;
	uint32_t nr_modules;
	uint64_t modlist_paddr;
	uint64_t cmdline_paddr;
	uint64_t rsdp_paddr;
	uint64_t memmap_paddr;
	uint32_t memmap_entries;
	uint32_t reserved;
};

struct hvm_memmap_table_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type; /* 1: RAM */
	uint32_t reserved;
};

#define MPTRUN_MEMMAP_RAM 1

#endif /* MPTRUN_ABI_H */
