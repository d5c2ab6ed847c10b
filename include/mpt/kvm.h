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
 * KVM cannot shrink a memslot or make it read-only in place: the backend
 * deletes the old slots and creates the new ones, and in between the pages
 * they cover are in no memslot.  A vCPU inside KVM_RUN at that moment finds
 * no memory there: an instruction fetch, a page-table walk, an interrupt
 * (IDT, stack) or an emulated access then fails with a triple fault or
 * KVM_EXIT_INTERNAL_ERROR (emulation).  So the backend changes RAM memslots
 * only while no vCPU is inside KVM_RUN, as QEMU's accel-blocker does: the
 * VMM gives it a way to keep its vCPUs out of KVM_RUN with
 * mpt_kvm_set_vcpu_ops() (struct mpt_kvm_vcpu_ops).
 *
 * A VMM that gives no such ops gets a best effort only: data accesses that
 * race with a change exit as MMIO and mpt_kvm_handle_mmio() serves them
 * from the VMM's mapping, and the VMM may retry a KVM_EXIT_INTERNAL_ERROR
 * when mpt_kvm_slots_changed() says memslots changed meanwhile; but a guest
 * with more than one vCPU, or whose vCPU runs while another thread makes
 * instances track pages, may still fault (triple fault, or a failed
 * instruction fetch or page-table walk).
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
 * memslots, irqfd, ioeventfd, GSI routing or KVM_SIGNAL_MSI; -ENOSPC if no memslot id is left at
 * @slot_base; -errno from KVM.
 */
MPT_API int mpt_kvm_vm_create(int vm_fd, const struct mpt_kvm_ram *ram,
			      unsigned int nr, unsigned int slot_base,
			      struct mpt_kvm_vm **out);

/**
 * struct mpt_kvm_vcpu_ops - how the backend keeps the VMM's vCPUs out of
 *	KVM_RUN while it changes memslots
 * @pause: return once no vCPU thread of the VM is inside KVM_RUN, and keep
 *	every one from entering KVM_RUN until the matching @resume.  Must
 *	not fail, and must not wait for exit handlers (see below).
 * @resume: undo the last @pause: the vCPU threads may enter KVM_RUN again
 *	(clearing kvm_run->immediate_exit first if @pause set it).
 *
 * "Paused" means "not inside KVM_RUN", nothing more.  A vCPU thread that is
 * handling an exit in userspace counts as paused, and so does one not yet
 * started or already ended: @pause must not wait for them.  The thread
 * handling an exit may be the very one asking for the change (a device
 * model that tracks a page from an MMIO handler, as mgpu does when the
 * guest binds a page table), or it may be blocked on a device-model lock
 * that thread holds; waiting for exit handlers to finish would deadlock.
 * So @pause only kicks the threads that are inside KVM_RUN out of it and
 * waits for those to return from the ioctl: set their
 * kvm_run->immediate_exit (so that a thread on its way in returns at once
 * too) and send them a signal whose handler does nothing and that is not
 * blocked, so KVM_RUN returns -EINTR.  Each vCPU thread checks, under the
 * VMM's lock, before every KVM_RUN whether the vCPUs are paused, and
 * waits for @resume if so; it marks itself inside KVM_RUN under that
 * lock, so that @pause sees it.  tools/mptrun/vcpu.c does exactly this.
 *
 * The backend calls @pause and @resume, in pairs, around every memslot
 * change that can leave guest RAM unmapped: the split and merge of
 * write-tracking, from mpt_page_track_add(), mpt_page_track_remove() or a
 * detach.  It calls them from whatever thread asked for the change: a vCPU
 * thread inside an exit handler, the backend's own thread (doorbells), or
 * any thread of the VMM, possibly before the vCPUs exist.
 *
 * Context: process context; @pause may sleep.
 * Locking: called with the backend's VM lock held, and with whatever locks
 * the caller of the change holds (a device model's, for instance): they
 * must not call the backend or device models, nor wait for anything a
 * vCPU thread does outside KVM_RUN.  Pairs of one VM never overlap or
 * nest.
 */
struct mpt_kvm_vcpu_ops {
	void (*pause)(void *arg);
	void (*resume)(void *arg);
};

/**
 * mpt_kvm_set_vcpu_ops() - let the backend pause the VMM's vCPUs
 * @vm: the VM
 * @ops: the VMM's pause and resume (both set), or NULL for none; the
 *	structure must stay valid until it is replaced or the VM destroyed
 * @arg: passed to @ops's functions
 *
 * Every VMM that runs guest code while instances are attached should give
 * these before its first KVM_RUN: without them, memslot changes can make a
 * running vCPU fault (see the top of this header).  They apply from the
 * next memslot change on: the call waits for a change in progress.
 *
 * Context: process context, may sleep; not from inside @ops.
 * Return: 0, or -EINVAL when @ops lacks pause or resume (nothing changes).
 */
MPT_API int mpt_kvm_set_vcpu_ops(struct mpt_kvm_vm *vm,
				 const struct mpt_kvm_vcpu_ops *ops,
				 void *arg);

/**
 * mpt_kvm_vm_destroy() - give the VM back to the VMM
 * @vm: a VM with no instance attached
 *
 * Removes the backend's memslots, routes, irqfds and ioeventfds and stops
 * its thread.  Guest RAM is in no memslot afterwards, and the backend does
 * not call the vCPU ops for that: no vCPU may run guest code any more.
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
 * in a memslot the backend was replacing: run the vCPU again.  Only a VMM
 * without vCPU ops (mpt_kvm_set_vcpu_ops()) needs this; with them no vCPU
 * runs during a change, and this is merely a cheap defence.
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
 * @ram_exits: other exits that hit guest RAM (memslot races; none when the
 *	VMM gave vCPU ops)
 * @doorbells: doorbell writes delivered through ioeventfd
 * @msi_irqfd: interrupts delivered through an irqfd
 * @msi_signal: interrupts delivered with KVM_SIGNAL_MSI
 * @memslot_updates: KVM_SET_USER_MEMORY_REGION calls for tracking
 * @vcpu_pauses: times the backend paused the vCPUs (vCPU ops) for them
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
	u64 vcpu_pauses;
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
