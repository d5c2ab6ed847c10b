// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * mptrun's own test guest: a freestanding 32-bit PVH image that checks the
 * machine of mptrun_abi.h and prints TAP on COM1.
 *
 * Built in several modes from this one file (mk/kvm.mk):
 *   default        the checks; exit status = number of failures.  Its ELF
 *                  entry is wrong_entry (exits 99): only the PVH note
 *                  leads to _start
 *   GUEST_NO_NOTE  the same without the note, entered at e_entry
 *   GUEST_EXIT42   prints one line and exits with status 42
 *   GUEST_LOOP     prints one line and spins forever (--timeout)
 *   GUEST_TRIPLE   triple-faults
 */
#include <stdint.h>

#include "mptrun_abi.h"
#include "mgpu_hw.h"

#define __maybe_unused __attribute__((unused)) /* not every mode uses all */

#define LAPIC_ID (MPTRUN_LAPIC_GPA + 0x20)
#define UNUSED_PORT 0x2f8 /* COM2: nothing there */
#define UNUSED_MMIO 0xd0000000u

__asm__(".pushsection .text.entry, \"ax\"\n"
	".globl _start\n"
	"_start:\n"
	/* A stack per vCPU, by LAPIC ID. */
	"	mov 0xfee00020, %ecx\n"
	"	shr $24, %ecx\n"
	"	and $1, %ecx\n"
	"	shl $14, %ecx\n"
	"	mov $stacks + 32768, %esp\n"
	"	sub %ecx, %esp\n"
	"	push %ebx\n"
	"	push %eax\n"
	"	call guest_main\n"
	"1:	cli\n"
	"	hlt\n"
	"	jmp 1b\n"
	".globl wrong_entry\n"
	"wrong_entry:\n"
	"	mov $99, %eax\n"
	"	out %eax, $0xf4\n"
	"	jmp wrong_entry\n"
	".popsection\n");

#ifndef GUEST_NO_NOTE
/* XEN_ELFNOTE_PHYS32_ENTRY: the PVH entry point. */
__asm__(".pushsection .note.Xen, \"a\", @note\n"
	"	.balign 4\n"
	"	.long 4\n"
	"	.long 4\n"
	"	.long 18\n"
	"	.asciz \"Xen\"\n"
	"	.long _start\n"
	".popsection\n");
#endif

unsigned char stacks[32768] __attribute__((aligned(16)));
void guest_main(uint32_t magic, uint32_t start_info);

static volatile uint32_t ap_seen;
static int failures, checks;

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outl(uint16_t port, uint32_t v)
{
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static __maybe_unused inline uint32_t inl(uint16_t port)
{
	uint32_t v;

	__asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static __maybe_unused inline uint32_t mmio_read32(uint32_t addr)
{
	return *(volatile uint32_t *)addr;
}

static __maybe_unused inline void mmio_write32(uint32_t addr,
					       uint32_t v)
{
	*(volatile uint32_t *)addr = v;
}

static void putc_serial(char c)
{
	while (!(inb(MPTRUN_COM1 + 5) & 0x20))
		;
	outb(MPTRUN_COM1, (uint8_t)c);
}

static void puts_serial(const char *s)
{
	while (*s)
		putc_serial(*s++);
}

static __maybe_unused void put_hex(uint32_t v)
{
	int i;

	puts_serial("0x");
	for (i = 28; i >= 0; i -= 4)
		putc_serial("0123456789abcdef"[(v >> i) & 0xf]);
}

static __maybe_unused void put_dec(uint32_t v)
{
	char buf[12];
	int i = 0;

	do {
		buf[i++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (i)
		putc_serial(buf[--i]);
}

static __maybe_unused void ok(int cond, const char *what)
{
	checks++;
	if (!cond) {
		failures++;
		puts_serial("not ");
	}
	puts_serial("ok ");
	put_dec((uint32_t)checks);
	puts_serial(" - ");
	puts_serial(what);
	putc_serial('\n');
}

static __maybe_unused __attribute__((noreturn)) void exit_guest(uint32_t code)
{
	for (;;)
		outl(MPTRUN_EXIT_PORT, code);
}

static __maybe_unused uint32_t pci_read(unsigned int dev,
					unsigned int off)
{
	outl(MPTRUN_PCI_ADDR, 0x80000000u | dev << 11 | (off & 0xfc));
	return inl(MPTRUN_PCI_DATA);
}

static __maybe_unused void pci_write(unsigned int dev, unsigned int off,
				     uint32_t v)
{
	outl(MPTRUN_PCI_ADDR, 0x80000000u | dev << 11 | (off & 0xfc));
	outl(MPTRUN_PCI_DATA, v);
}

static __maybe_unused void check_boot(uint32_t magic, uint32_t si_gpa)
{
	const struct hvm_start_info *si = (const void *)si_gpa;
	const struct hvm_memmap_table_entry *mm;

	ok(magic == MPTRUN_BOOT_MAGIC, "EAX holds MPTRUN_BOOT_MAGIC");
	ok(si_gpa == MPTRUN_START_INFO_GPA, "EBX points at the start info");
	ok(si->magic == MPTRUN_PVH_MAGIC && si->version == 1,
	   "start info magic and version");
	mm = (const void *)(uint32_t)si->memmap_paddr;
	ok(si->memmap_entries == 1 && mm->addr == 0 &&
		   mm->type == MPTRUN_MEMMAP_RAM && mm->size >= (1u << 20),
	   "memory map: one RAM region from 0");
	puts_serial("# ram ");
	put_dec((uint32_t)(mm->size >> 20));
	puts_serial(" MiB\n");
}

static __maybe_unused void check_unhandled(void)
{
	ok(inb(UNUSED_PORT) == 0xff, "an unhandled port reads all ones");
	outb(UNUSED_PORT, 0x5a);
	ok(mmio_read32(UNUSED_MMIO) == 0xffffffffu,
	   "unhandled MMIO reads all ones");
	mmio_write32(UNUSED_MMIO, 1);
}

/* Place an mgpu's BAR0, enable decoding, and talk to its registers. */
static __maybe_unused void check_mgpu(unsigned int dev)
{
	uint32_t size, base = MPTRUN_MMIO_WINDOW;

	pci_write(dev, 0x10, 0xffffffffu);
	size = ~(pci_read(dev, 0x10) & ~0xfu) + 1;
	ok(size == MGPU_BAR0_SIZE, "mgpu BAR0 sizes to MGPU_BAR0_SIZE");
	pci_write(dev, 0x10, base);
	pci_write(dev, 0x04, pci_read(dev, 0x04) | 0x2);
	ok(mmio_read32(base + MGPU_REG_ID) == MGPU_ID,
	   "mgpu ID register reads MGPU_ID through the BAR");
	mmio_write32(base + MGPU_REG_SCRATCH0, 0x12345678);
	ok(mmio_read32(base + MGPU_REG_SCRATCH0) == 0x12345678,
	   "mgpu scratch register keeps a value");
	pci_write(dev, 0x04, pci_read(dev, 0x04) & ~0x2u);
	ok(mmio_read32(base + MGPU_REG_ID) == 0xffffffffu,
	   "with decoding off the BAR reads all ones");
}

static __maybe_unused void check_pci(void)
{
	unsigned int dev, found = 0;
	uint32_t id;

	id = pci_read(0, 0);
	ok(id == (MPTRUN_HOSTBRIDGE_DEVICE << 16 | MPTRUN_HOSTBRIDGE_VENDOR),
	   "00:00.0 is the host bridge");
	ok(pci_read(0, 8) >> 8 == 0x060000, "host bridge class");
	for (dev = 1; dev < 32; dev++) {
		id = pci_read(dev, 0);
		if (id == 0xffffffffu)
			continue;
		found++;
		puts_serial("# pci device ");
		put_dec(dev);
		puts_serial(" id ");
		put_hex(id);
		putc_serial('\n');
		if ((id & 0xffff) == MGPU_VENDOR_ID && id >> 16 == MGPU_DEVICE_ID)
			check_mgpu(dev);
	}
	puts_serial("# pci devices ");
	put_dec(found);
	putc_serial('\n');
	outl(MPTRUN_PCI_ADDR, 0); /* disabled: reads all ones */
	ok(inl(MPTRUN_PCI_DATA) == 0xffffffffu,
	   "config data with the enable bit clear reads all ones");
}

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

/*
 * The boot vCPU waits a moment (about 0.1 s) for another one to say hello.
 * No pause in the loop: under nested KVM each one may exit.
 */
static __maybe_unused void check_vcpus(void)
{
	uint64_t end = rdtsc() + 300000000ULL;

	while (!ap_seen && rdtsc() < end)
		;
	puts_serial("# vcpus ");
	put_dec(ap_seen ? 2 : 1);
	putc_serial('\n');
}

void guest_main(uint32_t magic, uint32_t start_info)
{
	if (mmio_read32(LAPIC_ID) >> 24) {
		/* An application processor: check in and stop. */
		__atomic_store_n(&ap_seen, 1, __ATOMIC_SEQ_CST);
		for (;;)
			__asm__ volatile("cli; hlt");
	}
#if defined(GUEST_EXIT42)
	(void)magic;
	(void)start_info;
	puts_serial("exiting with 42\n");
	exit_guest(42);
#elif defined(GUEST_LOOP)
	(void)magic;
	(void)start_info;
	puts_serial("looping forever\n");
	for (;;)
		__asm__ volatile("");
#elif defined(GUEST_TRIPLE)
	(void)magic;
	(void)start_info;
	{
		static const struct {
			uint16_t limit;
			uint32_t base;
		} __attribute__((packed)) no_idt = { 0, 0 };

		puts_serial("triple fault next\n");
		__asm__ volatile("lidt %0; ud2" : : "m"(no_idt));
	}
	exit_guest(0);
#else
	puts_serial("TAP version 13\n");
	check_boot(magic, start_info);
	check_unhandled();
	check_pci();
	check_vcpus();
	puts_serial("1..");
	put_dec((uint32_t)checks);
	putc_serial('\n');
	exit_guest((uint32_t)failures);
#endif
}
