// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * The KVM backend: VMs, attach/detach, statistics and the ops table.
 *
 * A struct mpt_kvm_vm wraps a VM the VMM created.  The backend takes over
 * the memslots of guest RAM (kvm_slots.c), the GSI routing table
 * (kvm_msi.c) and a thread for ioeventfds and route creation (kvm_trap.c);
 * everything else (vCPUs, the run loop, other devices) stays the VMM's.
 */
#include <linux/kvm.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "kvm_priv.h"

void kvm_violation(struct mpt_kvm_vm *vm, const char *what)
{
	vm->violations++;
	mpt_err("kvm: contract violation: %s", what);
}

static bool layout_ok(const struct mpt_kvm_ram *r, unsigned int nr)
{
	unsigned int i;

	if (!r || !nr)
		return false;
	for (i = 0; i < nr; i++) {
		if (!r[i].size || !r[i].hva ||
		    ((r[i].gpa | r[i].size | (uintptr_t)r[i].hva) &
		     ~MPT_PAGE_MASK) ||
		    r[i].gpa + r[i].size < r[i].gpa ||
		    MPT_GPA_TO_GFN(r[i].gpa + r[i].size) > KVM_GFN_LIMIT)
			return false;
		if (i && r[i].gpa < r[i - 1].gpa + r[i - 1].size)
			return false;
	}
	return true;
}

static int check_caps(int vm_fd, u32 *nr_slots)
{
	static const struct {
		long cap;
		const char *name;
	} need[] = {
		{ KVM_CAP_READONLY_MEM, "read-only memslots" },
		{ KVM_CAP_IRQFD, "irqfd" },
		{ KVM_CAP_IOEVENTFD, "ioeventfd" },
		{ KVM_CAP_IRQ_ROUTING, "GSI routing" },
		{ KVM_CAP_SIGNAL_MSI, "KVM_SIGNAL_MSI" },
	};
	unsigned int i;
	int n;

	for (i = 0; i < MPT_ARRAY_SIZE(need); i++) {
		if (ioctl(vm_fd, KVM_CHECK_EXTENSION, need[i].cap) <= 0) {
			mpt_err("kvm: KVM lacks %s", need[i].name);
			return -ENOSYS;
		}
	}
	n = ioctl(vm_fd, KVM_CHECK_EXTENSION, KVM_CAP_NR_MEMSLOTS);
	*nr_slots = n > 0 ? (u32)n : 32;
	return 0;
}

int mpt_kvm_vm_create(int vm_fd, const struct mpt_kvm_ram *ram,
		      unsigned int nr, unsigned int slot_base,
		      struct mpt_kvm_vm **out)
{
	struct mpt_kvm_vm *vm;
	unsigned int i;
	u32 nr_slots;
	int ret;

	if (vm_fd < 0 || !out || !layout_ok(ram, nr))
		return -EINVAL;
	ret = check_caps(vm_fd, &nr_slots);
	if (ret)
		return ret;
	if (slot_base >= nr_slots)
		return -ENOSPC;
	vm = mpt_zalloc(sizeof(*vm));
	if (!vm)
		return -ENOMEM;
	vm->magic = KVM_VM_MAGIC;
	vm->vm_fd = vm_fd;
	vm->slot_base = slot_base;
	vm->slot_limit = nr_slots;
	vm->next_id = slot_base;
	vm->ioeventfd = true;
	vm->epoll_fd = -1;
	vm->kick_fd = -1;
	mpt_mutex_init(&vm->lock);
	mpt_mutex_init(&vm->trap_lock);
	mpt_mutex_init(&vm->route_lock);
	mpt_spin_init(&vm->msi_lock);
	vm->regions = mpt_zalloc_array(nr, sizeof(*vm->regions));
	if (!vm->regions) {
		ret = -ENOMEM;
		goto err_free;
	}
	for (i = 0; i < nr; i++)
		vm->regions[i] = (struct kvm_region){ ram[i].gpa, ram[i].size,
						      ram[i].hva };
	vm->nr_regions = nr;
	mpt_mutex_lock(&vm->lock);
	ret = kvm_slots_init(vm);
	mpt_mutex_unlock(&vm->lock);
	if (ret)
		goto err_slots;
	ret = kvm_msi_init(vm);
	if (ret)
		goto err_slots;
	ret = kvm_thread_start(vm);
	if (ret)
		goto err_msi;
	*out = vm;
	return 0;

err_msi:
	kvm_msi_fini(vm);
err_slots:
	mpt_mutex_lock(&vm->lock);
	kvm_slots_fini(vm);
	mpt_mutex_unlock(&vm->lock);
err_free:
	mpt_free(vm->regions);
	mpt_spin_destroy(&vm->msi_lock);
	mpt_mutex_destroy(&vm->route_lock);
	mpt_mutex_destroy(&vm->trap_lock);
	mpt_mutex_destroy(&vm->lock);
	mpt_free(vm);
	return ret;
}
MPT_EXPORT(mpt_kvm_vm_create);

void mpt_kvm_vm_destroy(struct mpt_kvm_vm *vm)
{
	unsigned int i;

	if (!vm)
		return;
	for (i = 0; i < KVM_MAX_HANDLES; i++)
		if (vm->handles[i])
			kvm_violation(vm, "VM destroyed with instances attached");
	kvm_thread_stop(vm);
	kvm_msi_fini(vm);
	mpt_mutex_lock(&vm->lock);
	kvm_frames_fini(vm);
	kvm_slots_fini(vm);
	kvm_gfnmap_free(&vm->pins);
	mpt_mutex_unlock(&vm->lock);
	mpt_range_map_destroy(&vm->claimed[0]);
	mpt_range_map_destroy(&vm->claimed[1]);
	mpt_free(vm->doorbells);
	mpt_free(vm->regions);
	vm->magic = 0;
	mpt_spin_destroy(&vm->msi_lock);
	mpt_mutex_destroy(&vm->route_lock);
	mpt_mutex_destroy(&vm->trap_lock);
	mpt_mutex_destroy(&vm->lock);
	mpt_free(vm);
}
MPT_EXPORT(mpt_kvm_vm_destroy);

/*
 * attach: the kernel backend takes the struct kvm from the vfio_device;
 * here the guest is the struct mpt_kvm_vm the VMM made.
 */
int mpt_kvm_attach(struct mpt_backend *backend, void *guest,
		   struct mpt_vdev *vdev, void **handle)
{
	struct mpt_kvm_vm *vm = guest;
	struct kvm_handle *h;
	unsigned int i;
	int ret = -EBUSY;

	(void)backend;
	if (!vm || vm->magic != KVM_VM_MAGIC)
		return -EINVAL;
	h = mpt_zalloc(sizeof(*h));
	if (!h)
		return -ENOMEM;
	h->vm = vm;
	h->vdev = vdev;
	mpt_mutex_lock(&vm->lock);
	for (i = 0; i < KVM_MAX_HANDLES; i++) {
		if (!vm->handles[i]) {
			vm->handles[i] = h;
			ret = 0;
			break;
		}
	}
	mpt_mutex_unlock(&vm->lock);
	if (ret) {
		mpt_free(h);
		return ret;
	}
	*handle = h;
	return 0;
}

/*
 * detach: the contract says the core released everything before.  What is
 * left anyway is counted as a breach and released here, so the VM stays
 * consistent for the next instance.
 */
void mpt_kvm_detach(void *handle)
{
	struct kvm_handle *h = handle;
	struct mpt_kvm_vm *vm = h->vm;
	unsigned int i;

	mpt_mutex_lock(&vm->lock);
	if (h->tracks.nr || h->pins.nr || h->claims || h->frames)
		kvm_violation(vm, "detach with tracks, pins, claims or frames left");
	kvm_track_drop_all(h);
	kvm_memory_drop_all(h);
	kvm_trap_drop_all(h);
	for (i = 0; i < KVM_MAX_HANDLES; i++)
		if (vm->handles[i] == h)
			vm->handles[i] = NULL;
	mpt_mutex_unlock(&vm->lock);
	mpt_free(h);
}

void mpt_kvm_set_ioeventfd(struct mpt_kvm_vm *vm, bool on)
{
	mpt_mutex_lock(&vm->trap_lock);
	vm->ioeventfd = on;
	mpt_mutex_unlock(&vm->trap_lock);
}
MPT_EXPORT(mpt_kvm_set_ioeventfd);

int mpt_kvm_set_vcpu_ops(struct mpt_kvm_vm *vm,
			 const struct mpt_kvm_vcpu_ops *ops, void *arg)
{
	if (ops && (!ops->pause || !ops->resume))
		return -EINVAL;
	/* Changes (and so pause/resume pairs) happen under the lock. */
	mpt_mutex_lock(&vm->lock);
	vm->vcpu_ops = ops;
	vm->vcpu_arg = ops ? arg : NULL;
	mpt_mutex_unlock(&vm->lock);
	return 0;
}
MPT_EXPORT(mpt_kvm_set_vcpu_ops);

u64 mpt_kvm_slot_generation(struct mpt_kvm_vm *vm)
{
	return __atomic_load_n(&vm->slot_gen, __ATOMIC_SEQ_CST);
}
MPT_EXPORT(mpt_kvm_slot_generation);

bool mpt_kvm_slots_changed(struct mpt_kvm_vm *vm, u64 since)
{
	/* Changes happen under the lock: taking it waits one out. */
	mpt_mutex_lock(&vm->lock);
	mpt_mutex_unlock(&vm->lock);
	return mpt_kvm_slot_generation(vm) != since;
}
MPT_EXPORT(mpt_kvm_slots_changed);

void mpt_kvm_get_stats(struct mpt_kvm_vm *vm, struct mpt_kvm_stats *stats)
{
	stats->mmio_exits = mpt_stat_read(&vm->stats.mmio_exits);
	stats->pio_exits = mpt_stat_read(&vm->stats.pio_exits);
	stats->tracked_writes = mpt_stat_read(&vm->stats.tracked_writes);
	stats->ram_exits = mpt_stat_read(&vm->stats.ram_exits);
	stats->doorbells = mpt_stat_read(&vm->stats.doorbells);
	stats->msi_irqfd = mpt_stat_read(&vm->stats.msi_irqfd);
	stats->msi_signal = mpt_stat_read(&vm->stats.msi_signal);
	stats->memslot_updates = mpt_stat_read(&vm->stats.memslot_updates);
	stats->vcpu_pauses = mpt_stat_read(&vm->stats.vcpu_pauses);
}
MPT_EXPORT(mpt_kvm_get_stats);

/* ---- Test hooks ------------------------------------------------------- */

void kvm_test_set_msi_observer(struct mpt_kvm_vm *vm,
			       void (*fn)(void *arg, u64 addr, u32 data),
			       void *arg)
{
	mpt_spin_lock(&vm->msi_lock);
	vm->msi_observer = fn;
	vm->msi_observer_arg = arg;
	mpt_spin_unlock(&vm->msi_lock);
}

void kvm_test_limit_slots(struct mpt_kvm_vm *vm, unsigned int n)
{
	unsigned int i, j;

	mpt_mutex_lock(&vm->lock);
	vm->slot_limit = vm->slot_base + n;
	/* Free ids beyond the new limit must not be handed out (nor back). */
	for (i = j = 0; i < vm->nr_free_ids; i++)
		if (vm->free_ids[i] < vm->slot_limit)
			vm->free_ids[j++] = vm->free_ids[i];
	vm->nr_free_ids = j;
	mpt_mutex_unlock(&vm->lock);
}

unsigned int kvm_test_violations(struct mpt_kvm_vm *vm)
{
	unsigned int n;

	mpt_mutex_lock(&vm->lock);
	n = vm->violations;
	mpt_mutex_unlock(&vm->lock);
	return n;
}

unsigned int kvm_test_ram_slots(struct mpt_kvm_vm *vm)
{
	unsigned int n;

	mpt_mutex_lock(&vm->lock);
	n = kvm_slots_count(vm);
	mpt_mutex_unlock(&vm->lock);
	return n;
}

unsigned int kvm_test_pin_count(struct mpt_kvm_vm *vm, u64 gfn)
{
	unsigned int n;

	mpt_mutex_lock(&vm->lock);
	n = kvm_gfnmap_get(&vm->pins, gfn);
	mpt_mutex_unlock(&vm->lock);
	return n;
}

const struct mpt_backend_ops mpt_kvm_ops = {
	.abi_version = MPT_BACKEND_ABI_VERSION,
	.size = sizeof(struct mpt_backend_ops),
	.name = "kvm",
	.attach = mpt_kvm_attach,
	.detach = mpt_kvm_detach,
	.inject_msi = mpt_kvm_inject_msi,
	.read_gpa = mpt_kvm_read_gpa,
	.write_gpa = mpt_kvm_write_gpa,
	.enable_page_track = mpt_kvm_enable_page_track,
	.disable_page_track = mpt_kvm_disable_page_track,
	.gfn_to_pfn = mpt_kvm_gfn_to_pfn,
	.dma_map = mpt_kvm_dma_map,
	.dma_unmap = mpt_kvm_dma_unmap,
	.is_valid_gfn = mpt_kvm_is_valid_gfn,
	.claim_trap_area = mpt_kvm_claim_trap_area,
	.release_trap_area = mpt_kvm_release_trap_area,
	.map_frames = mpt_kvm_map_frames,
	.unmap_frames = mpt_kvm_unmap_frames,
};

int mpt_kvm_register(const char *name, struct mpt_backend **out)
{
	return mpt_backend_register(&mpt_kvm_ops, name, NULL, out);
}
MPT_EXPORT(mpt_kvm_register);
