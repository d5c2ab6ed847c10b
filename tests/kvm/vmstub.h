/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * A one-vCPU KVM VM whose CPU makes single loads and stores on request,
 * for the KVM backend's conformance target, its own tests and its
 * benchmark.
 *
 * The VM's RAM is the layout asked for, handed to the backend with
 * mpt_kvm_vm_create().  Outside it, at VMSTUB_GPA, sits a memslot of the
 * harness's own (memslot 0, never RAM for the backend): a page of code and
 * a scratch buffer.  Each request sets the registers and runs one routine
 * of that code in 32-bit protected mode (paging off): rep movsb between the
 * scratch buffer and guest memory, one mov of 1, 2 or 4 bytes, one MMX movq
 * of 8 bytes, or one in/out.  Every exit on the way goes through
 * mpt_kvm_handle_mmio() or mpt_kvm_handle_pio(), as in a VMM; the routine
 * ends with an out to VMSTUB_DONE_PORT.  vmstub_run_at() runs code of the
 * caller's instead, anywhere in guest memory.
 *
 * The harness gives the backend vCPU ops (mpt_kvm_set_vcpu_ops() with
 * vmstub_vcpu_ops), as a VMM should: a memslot change asked for while
 * another thread is inside vmstub_run() kicks that thread out of KVM_RUN
 * (immediate_exit and SIGUSR1, whose handler vmstub_create() installs) and
 * holds it until the change is done.  A test may take them away again to
 * exercise the backend without them.
 */
#ifndef MPT_TESTS_VMSTUB_H
#define MPT_TESTS_VMSTUB_H

#include <pthread.h>

#include <mpt/mpt.h>
#include <mpt/kvm.h>

#define VMSTUB_GPA 0xf0000000ULL
#define VMSTUB_SCRATCH_SIZE (64 * 1024)
#define VMSTUB_DONE_PORT 0x5f0
#define VMSTUB_MAX_REGIONS 8

/* The routines of the stub's code, one per 16 bytes. */
enum vmstub_op {
	VMSTUB_COPY, /* rep movsb: ECX bytes from ESI to EDI */
	VMSTUB_ST1, /* mov [edi], al */
	VMSTUB_ST2,
	VMSTUB_ST4,
	VMSTUB_MOVQ, /* movq mm0, [esi]; movq [edi], mm0 */
	VMSTUB_LD1, /* mov al, [esi] */
	VMSTUB_LD2,
	VMSTUB_LD4,
	VMSTUB_IN1, /* in al, dx */
	VMSTUB_IN2,
	VMSTUB_IN4,
	VMSTUB_OUT1, /* out dx, al */
	VMSTUB_OUT2,
	VMSTUB_OUT4,
	VMSTUB_LOOP_LD4, /* ECX times: mov eax, [esi] (a benchmark loop) */
	VMSTUB_LOOP_ST4, /* ECX times: mov [edi], eax */
	VMSTUB_NR_OPS,
};

/**
 * struct vmstub - the VM
 * @kvm_fd: /dev/kvm
 * @vm_fd: the VM
 * @vcpu_fd: its only vCPU
 * @run: the vCPU's kvm_run
 * @run_size: its mapping's size
 * @vm: the backend's VM object (the guest instances attach to)
 * @ram: the layout, with the host mappings
 * @nr: number of regions
 * @stub: the harness's memslot: code page, then the scratch buffer
 * @scratch: the scratch buffer (guest address VMSTUB_GPA + 4096)
 * @access_ret: result of the first device access of the last request
 * @accesses: device accesses (MMIO or port exits not to RAM) it made
 * @exits: exits of the last request
 * @raw_handler: if set, MMIO exits go here instead of the backend (for the
 *	benchmark's baseline); it returns 0 or -ENOENT
 * @run_lock: guards the members below but @sync_init (vmstub_vcpu_ops)
 * @sync_init: @run_lock and @run_cond are initialised
 * @run_cond: the vCPU left KVM_RUN, or the backend resumed it
 * @in_run: a thread is inside KVM_RUN (or about to enter it)
 * @runner: that thread
 * @paused: the backend paused the vCPU (no KVM_RUN until it resumes it)
 * @pauses: times the backend paused the vCPU
 * @kicks: of those, times the vCPU had to be kicked out of KVM_RUN
 */
struct vmstub {
	int kvm_fd;
	int vm_fd;
	int vcpu_fd;
	struct kvm_run *run;
	size_t run_size;
	struct mpt_kvm_vm *vm;
	struct mpt_kvm_ram ram[VMSTUB_MAX_REGIONS];
	unsigned int nr;
	u8 *stub;
	u8 *scratch;
	int access_ret;
	unsigned int accesses;
	unsigned int exits;
	int (*raw_handler)(u64 gpa, void *data, unsigned int len,
			   bool is_write);
	pthread_mutex_t run_lock;
	pthread_cond_t run_cond;
	bool sync_init;
	bool in_run;
	pthread_t runner;
	unsigned int paused;
	unsigned int pauses;
	unsigned int kicks;
};

/* What vmstub_create() gives the backend (arg: the struct vmstub). */
extern const struct mpt_kvm_vcpu_ops vmstub_vcpu_ops;

/* Whether /dev/kvm can make a VM here; @why says why not. */
bool vmstub_kvm_usable(const char **why);

/**
 * vmstub_create() - make the VM
 * @s: filled in
 * @gpa: start of each RAM region
 * @size: size of each region
 * @nr: number of regions, up to VMSTUB_MAX_REGIONS
 *
 * Adjacent regions share one host mapping, so they are contiguous for the
 * host too.  Return: 0 or a negative errno.
 */
int vmstub_create(struct vmstub *s, const u64 *gpa, const u64 *size,
		  unsigned int nr);
void vmstub_destroy(struct vmstub *s);

/* Run one routine with the given registers; 0 or a negative errno. */
int vmstub_run(struct vmstub *s, enum vmstub_op op, u32 eax, u32 ecx, u32 edx,
	       u32 esi, u32 edi);

/*
 * Run guest code at @rip (32-bit, paging off) with the given registers
 * until it writes to VMSTUB_DONE_PORT; 0, or -EIO on a KVM error, shutdown
 * or any exit but port I/O and MMIO (reported on stderr).
 */
int vmstub_run_at(struct vmstub *s, u32 rip, u32 eax, u32 ecx, u32 edx,
		  u32 esi, u32 edi);

/* Whether [gpa, gpa + len) is all RAM of the layout. */
bool vmstub_is_ram(const struct vmstub *s, u64 gpa, u64 len);

/* Guest CPU reads or writes RAM with rep movsb: 0, or -EFAULT off RAM. */
int vmstub_read(struct vmstub *s, u64 gpa, void *buf, size_t len);
int vmstub_write(struct vmstub *s, u64 gpa, const void *data, size_t len);

/*
 * One guest access of @len bytes (1, 2, 4; 8 for MMIO) at @addr.
 * Return: the backend's result for it (0, the dispatch error, or -ENOENT
 * when nobody claimed the address), or another negative errno.
 */
int vmstub_access(struct vmstub *s, enum mpt_space space, u64 addr,
		  void *data, unsigned int len, bool is_write);

#endif /* MPT_TESTS_VMSTUB_H */
