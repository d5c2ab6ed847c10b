// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * The exits a VMM offers the KVM backend.
 *
 * KVM_EXIT_MMIO has three causes the backend cares about: an access to an
 * area an instance claimed (a BAR), a write to a write-tracked page (a
 * read-only memslot), and any access to RAM whose memslot was being
 * replaced at that moment.  The last happens only to a VMM that gave no
 * vCPU ops (mpt_kvm_set_vcpu_ops()): serving those from the mapping is the
 * defence kept for it.  Areas are looked up first: they never overlap RAM.
 * KVM_EXIT_IO only has the first.
 */
#include "kvm_priv.h"

/* An access that exited although it hit RAM: serve it from the mapping. */
static void ram_access(struct mpt_kvm_vm *vm, u64 gpa, u8 *data,
		       unsigned int len, bool is_write)
{
	unsigned int i, n;

	/* KVM splits at page boundaries, but be exact about holes anyway. */
	for (i = 0; i < len; i += n) {
		n = (unsigned int)MPT_MIN((u64)(len - i),
			MPT_PAGE_SIZE - ((gpa + i) & ~MPT_PAGE_MASK));
		if (kvm_region_of(vm, gpa + i) < 0) {
			if (!is_write)
				memset(data + i, 0xff, n);
		} else if (is_write) {
			kvm_track_ram_write(vm, gpa + i, data + i, n);
		} else {
			mpt_stat_inc(&vm->stats.ram_exits);
			kvm_copy_ram(vm, gpa + i, data + i, n, false);
		}
	}
}

int mpt_kvm_handle_mmio(struct mpt_kvm_vm *vm, u64 gpa, void *data,
			unsigned int len, bool is_write)
{
	int ret;

	if (!len || len > 8 || gpa + len < gpa)
		return -EINVAL;
	ret = kvm_trap_dispatch(vm, MPT_SPACE_MMIO, gpa, data, len, is_write);
	if (ret != -ENOENT)
		return ret;
	if (kvm_region_of(vm, gpa) < 0)
		return -ENOENT;
	ram_access(vm, gpa, data, len, is_write);
	return 0;
}
MPT_EXPORT(mpt_kvm_handle_mmio);

int mpt_kvm_handle_pio(struct mpt_kvm_vm *vm, u16 port, void *data,
		       unsigned int len, bool is_write)
{
	if (!len || len > 4)
		return -EINVAL;
	return kvm_trap_dispatch(vm, MPT_SPACE_PIO, port, data, len, is_write);
}
MPT_EXPORT(mpt_kvm_handle_pio);
