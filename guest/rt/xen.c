// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * Xen's guest interface, as much of it as the test guests use (rt/xen.h).
 *
 * The guest runs in 32-bit protected mode, so Xen takes its hypercalls
 * in the 32-bit ("compat") ABI: arguments in EBX, ECX, EDX, result in
 * EAX, pointers and unsigned longs 32 bits wide.  The structures below
 * are that ABI's (xen/include/public: vcpu.h, hvm/hvm_vcpu.h, memory.h).
 */
#include <stddef.h>

#include "rt/cpu.h"
#include "rt/err.h"
#include "rt/layout.h"
#include "rt/string.h"
#include "rt/xen.h"

#define XEN_CPUID_FIRST 0x40000000u
#define XEN_CPUID_LAST 0x40010000u
#define XEN_CPUID_STEP 0x100u

#define HYPERVISOR_memory_op 12
#define HYPERVISOR_vcpu_op 24
#define HYPERCALL_STUB_SIZE 32

#define VCPUOP_initialise 0
#define VCPUOP_up 1
#define VCPU_HVM_MODE_32B 0

#define XENMEM_decrease_reservation 1
#define XENMEM_populate_physmap 6
#define DOMID_SELF 0x7ff0u

/* Segment attributes in Xen's _ar layout: type, S, DPL, P, AVL, L, DB, G. */
#define AR_CODE32 0xc9b /* execute/read, accessed, present, 32-bit, 4 KiB */
#define AR_DATA32 0xc93 /* read/write, accessed, present, 32-bit, 4 KiB */
#define AR_TSS32_BUSY 0x8b /* Xen insists on a usable TR */
#define CR0_PE 0x1u
#define CR0_ET 0x10u

struct vcpu_hvm_x86_32 {
	uint32_t eax, ecx, edx, ebx, esp, ebp, esi, edi, eip, eflags;
	uint32_t cr0, cr3, cr4, pad1;
	uint64_t efer;
	uint32_t cs_base, ds_base, ss_base, es_base, tr_base;
	uint32_t cs_limit, ds_limit, ss_limit, es_limit, tr_limit;
	uint16_t cs_ar, ds_ar, ss_ar, es_ar, tr_ar, pad2[3];
};

struct vcpu_hvm_context {
	uint32_t mode, pad;
	union {
		struct vcpu_hvm_x86_32 x86_32;
		uint8_t x86_64[112]; /* sets the union's size, unused */
	} regs;
};

_Static_assert(sizeof(struct vcpu_hvm_x86_32) == 120, "Xen's layout");
_Static_assert(sizeof(struct vcpu_hvm_context) == 128, "Xen's layout");
_Static_assert(offsetof(struct vcpu_hvm_context, regs) == 8, "Xen's layout");

struct xen_memory_reservation32 {
	uint32_t extent_start; /* guest address of the gfn array */
	uint32_t nr_extents;
	uint32_t extent_order;
	uint32_t mem_flags;
	uint16_t domid;
};

static uint8_t hypercall_page[RT_PAGE_SIZE]
	__attribute__((aligned(RT_PAGE_SIZE)));
static int on_xen;

static long hypercall3(unsigned int nr, uint32_t a1, uint32_t a2, uint32_t a3)
{
	long ret;

	__asm__ volatile("call *%[stub]"
			 : "=a"(ret), "+b"(a1), "+c"(a2), "+d"(a3)
			 : [stub] "r"(hypercall_page + nr * HYPERCALL_STUB_SIZE)
			 : "esi", "edi", "memory"); /* debug Xens poison them */
	return ret;
}

static int is_xen_leaf(uint32_t leaf)
{
	struct cpuid_regs r = cpuid(leaf, 0);

	return r.ebx == 0x566e6558 && r.ecx == 0x65584d4d &&
	       r.edx == 0x4d4d566e && r.eax >= leaf + 2; /* "XenVMMXenVMM" */
}

int xen_init(void)
{
	struct cpuid_regs r;
	uint32_t leaf;

	if (!(cpuid(1, 0).ecx & (1u << 31))) /* no hypervisor at all */
		return -ENODEV;
	for (leaf = XEN_CPUID_FIRST; leaf < XEN_CPUID_LAST;
	     leaf += XEN_CPUID_STEP)
		if (is_xen_leaf(leaf))
			break;
	if (leaf >= XEN_CPUID_LAST)
		return -ENODEV;
	r = cpuid(leaf + 2, 0); /* EAX: pages, EBX: the MSR that fills one */
	if (r.eax < 1)
		return -ENODEV;
	wrmsr(r.ebx, (uint32_t)(uintptr_t)hypercall_page);
	on_xen = 1;
	return 0;
}

int xen_present(void)
{
	return on_xen;
}

static void flat_32bit(struct vcpu_hvm_x86_32 *c)
{
	c->cr0 = CR0_PE | CR0_ET;
	c->eflags = 0x2;
	c->cs_limit = c->ds_limit = c->ss_limit = c->es_limit = 0xffffffffu;
	c->cs_ar = AR_CODE32;
	c->ds_ar = c->ss_ar = c->es_ar = AR_DATA32;
	c->tr_limit = 0x67;
	c->tr_ar = AR_TSS32_BUSY;
}

int xen_start_vcpus(uint32_t eip, uint32_t magic, unsigned int max)
{
	struct vcpu_hvm_context ctx;
	unsigned int vcpu;

	if (!on_xen)
		return -ENODEV;
	for (vcpu = 1; vcpu < max; vcpu++) {
		memset(&ctx, 0, sizeof(ctx));
		ctx.mode = VCPU_HVM_MODE_32B;
		flat_32bit(&ctx.regs.x86_32);
		ctx.regs.x86_32.eip = eip;
		ctx.regs.x86_32.eax = magic;
		ctx.regs.x86_32.ebx = vcpu;
		/* -ENOENT past the domain's last vCPU: that is the count. */
		if (hypercall3(HYPERVISOR_vcpu_op, VCPUOP_initialise, vcpu,
			       (uint32_t)(uintptr_t)&ctx) ||
		    hypercall3(HYPERVISOR_vcpu_op, VCPUOP_up, vcpu, 0))
			break;
	}
	return (int)vcpu - 1;
}

static int one_page(unsigned int op, uint32_t gfn)
{
	volatile uint32_t extent = gfn;
	struct xen_memory_reservation32 r = {
		.extent_start = (uint32_t)(uintptr_t)&extent,
		.nr_extents = 1,
		.domid = DOMID_SELF,
	};

	if (!on_xen)
		return -ENODEV;
	/* The result is the number of extents done. */
	return hypercall3(HYPERVISOR_memory_op, op, (uint32_t)(uintptr_t)&r,
			  0) == 1 ?
		       0 :
		       -EIO;
}

int xen_page_give_back(uint32_t gfn)
{
	return one_page(XENMEM_decrease_reservation, gfn);
}

int xen_page_take(uint32_t gfn)
{
	return one_page(XENMEM_populate_physmap, gfn);
}
