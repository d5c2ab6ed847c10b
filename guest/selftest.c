// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * selftest: TAP over the runtime alone, no device needed: formatting,
 * 64-bit division, string helpers, the boot information and the page
 * allocator, the TSC and bounded waits, LAPIC interrupts and the IDT, PCI
 * enumeration and BAR placement, and (with --vcpus 2) spinlocks and the
 * barrier across two CPUs.
 */
#include <mptrun_abi.h>

#include "rt/boot.h"
#include "rt/div64.h"
#include "rt/err.h"
#include "rt/idt.h"
#include "rt/lapic.h"
#include "rt/mem.h"
#include "rt/pci.h"
#include "rt/smp.h"
#include "rt/spinlock.h"
#include "rt/string.h"
#include "rt/tap.h"
#include "rt/tsc.h"
#include "rt/wait.h"

#define VEC_TEST_IPI 0x50
#define LOCK_ROUNDS 5000
#define BARRIER_ROUNDS 200

/* ---- formatting ------------------------------------------------------ */

static void fmt_is(const char *expected, const char *fmt, ...) __printf(2, 3);

static void fmt_is(const char *expected, const char *fmt, ...)
{
	char buf[64];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (!tap_ok(!strcmp(buf, expected) && n == (int)strlen(expected),
		    "format '%s' gives '%s'", fmt, expected))
		tap_diag("got '%s' (%d characters)", buf, n);
}

static void test_printf(void)
{
	char small[4];
	int n;

	fmt_is("-42", "%d", -42);
	fmt_is("-2147483648", "%d", (int)0x80000000u);
	fmt_is("4000000000", "%u", 4000000000u);
	fmt_is("deadbeef", "%x", 0xdeadbeefu);
	fmt_is("AB", "%X", 0xabu);
	fmt_is("0xff", "%#x", 0xffu);
	fmt_is("123456789abcdef", "%llx", 0x123456789abcdefull);
	fmt_is("18446744073709551615", "%llu", ~0ull);
	fmt_is("-9000000000", "%lld", -9000000000ll);
	fmt_is("mpt|x", "%s|%c", "mpt", 'x');
	fmt_is("0000001f", "%08x", 0x1fu);
	fmt_is("7   |", "%-4d|", 7);
	fmt_is("   ab", "%5s", "ab");
	fmt_is("0x00001000", "%p", (void *)0x1000);
	fmt_is("100%", "%d%%", 100);
	n = snprintf(small, sizeof(small), "%s", "abcdef");
	tap_ok(n == 6 && !strcmp(small, "abc"),
	       "snprintf truncates and returns the full length");
}

/* ---- arithmetic and strings ------------------------------------------ */

static void test_div64(void)
{
	uint32_t r32;
	uint64_t r64;

	tap_is(div64_u32(1000000000000000007ull, 10, &r32),
	       100000000000000000ull, "div64_u32 quotient");
	tap_is(r32, 7, "div64_u32 remainder");
	tap_is(div64_u32(0xffffffffffffffffull, 0xffffffffu, NULL),
	       0x100000001ull, "div64_u32 by the largest divisor");
	tap_is(div64_u64(0xfedcba9876543210ull, 0x123456789ull, &r64),
	       0xe0000000ull, "div64_u64 quotient");
	tap_is(r64, 0xfedcba9876543210ull - 0xe0000000ull * 0x123456789ull,
	       "div64_u64 remainder");
	tap_is(div64_u64(~0ull, 0x8000000000000001ull, &r64), 1,
	       "div64_u64 with a divisor above 2^63");
	tap_is(r64, 0x7ffffffffffffffeull, "its remainder");
}

static void test_string(void)
{
	uint8_t buf[64];
	uint32_t words[5];
	int i, ok = 1;

	memset(buf, 0xa5, sizeof(buf));
	for (i = 0; i < 64; i++)
		ok &= buf[i] == 0xa5;
	tap_ok(ok, "memset");
	for (i = 0; i < 64; i++)
		buf[i] = (uint8_t)i;
	memmove(buf + 8, buf, 32); /* overlapping, forwards */
	ok = 1;
	for (i = 0; i < 32; i++)
		ok &= buf[8 + i] == i;
	tap_ok(ok, "memmove to a higher, overlapping range");
	memmove(buf, buf + 8, 32); /* overlapping, backwards */
	ok = 1;
	for (i = 0; i < 32; i++)
		ok &= buf[i] == i;
	tap_ok(ok, "memmove to a lower, overlapping range");
	memcpy(buf + 32, buf, 16);
	tap_ok(!memcmp(buf + 32, buf, 16) && memcmp(buf, buf + 1, 4) < 0,
	       "memcpy and memcmp");
	memset32(words, 0x12345678, 4);
	words[4] = 0;
	tap_ok(words[0] == 0x12345678 && words[3] == 0x12345678 && !words[4],
	       "memset32 fills exactly n words");
	tap_ok(strlen("mpt") == 3 && !strcmp("a", "a") && strcmp("a", "b") < 0,
	       "strlen and strcmp");
	memset(buf, 0, sizeof(buf));
	memset(buf + 1, 0x77, 6); /* unaligned: the byte path */
	tap_ok(!buf[0] && buf[1] == 0x77 && buf[6] == 0x77 && !buf[7],
	       "memset of an unaligned range");
	tap_ok(memcmp("abcd", "abce", 4) < 0 && memcmp("abce", "abcd", 4) > 0 &&
		       !memcmp("abcd", "abcd", 4) && !memcmp("x", "y", 0),
	       "memcmp orders by the first differing byte");
	memset32(words, 7, 5);
	tap_is(memdiff32(words, words, 5), 5, "memdiff32 of equal arrays");
	words[4] = 0;
	tap_is(memdiff32(words, (const uint32_t[]){ 7, 7, 7, 7, 7 }, 5), 4,
	       "memdiff32 finds a difference in the last dword");
	words[0] = 0;
	tap_is(memdiff32(words, (const uint32_t[]){ 7, 7, 7, 7, 7 }, 5), 0,
	       "... and in the first");
}

/* ---- boot, memory, time ---------------------------------------------- */

static void test_boot_and_memory(void)
{
	const struct hvm_start_info *si = boot_info()->start_info;
	uint32_t *a, *b, free_before = mem_free_pages();
	int i, zero = 1;

	tap_diag("booted %s, start info at %p, %u memory map entries, "
		 "RAM ends at %#llx, %u free pages",
		 boot_info()->on_mptrun ? "by mptrun" : "by a PVH loader", si,
		 si->memmap_entries, (unsigned long long)mem_ram_end(),
		 free_before);
	tap_is(si->magic, MPTRUN_PVH_MAGIC, "start info magic");
	tap_ok(si->version >= 1 && si->memmap_entries > 0,
	       "start info has a memory map");
	a = page_alloc(1);
	tap_ok(a && !((uintptr_t)a & 0xfff), "page_alloc gives a page");
	if (!a)
		return;
	for (i = 0; i < 1024; i++)
		a[i] = 0xdeadbeef;
	b = page_alloc(2);
	for (i = 0; b && i < 2048; i++)
		zero &= !b[i];
	tap_ok(b && (uintptr_t)b >= (uintptr_t)a + 4096 && zero,
	       "the next allocation is further on and zeroed");
	tap_is(mem_free_pages(), free_before - 3, "free pages accounted");
	tap_ok(mem_is_ram(virt_to_phys(b), 8192) &&
		       !mem_is_ram(mem_ram_end(), 4096),
	       "mem_is_ram knows RAM from the rest");
	tap_ok(page_alloc(mem_free_pages() + 1) == NULL,
	       "an allocation beyond the free pages fails");
}

static int never(void *arg)
{
	(void)arg;
	return 0;
}

static void test_time(void)
{
	uint64_t t0, t1, ticks;
	int r;

	tap_diag("TSC %u kHz (%s)", tsc_khz(), tsc_source());
	t0 = rdtsc();
	t1 = rdtsc();
	tap_ok(t1 > t0, "the TSC advances");
	t0 = rdtsc();
	r = wait_cond(never, NULL, 20000, 0);
	ticks = rdtsc() - t0;
	tap_ok(r == -ETIMEDOUT && ticks >= 20ull * tsc_khz(),
	       "a spinning wait times out after its bound");
	t0 = rdtsc();
	r = wait_cond(never, NULL, 20000, WAIT_SLEEP);
	ticks = rdtsc() - t0;
	tap_ok(r == -ETIMEDOUT && ticks >= 20ull * tsc_khz() &&
		       ticks < 2000ull * tsc_khz(),
	       "a sleeping wait (LAPIC timer wakeups) times out after its "
	       "bound");
	tap_diag("sleeping wait of 20 ms took %llu us",
		 (unsigned long long)tsc_to_us(ticks));
}

/* ---- interrupts ------------------------------------------------------ */

static volatile uint32_t nr_ipi, nr_ud;

static void count_irq(void *arg, uint8_t vector)
{
	(void)vector;
	(*(volatile uint32_t *)arg)++;
}

static void skip_ud2(void *arg, uint8_t vector)
{
	(void)arg;
	(void)vector;
	nr_ud++;
	irq_frame()->eip += 2;
}

static int reached(void *arg)
{
	const uint32_t *want = arg;

	return nr_ipi >= *want;
}

static void test_interrupts(void)
{
	uint32_t want;
	int i, isr_clear = 1;

	tap_is(lapic_id(), 0, "the boot CPU has LAPIC ID 0");
	tap_ok((lapic_read(LAPIC_REG_SVR) & LAPIC_SVR_ENABLE) &&
		       (lapic_read(LAPIC_REG_SVR) & 0xff) == RT_VEC_SPURIOUS,
	       "the LAPIC is software-enabled with the spurious vector");
	irq_register(VEC_TEST_IPI, count_irq, (void *)&nr_ipi);
	irq_register(6, skip_ud2, NULL);

	for (want = 1; want <= 3; want++) {
		lapic_self_ipi(VEC_TEST_IPI);
		if (wait_cond(reached, &want, 100000, WAIT_SLEEP))
			break;
	}
	tap_is(nr_ipi, 3, "three self-IPIs arrive (EOI lets the next in)");
	for (i = 0; i < 8; i++)
		isr_clear &= !lapic_read(LAPIC_REG_ISR0 + 0x10 * i);
	tap_ok(isr_clear, "nothing is left in service");
	/* A fault, not INT n or INT3: KVM's emulator cannot do those in
	 * protected mode where the host emulates privileged instructions. */
	__asm__ volatile("ud2");
	tap_is(nr_ud, 1, "a registered #UD handler replaces the "
			 "report-and-exit and resumes past the instruction");
	tap_is(irq_unhandled_count(), 0, "no stray interrupts");
}

/* ---- PCI ------------------------------------------------------------- */

static int bar_ok(const struct pci_bar *b)
{
	uint32_t lo = b->io ? MPTRUN_PIO_WINDOW : MPTRUN_MMIO_WINDOW;
	uint32_t hi = b->io ? 0x10000 : MPTRUN_MMIO_WINDOW_END;

	return b->addr >= lo && b->addr + b->size <= hi && b->size &&
	       !(b->size & (b->size - 1)) && !(b->addr & (b->size - 1));
}

static int bars_overlap(const struct pci_bar *a, const struct pci_bar *b)
{
	return a->io == b->io && a->addr < b->addr + b->size &&
	       b->addr < a->addr + a->size;
}

static void test_pci(void)
{
	int n = pci_scan();
	unsigned int i, j, k, l, placed = 0, good = 1, disjoint = 1;
	struct pci_dev *d;

	tap_ok(n > 0, "PCI scan finds functions on bus 0 (%d)", n);
	for (i = 0; (d = pci_get(i)); i++) {
		tap_diag("%02x:%02x.%x %04x:%04x class %06x", d->bus, d->dev,
			 d->fn, d->vendor, d->device, d->class_rev >> 8);
		for (j = 0; j < PCI_NR_BARS; j++) {
			const struct pci_bar *b = &d->bar[j];

			if (!b->addr)
				continue;
			tap_diag("  BAR%u %s %#x size %#x", j,
				 b->io ? "io" : "mem", b->addr, b->size);
			placed++;
			good &= bar_ok(b);
			for (k = 0; k <= i; k++)
				for (l = 0; l < PCI_NR_BARS; l++)
					if ((k != i || l != j) &&
					    pci_get(k)->bar[l].addr &&
					    (k < i || l < j))
						disjoint &= !bars_overlap(
							b, &pci_get(k)->bar[l]);
		}
	}
	tap_ok(good, "%u BARs placed, aligned, inside the windows", placed);
	tap_ok(disjoint, "no two BARs overlap");
	if (boot_info()->on_mptrun) {
		d = pci_get(0);
		tap_ok(d && d->dev == 0 &&
			       d->vendor == MPTRUN_HOSTBRIDGE_VENDOR &&
			       d->device == MPTRUN_HOSTBRIDGE_DEVICE,
		       "00:00.0 is mptrun's host bridge");
	}
	tap_ok(pci_find(0xffff, 0xffff, 0) == NULL,
	       "pci_find of absent IDs finds nothing");
}

/* ---- two CPUs -------------------------------------------------------- */

static struct cpu_barrier bar = CPU_BARRIER_INIT;
static struct spinlock count_lock = SPINLOCK_INIT;
static volatile uint32_t counter, phase[RT_MAX_CPUS], phase_bad;
static volatile uint32_t ap_lapic_id = 0xffffffffu;
static volatile uint32_t kicked, ap_awake;

static void hammer(void)
{
	int i;

	for (i = 0; i < LOCK_ROUNDS; i++) {
		spin_lock(&count_lock);
		counter = counter + 1; /* not atomic without the lock */
		spin_unlock(&count_lock);
	}
}

static void barrier_rounds(unsigned int cpu)
{
	uint32_t r;

	for (r = 1; r <= BARRIER_ROUNDS; r++) {
		phase[cpu] = r;
		if (cpu_barrier_wait(&bar, 2, 5000))
			return;
		if (phase[cpu ^ 1] < r)
			phase_bad++;
		if (cpu_barrier_wait(&bar, 2, 5000))
			return;
	}
}

void ap_main(unsigned int cpu)
{
	ap_lapic_id = lapic_id();
	if (cpu != 1)
		return;
	smp_sleep_until(&kicked);
	ap_awake = 1;
	if (cpu_barrier_wait(&bar, 2, 10000))
		return;
	hammer();
	if (cpu_barrier_wait(&bar, 2, 10000))
		return;
	barrier_rounds(cpu);
}

static void test_smp(void)
{
	unsigned int n = smp_wait_cpus(2, 500);

	tap_diag("%u CPU(s) online (mask %#x)", n, smp_online_mask());
	if (n < 2) {
		tap_skip(6, "one vCPU (run with --vcpus 2)");
		return;
	}
	tap_is(ap_lapic_id, 1, "the second CPU has LAPIC ID 1");
	udelay(20000);
	tap_ok(!ap_awake, "the second CPU halts in smp_sleep_until()");
	smp_kick(1, &kicked);
	tap_ok(!cpu_barrier_wait(&bar, 2, 10000),
	       "kicked by an IPI, it wakes; both CPUs meet");
	hammer();
	tap_ok(!cpu_barrier_wait(&bar, 2, 10000), "both CPUs finish");
	tap_is(counter, 2 * LOCK_ROUNDS, "the spinlock serialises both CPUs");
	barrier_rounds(0);
	tap_ok(phase[0] == BARRIER_ROUNDS && phase[1] == BARRIER_ROUNDS &&
		       !phase_bad,
	       "%u barrier rounds keep both CPUs in step", BARRIER_ROUNDS);
}

int main(void)
{
	printf("# selftest: the guest runtime\n");
	test_printf();
	test_div64();
	test_string();
	test_boot_and_memory();
	test_time();
	test_interrupts();
	test_pci();
	test_smp();
	tap_done_testing();
}
