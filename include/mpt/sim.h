/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * The software backend ("sim"): a hypervisor made of host memory.
 *
 * A sim guest is a set of RAM regions backed by host buffers, with holes
 * between them.  Tests play the guest's part with the mpt_sim_guest_*()
 * calls (a CPU write that may hit a tracked page, an MMIO access that may
 * hit a claimed BAR, a VFIO-style DMA unmap) and observe what the backend
 * was asked to do (MSIs, pins, tracked pages).  Every op can be told to fail
 * on its Nth call, so the core's error paths are testable.
 *
 * The backend is also the template for porting mpt to a new hypervisor:
 * backends/sim/ is commented op by op with what a real hypervisor does there.
 */
#ifndef MPT_SIM_H
#define MPT_SIM_H

#include <mpt/types.h>

struct mpt_backend;
struct mpt_vdev;
struct mpt_sim_guest;

#define MPT_SIM_MAX_REGIONS 8

/**
 * struct mpt_sim_region - one RAM region of a sim guest
 * @gpa: guest-physical start, page aligned
 * @size: size in bytes, page aligned, not zero
 */
struct mpt_sim_region {
	u64 gpa;
	u64 size;
};

/**
 * enum mpt_sim_op - ops of the sim backend that can be made to fail
 * @MPT_SIM_ATTACH: attach
 * @MPT_SIM_INJECT_MSI: inject_msi
 * @MPT_SIM_READ_GPA: read_gpa
 * @MPT_SIM_WRITE_GPA: write_gpa
 * @MPT_SIM_ENABLE_TRACK: enable_page_track
 * @MPT_SIM_DISABLE_TRACK: disable_page_track
 * @MPT_SIM_GFN_TO_PFN: gfn_to_pfn
 * @MPT_SIM_DMA_MAP: dma_map
 * @MPT_SIM_IS_VALID_GFN: is_valid_gfn (fails by answering false)
 * @MPT_SIM_CLAIM_AREA: claim_trap_area
 * @MPT_SIM_MAP_FRAMES: map_frames
 * @MPT_SIM_NR_OPS: number of entries
 *
 * Ops that return nothing (detach, dma_unmap, release_trap_area,
 * unmap_frames) cannot fail and are not listed.
 */
enum mpt_sim_op {
	MPT_SIM_ATTACH,
	MPT_SIM_INJECT_MSI,
	MPT_SIM_READ_GPA,
	MPT_SIM_WRITE_GPA,
	MPT_SIM_ENABLE_TRACK,
	MPT_SIM_DISABLE_TRACK,
	MPT_SIM_GFN_TO_PFN,
	MPT_SIM_DMA_MAP,
	MPT_SIM_IS_VALID_GFN,
	MPT_SIM_CLAIM_AREA,
	MPT_SIM_MAP_FRAMES,
	MPT_SIM_NR_OPS,
};

/**
 * mpt_sim_register() - register the sim backend
 * @name: registration name, NULL for "sim"
 * @out: the registered backend
 *
 * Context: process context.
 * Return: as mpt_backend_register().
 */
MPT_API int mpt_sim_register(const char *name, struct mpt_backend **out);

/**
 * mpt_sim_guest_create() - make a guest with the given RAM layout
 * @regions: the RAM regions, sorted, not overlapping
 * @nr: their number, 1 to MPT_SIM_MAX_REGIONS
 *
 * The guest is what mpt_vdev_attach() takes as @guest for this backend.
 *
 * Context: process context.
 * Return: the guest, or NULL for a bad layout or no memory.
 */
MPT_API struct mpt_sim_guest *
mpt_sim_guest_create(const struct mpt_sim_region *regions, unsigned int nr);

/**
 * mpt_sim_guest_destroy() - free a guest with no instance attached
 * @g: the guest
 *
 * Context: process context.
 */
MPT_API void mpt_sim_guest_destroy(struct mpt_sim_guest *g);

/**
 * mpt_sim_guest_write() - a guest CPU writes memory
 * @g: the guest
 * @gpa: address
 * @data: bytes
 * @len: length
 *
 * Writes to tracked pages are delivered to each tracking instance's
 * handlers first (mpt_page_track_write()), then applied, as a hypervisor
 * that emulates the faulting write does.
 *
 * Context: process context.
 * Return: 0, or -EFAULT if any byte is outside guest RAM (nothing written).
 */
MPT_API int mpt_sim_guest_write(struct mpt_sim_guest *g, u64 gpa,
				const void *data, size_t len);

/**
 * mpt_sim_guest_read() - a guest CPU reads memory
 * @g: the guest
 * @gpa: address
 * @buf: destination
 * @len: length
 *
 * Context: process context.
 * Return: 0, or -EFAULT.
 */
MPT_API int mpt_sim_guest_read(struct mpt_sim_guest *g, u64 gpa, void *buf,
			       size_t len);

/**
 * mpt_sim_guest_access() - a guest CPU accesses MMIO or an I/O port
 * @g: the guest
 * @space: MMIO or port I/O
 * @addr: guest address
 * @data: bytes to write, or buffer for a read
 * @len: 1 to 8
 * @is_write: direction
 *
 * Routed through the areas instances claimed, like a hypervisor's exit
 * handling; an address nobody claimed reads all ones.
 *
 * Context: process context.
 * Return: the instance's dispatch result, or -ENXIO when unclaimed.
 */
MPT_API int mpt_sim_guest_access(struct mpt_sim_guest *g, enum mpt_space space,
				 u64 addr, void *data, unsigned int len,
				 bool is_write);

/**
 * mpt_sim_guest_dma_unmap() - the guest's VMM removes a DMA mapping
 * @g: the guest
 * @gfn: first page
 * @nr: number of pages
 *
 * What VFIO's dma_unmap notification is on KVM: every attached instance's
 * DMA cache is invalidated for the range.
 *
 * Context: process context.
 * Return: the number of cached mappings dropped.
 */
MPT_API int mpt_sim_guest_dma_unmap(struct mpt_sim_guest *g, u64 gfn, u64 nr);

/**
 * mpt_sim_msi_count() - MSIs injected into the guest so far
 * @g: the guest
 *
 * Context: any.
 * Return: the count.
 */
MPT_API unsigned int mpt_sim_msi_count(struct mpt_sim_guest *g);

/**
 * mpt_sim_msi_get() - one logged MSI
 * @g: the guest
 * @i: index, from 0
 * @addr: its address
 * @data: its data
 *
 * Context: any.
 * Return: 0, or -ENOENT beyond the log.
 */
MPT_API int mpt_sim_msi_get(struct mpt_sim_guest *g, unsigned int i, u64 *addr,
			    u32 *data);

/**
 * mpt_sim_pin_count() - how often a guest page is pinned for DMA
 * @g: the guest
 * @gfn: the page
 *
 * Context: any.
 * Return: the pin count.
 */
MPT_API unsigned int mpt_sim_pin_count(struct mpt_sim_guest *g, u64 gfn);

/**
 * mpt_sim_track_count() - how many instances track a guest page
 * @g: the guest
 * @gfn: the page
 *
 * Context: any.
 * Return: the count.
 */
MPT_API unsigned int mpt_sim_track_count(struct mpt_sim_guest *g, u64 gfn);

/**
 * mpt_sim_claimed() - whether a guest address is claimed by an instance
 * @g: the guest
 * @space: MMIO or port I/O
 * @addr: the address
 *
 * Context: any.
 * Return: true if claimed.
 */
MPT_API bool mpt_sim_claimed(struct mpt_sim_guest *g, enum mpt_space space,
			     u64 addr);

/**
 * mpt_sim_frames_mapped() - pass-through frames currently mapped
 * @g: the guest
 *
 * Context: any.
 * Return: the number of frames mapped with the map_frames op.
 */
MPT_API u64 mpt_sim_frames_mapped(struct mpt_sim_guest *g);

/**
 * mpt_sim_fail_nth() - make an op fail
 * @g: the guest
 * @op: the op
 * @nth: fail the nth call from now (1 = the next); 0 cancels
 * @err: the negative errno to return
 *
 * Context: any.
 */
MPT_API void mpt_sim_fail_nth(struct mpt_sim_guest *g, enum mpt_sim_op op,
			      unsigned int nth, int err);

/**
 * mpt_sim_op_calls() - how often an op was called
 * @g: the guest
 * @op: the op
 *
 * Context: any.
 * Return: the count since the guest was created.
 */
MPT_API unsigned int mpt_sim_op_calls(struct mpt_sim_guest *g,
				      enum mpt_sim_op op);

/**
 * mpt_sim_violations() - contract breaches the backend saw
 * @g: the guest
 *
 * The sim checks what the contract promises a backend: detach comes with
 * no track, pin or claim left; disable only follows enable; unmap only
 * follows map.  Each breach is logged and counted.
 *
 * Context: any.
 * Return: the count.
 */
MPT_API unsigned int mpt_sim_violations(struct mpt_sim_guest *g);

#endif /* MPT_SIM_H */
