/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * The KVM backend for userspace VMMs ("kvm").
 *
 * Designed to be embedded in an existing VMM: the VMM owns the VM file
 * descriptor, the vCPUs and the run loop; it hands the backend the VM and
 * the guest RAM it mapped, and forwards the MMIO and port I/O exits it does
 * not handle itself.  The backend then owns, for the lifetime of the
 * struct mpt_kvm_vm:
 *   - the KVM memslots of the RAM regions (memslot ids from @slot_base),
 *     because write-tracking a guest page splits a slot into read-only and
 *     read-write parts;
 *   - the VM's GSI routing table, which it fills with MSI routes for the
 *     irqfds that deliver interrupts (KVM_SIGNAL_MSI is the fallback);
 *   - one thread that waits on the ioeventfds bound to doorbell traps.
 * The VMM must create the in-kernel irqchip (KVM_CREATE_IRQCHIP) first and
 * must not change memslots in @slot_base.. or the GSI routing itself.
 *
 * Write-tracking: a tracked page lives in a read-only memslot; adjacent
 * tracked pages share one.  A guest write to it exits as KVM_EXIT_MMIO, the
 * VMM passes it to mpt_kvm_handle_mmio(), which hands it to the tracking
 * instances' handlers and then applies it to guest memory.  Each run of
 * tracked pages costs up to two extra memslots; when KVM's limit
 * (KVM_CAP_NR_MEMSLOTS) would be exceeded, tracking another page fails with
 * -ENOSPC and nothing changes.
 *
 * While a memslot is being replaced the pages it covers are in no memslot:
 * data accesses to them exit as MMIO and mpt_kvm_handle_mmio() serves them
 * from the VMM's mapping, but an instruction fetch or a page-table walk
 * there fails with KVM_EXIT_INTERNAL_ERROR (emulation).  A VMM that lets
 * vCPUs run while instances track pages retries such an exit when
 * mpt_kvm_slots_changed() says memslots changed meanwhile.
 *
 * Host frames, for gfn_to_pfn and map_frames, are pages of the VMM's
 * address space (pfn = hva >> 12), and a DMA address is the hva of the
 * pinned (mlock()ed) guest memory: a userspace device model reaches guest
 * memory by dereferencing it.
 *
 * The "guest" argument of mpt_vdev_attach() for this backend is a
 * struct mpt_kvm_vm.
 */
#ifndef MPT_KVM_H
#define MPT_KVM_H

#include <mpt/types.h>

struct mpt_backend;
struct mpt_kvm_vm;

/**
 * struct mpt_kvm_ram - one region of guest RAM as the VMM mapped it
 * @gpa: guest-physical start, page aligned
 * @size: bytes, page aligned
 * @hva: where the VMM mapped it (page aligned, MAP_SHARED or private)
 */
struct mpt_kvm_ram {
	u64 gpa;
	u64 size;
	void *hva;
};

/**
 * mpt_kvm_register() - register the KVM backend
 * @name: registration name, NULL for "kvm"
 * @out: the registered backend
 *
 * Context: process context.
 * Return: as mpt_backend_register().
 */
MPT_API int mpt_kvm_register(const char *name, struct mpt_backend **out);

/**
 * mpt_kvm_vm_create() - hand a KVM VM and its guest RAM to the backend
 * @vm_fd: the VM (from KVM_CREATE_VM), with its in-kernel irqchip created
 * @ram: the guest RAM regions, sorted, not overlapping
 * @nr: number of regions
 * @slot_base: first memslot id the backend may use
 * @out: the VM object to attach instances to
 *
 * Creates a memslot per region and the backend thread (doorbells, MSI
 * routes).  Adjacent regions may be mapped anywhere; a DMA mapping can
 * span two of them only where their mappings are contiguous too.
 *
 * Context: process context.
 * Return: 0; -EINVAL for a bad layout; -ENOSYS if KVM lacks read-only
 * memslots, irqfd or ioeventfd; -ENOSPC if no memslot id is left at
 * @slot_base; -errno from KVM.
 */
MPT_API int mpt_kvm_vm_create(int vm_fd, const struct mpt_kvm_ram *ram,
			      unsigned int nr, unsigned int slot_base,
			      struct mpt_kvm_vm **out);

/**
 * mpt_kvm_vm_destroy() - give the VM back to the VMM
 * @vm: a VM with no instance attached
 *
 * Removes the backend's memslots, routes, irqfds and ioeventfds and stops
 * its thread.
 *
 * Context: process context.
 */
MPT_API void mpt_kvm_vm_destroy(struct mpt_kvm_vm *vm);

/**
 * mpt_kvm_handle_mmio() - offer a KVM_EXIT_MMIO to the backend
 * @vm: the VM
 * @gpa: kvm_run->mmio.phys_addr
 * @data: kvm_run->mmio.data (filled on a read)
 * @len: kvm_run->mmio.len
 * @is_write: kvm_run->mmio.is_write
 *
 * Handles accesses to areas instances claimed (their BARs) and to guest
 * RAM (writes to tracked pages, and accesses that raced with a memslot
 * change).
 *
 * Context: the vCPU thread; may sleep.
 * Return: 0 when handled, -ENOENT when the address is not the backend's
 * (the VMM handles it), or the instance's dispatch error (the access was
 * handled: a failed read returns all ones).
 */
MPT_API int mpt_kvm_handle_mmio(struct mpt_kvm_vm *vm, u64 gpa, void *data,
				unsigned int len, bool is_write);

/**
 * mpt_kvm_handle_pio() - offer a KVM_EXIT_IO access to the backend
 * @vm: the VM
 * @port: kvm_run->io.port
 * @data: one access's data (the VMM loops over kvm_run->io.count)
 * @len: kvm_run->io.size
 * @is_write: direction
 *
 * Context: the vCPU thread; may sleep.
 * Return: as mpt_kvm_handle_mmio().
 */
MPT_API int mpt_kvm_handle_pio(struct mpt_kvm_vm *vm, u16 port, void *data,
			       unsigned int len, bool is_write);

/**
 * mpt_kvm_set_ioeventfd() - choose how doorbell traps are delivered
 * @vm: the VM
 * @on: true (the default): bind each MPT_TRAP_DOORBELL range of an area
 *	claimed from now on to an ioeventfd, so guest writes of the
 *	doorbell's size complete without an exit and reach the device model
 *	on the backend thread; false: doorbells exit like any other access
 *
 * Areas already claimed keep their binding.
 *
 * Context: process context.
 */
MPT_API void mpt_kvm_set_ioeventfd(struct mpt_kvm_vm *vm, bool on);

/**
 * mpt_kvm_slot_generation() - the memslot generation
 * @vm: the VM
 *
 * Grows by one when the backend starts changing memslots and by one when it
 * is done, so it is odd while a change is in progress.  Read it before
 * KVM_RUN and pass it to mpt_kvm_slots_changed() when the run fails.
 *
 * Context: any.
 * Return: the generation.
 */
MPT_API u64 mpt_kvm_slot_generation(struct mpt_kvm_vm *vm);

/**
 * mpt_kvm_slots_changed() - tell whether a vCPU exit may be a memslot race
 * @vm: the VM
 * @since: mpt_kvm_slot_generation() read before the vCPU entered
 *
 * Waits for a memslot change in progress to finish.  When it returns true,
 * a KVM_EXIT_INTERNAL_ERROR of that run may come from an instruction fetch
 * in a memslot the backend was replacing: run the vCPU again.
 *
 * Context: process context, may sleep.
 * Return: true if memslots changed since @since.
 */
MPT_API bool mpt_kvm_slots_changed(struct mpt_kvm_vm *vm, u64 since);

/**
 * struct mpt_kvm_stats - what the backend did for one VM
 * @mmio_exits: MMIO exits routed to instances
 * @pio_exits: port I/O exits routed to instances
 * @tracked_writes: guest writes to tracked pages
 * @ram_exits: other exits that hit guest RAM (memslot races)
 * @doorbells: doorbell writes delivered through ioeventfd
 * @msi_irqfd: interrupts delivered through an irqfd
 * @msi_signal: interrupts delivered with KVM_SIGNAL_MSI
 * @memslot_updates: KVM_SET_USER_MEMORY_REGION calls for tracking
 */
struct mpt_kvm_stats {
	u64 mmio_exits;
	u64 pio_exits;
	u64 tracked_writes;
	u64 ram_exits;
	u64 doorbells;
	u64 msi_irqfd;
	u64 msi_signal;
	u64 memslot_updates;
};

/**
 * mpt_kvm_get_stats() - read a VM's backend counters
 * @vm: the VM
 * @stats: filled with a snapshot
 *
 * Context: any.
 */
MPT_API void mpt_kvm_get_stats(struct mpt_kvm_vm *vm,
			       struct mpt_kvm_stats *stats);

#endif /* MPT_KVM_H */
