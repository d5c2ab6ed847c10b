// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * A one-vCPU KVM VM whose CPU makes single loads and stores on request
 * (see vmstub.h).
 */
#include <fcntl.h>
#include <linux/kvm.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "vmstub.h"

#define STUB_SIZE (4096 + VMSTUB_SCRATCH_SIZE)
#define SCRATCH_GPA (VMSTUB_GPA + 4096)
#define STUB_SLOT 0
#define TSS_GPA 0xfffbd000ULL

/* mov dx, VMSTUB_DONE_PORT; out dx, al; jmp $ */
#define DONE 0x66, 0xba, VMSTUB_DONE_PORT & 0xff, VMSTUB_DONE_PORT >> 8, \
	     0xee, 0xeb, 0xfe

/* The routines, 16 bytes apart, in the order of enum vmstub_op. */
static const u8 stub_code[VMSTUB_NR_OPS][16] = {
	[VMSTUB_COPY] = { 0xfc, 0xf3, 0xa4, DONE }, /* cld; rep movsb */
	[VMSTUB_ST1] = { 0x88, 0x07, DONE }, /* mov [edi], al */
	[VMSTUB_ST2] = { 0x66, 0x89, 0x07, DONE }, /* mov [edi], ax */
	[VMSTUB_ST4] = { 0x89, 0x07, DONE }, /* mov [edi], eax */
	/* movq mm0, [esi]; movq [edi], mm0 */
	[VMSTUB_MOVQ] = { 0x0f, 0x6f, 0x06, 0x0f, 0x7f, 0x07,
			  DONE },
	[VMSTUB_LD1] = { 0x8a, 0x06, DONE }, /* mov al, [esi] */
	[VMSTUB_LD2] = { 0x66, 0x8b, 0x06, DONE }, /* mov ax, [esi] */
	[VMSTUB_LD4] = { 0x8b, 0x06, DONE }, /* mov eax, [esi] */
	[VMSTUB_IN1] = { 0xec, DONE }, /* in al, dx */
	[VMSTUB_IN2] = { 0x66, 0xed, DONE }, /* in ax, dx */
	[VMSTUB_IN4] = { 0xed, DONE }, /* in eax, dx */
	[VMSTUB_OUT1] = { 0xee, DONE }, /* out dx, al */
	[VMSTUB_OUT2] = { 0x66, 0xef, DONE }, /* out dx, ax */
	[VMSTUB_OUT4] = { 0xef, DONE }, /* out dx, eax */
	/* 1: mov eax, [esi]; loop 1b */
	[VMSTUB_LOOP_LD4] = { 0x8b, 0x06, 0xe2, 0xfc, DONE },
	/* 1: mov [edi], eax; loop 1b */
	[VMSTUB_LOOP_ST4] = { 0x89, 0x07, 0xe2, 0xfc, DONE },
};

/* ---- vCPU ops: keep the vCPU out of KVM_RUN while memslots change ---- */

static void kick_handler(int sig)
{
	(void)sig;
}

static void vcpu_pause(void *arg)
{
	struct vmstub *s = arg;
	struct timespec ts;

	pthread_mutex_lock(&s->run_lock);
	s->paused++;
	s->pauses++;
	if (s->in_run)
		s->kicks++;
	while (s->in_run) {
		/* Seen on entry to KVM_RUN; the signal kicks it out. */
		__atomic_store_n(&s->run->immediate_exit, 1, __ATOMIC_RELEASE);
		pthread_kill(s->runner, SIGUSR1);
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 1000 * 1000;
		if (ts.tv_nsec >= 1000000000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000;
		}
		pthread_cond_timedwait(&s->run_cond, &s->run_lock, &ts);
	}
	pthread_mutex_unlock(&s->run_lock);
}

static void vcpu_resume(void *arg)
{
	struct vmstub *s = arg;

	pthread_mutex_lock(&s->run_lock);
	if (s->paused && !--s->paused)
		pthread_cond_broadcast(&s->run_cond);
	pthread_mutex_unlock(&s->run_lock);
}

const struct mpt_kvm_vcpu_ops vmstub_vcpu_ops = {
	.pause = vcpu_pause,
	.resume = vcpu_resume,
};

static void enter_run(struct vmstub *s)
{
	pthread_mutex_lock(&s->run_lock);
	while (s->paused)
		pthread_cond_wait(&s->run_cond, &s->run_lock);
	__atomic_store_n(&s->run->immediate_exit, 0, __ATOMIC_RELEASE);
	s->runner = pthread_self();
	s->in_run = true;
	pthread_mutex_unlock(&s->run_lock);
}

static void leave_run(struct vmstub *s)
{
	pthread_mutex_lock(&s->run_lock);
	s->in_run = false;
	if (s->paused)
		pthread_cond_broadcast(&s->run_cond);
	pthread_mutex_unlock(&s->run_lock);
}

bool vmstub_kvm_usable(const char **why)
{
	int kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC), vm;

	if (kvm < 0) {
		*why = "no /dev/kvm";
		return false;
	}
	vm = ioctl(kvm, KVM_CREATE_VM, 0);
	close(kvm);
	if (vm < 0) {
		*why = "/dev/kvm cannot create a VM";
		return false;
	}
	close(vm);
	return true;
}

static int set_cpuid(struct vmstub *s)
{
	struct kvm_cpuid2 *c = calloc(1, sizeof(*c) + 256 * sizeof(c->entries[0]));
	int ret = 0;

	if (!c)
		return -ENOMEM;
	c->nent = 256;
	if (ioctl(s->kvm_fd, KVM_GET_SUPPORTED_CPUID, c) < 0 ||
	    ioctl(s->vcpu_fd, KVM_SET_CPUID2, c) < 0)
		ret = -errno;
	free(c);
	return ret;
}

/* 32-bit flat protected mode, paging off, as PVH starts a guest. */
static int set_sregs(struct vmstub *s)
{
	struct kvm_segment code = { .base = 0, .limit = 0xffffffff,
				    .selector = 0x8, .type = 0xb,
				    .present = 1, .db = 1, .s = 1, .g = 1 };
	struct kvm_segment data = code;
	struct kvm_sregs sr;

	if (ioctl(s->vcpu_fd, KVM_GET_SREGS, &sr) < 0)
		return -errno;
	data.type = 0x3;
	data.selector = 0x10;
	sr.cs = code;
	sr.ds = sr.es = sr.fs = sr.gs = sr.ss = data;
	sr.cr0 = 0x33; /* PE, MP, ET, NE */
	sr.cr4 = 0;
	sr.efer = 0;
	if (ioctl(s->vcpu_fd, KVM_SET_SREGS, &sr) < 0)
		return -errno;
	return 0;
}

static int map_ram(struct vmstub *s, const u64 *gpa, const u64 *size,
		   unsigned int nr)
{
	unsigned int i, j;

	for (i = 0; i < nr; i = j) {
		u64 total = size[i];
		u8 *p;

		for (j = i + 1; j < nr && gpa[j] == gpa[j - 1] + size[j - 1];
		     j++)
			total += size[j];
		p = mmap(NULL, total, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (p == MAP_FAILED)
			return -errno;
		for (; i < j; i++) {
			s->ram[i] = (struct mpt_kvm_ram){ gpa[i], size[i], p };
			p += size[i];
		}
	}
	s->nr = nr;
	return 0;
}

static void unmap_ram(struct vmstub *s)
{
	unsigned int i, j;

	for (i = 0; i < s->nr; i = j) {
		u64 total = s->ram[i].size;

		for (j = i + 1; j < s->nr &&
				s->ram[j].gpa == s->ram[j - 1].gpa +
							 s->ram[j - 1].size;
		     j++)
			total += s->ram[j].size;
		munmap(s->ram[i].hva, total);
	}
	s->nr = 0;
}

int vmstub_create(struct vmstub *s, const u64 *gpa, const u64 *size,
		  unsigned int nr)
{
	struct kvm_userspace_memory_region stub = {
		.slot = STUB_SLOT, .guest_phys_addr = VMSTUB_GPA,
		.memory_size = STUB_SIZE,
	};
	int ret, mmap_size;

	struct sigaction sa;

	memset(s, 0, sizeof(*s));
	s->vm_fd = s->vcpu_fd = -1;
	if (nr > VMSTUB_MAX_REGIONS)
		return -EINVAL;
	pthread_mutex_init(&s->run_lock, NULL);
	pthread_cond_init(&s->run_cond, NULL);
	s->sync_init = true;
	/* The kick: no SA_RESTART, so that KVM_RUN returns EINTR. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = kick_handler;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	s->kvm_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (s->kvm_fd < 0)
		return -errno;
	s->vm_fd = ioctl(s->kvm_fd, KVM_CREATE_VM, 0);
	if (s->vm_fd < 0)
		goto err_errno;
	if (ioctl(s->vm_fd, KVM_SET_TSS_ADDR, TSS_GPA) < 0 ||
	    ioctl(s->vm_fd, KVM_CREATE_IRQCHIP, 0) < 0)
		goto err_errno;
	s->stub = mmap(NULL, STUB_SIZE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (s->stub == MAP_FAILED) {
		s->stub = NULL;
		goto err_errno;
	}
	memcpy(s->stub, stub_code, sizeof(stub_code));
	s->scratch = s->stub + 4096;
	stub.userspace_addr = (u64)(uintptr_t)s->stub;
	if (ioctl(s->vm_fd, KVM_SET_USER_MEMORY_REGION, &stub) < 0)
		goto err_errno;
	ret = map_ram(s, gpa, size, nr);
	if (ret)
		goto err;
	ret = mpt_kvm_vm_create(s->vm_fd, s->ram, nr, STUB_SLOT + 1, &s->vm);
	if (ret)
		goto err;
	ret = mpt_kvm_set_vcpu_ops(s->vm, &vmstub_vcpu_ops, s);
	if (ret)
		goto err;
	s->vcpu_fd = ioctl(s->vm_fd, KVM_CREATE_VCPU, 0);
	mmap_size = ioctl(s->kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (s->vcpu_fd < 0 || mmap_size <= 0)
		goto err_errno;
	s->run_size = (size_t)mmap_size;
	s->run = mmap(NULL, s->run_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		      s->vcpu_fd, 0);
	if (s->run == MAP_FAILED) {
		s->run = NULL;
		goto err_errno;
	}
	ret = set_cpuid(s);
	if (!ret)
		ret = set_sregs(s);
	if (ret)
		goto err;
	return 0;
err_errno:
	ret = -errno;
err:
	vmstub_destroy(s);
	return ret;
}

void vmstub_destroy(struct vmstub *s)
{
	if (s->run)
		munmap(s->run, s->run_size);
	if (s->vcpu_fd >= 0)
		close(s->vcpu_fd);
	if (s->vm)
		mpt_kvm_vm_destroy(s->vm);
	if (s->vm_fd >= 0)
		close(s->vm_fd);
	if (s->kvm_fd >= 0)
		close(s->kvm_fd);
	unmap_ram(s);
	if (s->stub)
		munmap(s->stub, STUB_SIZE);
	if (s->sync_init) {
		pthread_cond_destroy(&s->run_cond);
		pthread_mutex_destroy(&s->run_lock);
	}
	memset(s, 0, sizeof(*s));
	s->vm_fd = s->vcpu_fd = s->kvm_fd = -1;
}

static void note(struct vmstub *s, int ret)
{
	if (!s->accesses++)
		s->access_ret = ret;
}

static int io_exit(struct vmstub *s)
{
	struct kvm_run *run = s->run;
	u8 *p = (u8 *)run + run->io.data_offset;
	bool out = run->io.direction == KVM_EXIT_IO_OUT;
	unsigned int i;
	int ret;

	if (run->io.port == VMSTUB_DONE_PORT && out)
		return 1;
	for (i = 0; i < run->io.count; i++, p += run->io.size) {
		ret = mpt_kvm_handle_pio(s->vm, run->io.port, p, run->io.size,
					 out);
		if (ret == -ENOENT && !out)
			memset(p, 0xff, run->io.size);
		note(s, ret);
	}
	return 0;
}

static void mmio_exit(struct vmstub *s)
{
	struct kvm_run *run = s->run;
	bool w = run->mmio.is_write;
	int ret;

	if (s->raw_handler)
		ret = s->raw_handler(run->mmio.phys_addr, run->mmio.data,
				     run->mmio.len, w);
	else
		ret = mpt_kvm_handle_mmio(s->vm, run->mmio.phys_addr,
					  run->mmio.data, run->mmio.len, w);
	if (ret == -ENOENT && !w)
		memset(run->mmio.data, 0xff, run->mmio.len);
	/* Exits that hit RAM are not device accesses. */
	if (!vmstub_is_ram(s, run->mmio.phys_addr, 1))
		note(s, ret);
}

int vmstub_run_at(struct vmstub *s, u32 rip, u32 eax, u32 ecx, u32 edx,
		  u32 esi, u32 edi)
{
	struct kvm_regs regs = {
		.rip = rip, .rflags = 0x2,
		.rax = eax, .rcx = ecx, .rdx = edx, .rsi = esi, .rdi = edi,
	};
	int ret, err;

	s->access_ret = 0;
	s->accesses = 0;
	s->exits = 0;
	if (ioctl(s->vcpu_fd, KVM_SET_REGS, &regs) < 0)
		return -errno;
	for (;;) {
		enter_run(s);
		ret = ioctl(s->vcpu_fd, KVM_RUN, 0);
		err = errno;
		leave_run(s);
		if (ret < 0) {
			/* EINTR: kicked for a pause (or another signal). */
			if (err == EINTR)
				continue;
			return -err;
		}
		s->exits++;
		switch (s->run->exit_reason) {
		case KVM_EXIT_IO:
			if (io_exit(s))
				return 0;
			break;
		case KVM_EXIT_MMIO:
			mmio_exit(s);
			break;
		default:
			fprintf(stderr, "vmstub: unexpected exit %u (suberror %u)",
				s->run->exit_reason,
				s->run->internal.suberror);
			if (s->run->exit_reason == KVM_EXIT_INTERNAL_ERROR) {
				unsigned int i;

				for (i = 0; i < s->run->internal.ndata && i < 8; i++)
					fprintf(stderr, " %#llx", (unsigned long long)
						s->run->internal.data[i]);
			}
			fprintf(stderr, "\n");
			return -EIO;
		}
	}
}

int vmstub_run(struct vmstub *s, enum vmstub_op op, u32 eax, u32 ecx, u32 edx,
	       u32 esi, u32 edi)
{
	return vmstub_run_at(s, (u32)(VMSTUB_GPA + (u64)op * 16), eax, ecx,
			     edx, esi, edi);
}

bool vmstub_is_ram(const struct vmstub *s, u64 gpa, u64 len)
{
	unsigned int i;

	while (len) {
		for (i = 0; i < s->nr; i++)
			if (gpa - s->ram[i].gpa < s->ram[i].size)
				break;
		if (i == s->nr)
			return false;
		if (len <= s->ram[i].gpa + s->ram[i].size - gpa)
			return true;
		len -= s->ram[i].gpa + s->ram[i].size - gpa;
		gpa = s->ram[i].gpa + s->ram[i].size;
	}
	return true;
}

int vmstub_read(struct vmstub *s, u64 gpa, void *buf, size_t len)
{
	u8 *p = buf;
	int ret;

	if (gpa + len < gpa || gpa + len > 1ULL << 32 ||
	    !vmstub_is_ram(s, gpa, len))
		return -EFAULT;
	while (len) {
		size_t n = len < VMSTUB_SCRATCH_SIZE ? len : VMSTUB_SCRATCH_SIZE;

		ret = vmstub_run(s, VMSTUB_COPY, 0, (u32)n, 0, (u32)gpa,
				 (u32)SCRATCH_GPA);
		if (ret)
			return ret;
		memcpy(p, s->scratch, n);
		p += n;
		gpa += n;
		len -= n;
	}
	return 0;
}

int vmstub_write(struct vmstub *s, u64 gpa, const void *data, size_t len)
{
	const u8 *p = data;
	int ret;

	if (gpa + len < gpa || gpa + len > 1ULL << 32 ||
	    !vmstub_is_ram(s, gpa, len))
		return -EFAULT;
	while (len) {
		size_t n = len < VMSTUB_SCRATCH_SIZE ? len : VMSTUB_SCRATCH_SIZE;

		memcpy(s->scratch, p, n);
		ret = vmstub_run(s, VMSTUB_COPY, 0, (u32)n, 0,
				 (u32)SCRATCH_GPA, (u32)gpa);
		if (ret)
			return ret;
		p += n;
		gpa += n;
		len -= n;
	}
	return 0;
}

static int mmio_access(struct vmstub *s, u64 addr, u8 *data, unsigned int len,
		       bool is_write)
{
	static const enum vmstub_op st[] = { [1] = VMSTUB_ST1,
					     [2] = VMSTUB_ST2,
					     [4] = VMSTUB_ST4 };
	static const enum vmstub_op ld[] = { [1] = VMSTUB_LD1,
					     [2] = VMSTUB_LD2,
					     [4] = VMSTUB_LD4 };
	struct kvm_regs regs;
	u32 v = 0;
	int ret;

	if (len == 8) {
		if (is_write)
			memcpy(s->scratch, data, 8);
		ret = vmstub_run(s, VMSTUB_MOVQ, 0, 0, 0,
				 is_write ? (u32)SCRATCH_GPA : (u32)addr,
				 is_write ? (u32)addr : (u32)SCRATCH_GPA);
		if (!ret && !is_write)
			memcpy(data, s->scratch, 8);
		return ret;
	}
	if (is_write) {
		memcpy(&v, data, len);
		return vmstub_run(s, st[len], v, 0, 0, 0, (u32)addr);
	}
	ret = vmstub_run(s, ld[len], 0, 0, 0, (u32)addr, 0);
	if (!ret && ioctl(s->vcpu_fd, KVM_GET_REGS, &regs) < 0)
		ret = -errno;
	if (!ret) {
		v = (u32)regs.rax;
		memcpy(data, &v, len);
	}
	return ret;
}

static int pio_access(struct vmstub *s, u64 port, u8 *data, unsigned int len,
		      bool is_write)
{
	static const enum vmstub_op in[] = { [1] = VMSTUB_IN1,
					     [2] = VMSTUB_IN2,
					     [4] = VMSTUB_IN4 };
	static const enum vmstub_op out[] = { [1] = VMSTUB_OUT1,
					      [2] = VMSTUB_OUT2,
					      [4] = VMSTUB_OUT4 };
	struct kvm_regs regs;
	u32 v = 0;
	int ret;

	if (is_write) {
		memcpy(&v, data, len);
		return vmstub_run(s, out[len], v, 0, (u32)port, 0, 0);
	}
	ret = vmstub_run(s, in[len], 0, 0, (u32)port, 0, 0);
	if (!ret && ioctl(s->vcpu_fd, KVM_GET_REGS, &regs) < 0)
		ret = -errno;
	if (!ret) {
		v = (u32)regs.rax;
		memcpy(data, &v, len);
	}
	return ret;
}

int vmstub_access(struct vmstub *s, enum mpt_space space, u64 addr,
		  void *data, unsigned int len, bool is_write)
{
	int ret;

	if (len != 1 && len != 2 && len != 4 &&
	    !(len == 8 && space == MPT_SPACE_MMIO))
		return -EINVAL;
	if (space == MPT_SPACE_MMIO) {
		if (addr + len > 1ULL << 32)
			return -EINVAL;
		ret = mmio_access(s, addr, data, len, is_write);
	} else {
		if (addr + len > 0x10000 || addr == VMSTUB_DONE_PORT)
			return -EINVAL;
		ret = pio_access(s, addr, data, len, is_write);
	}
	return ret ? ret : s->access_ret;
}
