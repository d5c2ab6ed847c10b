/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * The Xen backend for dom0 device-model processes ("xen").
 *
 * A device model for a Xen HVM or PVH guest is a dom0 process that serves
 * the guest's accesses to its devices through an ioreq server: Xen turns
 * each access to a range the server claimed into a request on a page
 * shared with the process, signals an event channel, and holds the vCPU
 * until the process answers.  This backend is that process's half: for one
 * guest domain (a struct mpt_xen_dom) it
 *   - creates one ioreq server and maps its request page,
 *   - routes the PCI configuration space of each attached instance
 *     (XEN_DMOP_map_pcidev) and its BARs, while the guest decodes them
 *     (claim_trap_area: XEN_DMOP_map_io_range), to the instances,
 *   - runs one thread, the ioreq loop, that takes the requests of every
 *     vCPU from their event channels, hands them to the instances (or to
 *     the embedding program, for devices it emulates itself) and answers,
 *   - reaches guest memory through foreign mappings kept in a map cache
 *     that an IOREQ_TYPE_INVALIDATE request flushes,
 *   - write-tracks guest pages with the HVMMEM_ioreq_server memory type,
 *   - injects MSIs with XEN_DMOP_inject_msi.
 *
 * One ioreq server per domain, not per instance: Xen lets only one server
 * of a domain own the HVMMEM_ioreq_server type (write-tracking), and allows
 * at most 8 servers per domain; two instances in one guest that both track
 * pages could not work with one server each.  All instances of a domain
 * share the server, its thread and its map cache.
 *
 * Use, in a dom0 process running as root:
 *	mpt_xen_register(NULL, &backend);
 *	mpt_xen_dom_open(domid, &io_ops, arg, &dom);   (guest still paused)
 *	mpt_xen_dom_claim_pio(dom, ...), _claim_pci(dom, ...)  (own devices)
 *	mpt_vdev_create(type, "xen", &v);
 *	mpt_vdev_attach(v, &(struct mpt_xen_pci_slot){ dom, 0, 1, 0 });
 *	mpt_vdev_activate(v);
 *	mpt_xen_dom_start(dom);
 *	mpt_xen_dom_deprivilege(dom, uid, gid);
 *	(unpause the domain; ... ; mpt_xen_dom_stop(dom))
 *	mpt_vdev_destroy(v); mpt_xen_dom_close(dom);
 * tools/mpt-xen does exactly this.
 *
 * Host frames (gfn_to_pfn) and DMA addresses (dma_map) are addresses in
 * the process: a pfn is a page of the foreign mapping of the guest frame
 * (hva >> 12), a DMA address the hva itself, valid until the matching
 * dma_unmap, as with the userspace KVM backend.  A device model reaches
 * guest memory by dereferencing it.
 *
 * The "guest" argument of mpt_vdev_attach() for this backend is a struct
 * mpt_xen_pci_slot.
 */
#ifndef MPT_XEN_H
#define MPT_XEN_H

#include <mpt/types.h>

struct mpt_backend;
struct mpt_xen_dom;

/**
 * struct mpt_xen_io_ops - accesses the embedding program serves itself
 * @pio: a port I/O access to a range claimed with mpt_xen_dom_claim_pio();
 *	@data holds the bytes written, or receives the bytes read
 * @mmio: an MMIO access to a range claimed with mpt_xen_dom_claim_mmio()
 * @pci_cfg: a configuration space access to a device claimed with
 *	mpt_xen_dom_claim_pci(); @bdf is bus << 8 | dev << 3 | fn, @reg the
 *	offset (0 to 4095), @len 1, 2 or 4
 *
 * Any may be NULL when the program claims nothing of its kind.  They run
 * on the domain's ioreq thread, one at a time, while the accessing vCPU
 * waits; they must not call mpt_xen_dom_stop() or mpt_xen_dom_close().  A
 * read the callback leaves alone returns what @data held: all ones.
 */
struct mpt_xen_io_ops {
	void (*pio)(void *arg, u16 port, void *data, unsigned int len,
		    bool is_write);
	void (*mmio)(void *arg, u64 gpa, void *data, unsigned int len,
		     bool is_write);
	void (*pci_cfg)(void *arg, unsigned int bdf, unsigned int reg,
			void *data, unsigned int len, bool is_write);
};

/* A struct mpt_xen_pci_slot's @dev that lets the backend choose. */
#define MPT_XEN_PCI_ANY_DEV 0xffffffffu

/**
 * struct mpt_xen_pci_slot - where an instance sits on the guest's PCI bus
 * @dom: the domain, from mpt_xen_dom_open()
 * @bus: bus number (0 to 255)
 * @dev: device number (0 to 31), or MPT_XEN_PCI_ANY_DEV for the first
 *	device number from 1 on that no one uses on @bus
 * @fn: function number (0 to 7)
 *
 * The guest argument of mpt_vdev_attach(); read during the call only.  Two
 * instances cannot share a function: the second attach fails with -EBUSY.
 */
struct mpt_xen_pci_slot {
	struct mpt_xen_dom *dom;
	unsigned int bus;
	unsigned int dev;
	unsigned int fn;
};

/**
 * mpt_xen_register() - register the Xen backend
 * @name: registration name, NULL for "xen"
 * @out: the registered backend
 *
 * Context: process context.
 * Return: as mpt_backend_register().
 */
MPT_API int mpt_xen_register(const char *name, struct mpt_backend **out);

/**
 * mpt_xen_dom_open() - become the device model of a guest domain
 * @domid: an HVM or PVH domain, best created paused
 * @ops: the program's own devices, or NULL; must stay valid until close
 * @arg: passed to @ops
 * @out: the domain object
 *
 * Opens the device-model, foreign-memory and event-channel interfaces,
 * creates an ioreq server for @domid (without a buffered ring) and maps
 * its request page.  The server stays disabled until mpt_xen_dom_start().
 *
 * Context: process context, as root in dom0 (privcmd).
 * Return: 0; -ENOENT when Xen is not running or its interfaces are
 * missing (/dev/xen/privcmd, evtchn); -ESRCH when no domain @domid exists;
 * -EOPNOTSUPP when the domain cannot have an ioreq server (a PV guest);
 * -ENOSPC when the domain has all the ioreq servers Xen allows; -ENOMEM;
 * another -errno from Xen.  A message on the mpt log says which step failed.
 */
MPT_API int mpt_xen_dom_open(u16 domid, const struct mpt_xen_io_ops *ops,
			     void *arg, struct mpt_xen_dom **out);

/**
 * mpt_xen_dom_claim_pio() - route a port range to the program's @pio op
 * @dom: the domain
 * @port: first port
 * @len: number of ports, at least 1
 *
 * Context: process context.
 * Return: 0; -EINVAL for a bad range; -EBUSY if it overlaps a claimed
 * range; -errno from Xen.
 */
MPT_API int mpt_xen_dom_claim_pio(struct mpt_xen_dom *dom, u16 port, u32 len);

/**
 * mpt_xen_dom_claim_mmio() - route an MMIO range to the program's @mmio op
 * @dom: the domain
 * @gpa: first guest-physical address
 * @len: length in bytes, at least 1
 *
 * Context: process context.
 * Return: as mpt_xen_dom_claim_pio().
 */
MPT_API int mpt_xen_dom_claim_mmio(struct mpt_xen_dom *dom, u64 gpa, u64 len);

/**
 * mpt_xen_dom_claim_pci() - route a PCI function's configuration space to
 *	the program's @pci_cfg op (a host bridge, for instance)
 * @dom: the domain
 * @bus: bus number
 * @dev: device number (0 to 31)
 * @fn: function number (0 to 7)
 *
 * Context: process context.
 * Return: 0; -EINVAL for a bad address; -EBUSY if the function is taken;
 * -errno from Xen.
 */
MPT_API int mpt_xen_dom_claim_pci(struct mpt_xen_dom *dom, unsigned int bus,
				  unsigned int dev, unsigned int fn);

/**
 * mpt_xen_dom_start() - enable the ioreq server and serve the guest
 * @dom: the domain
 *
 * Binds the event channel of each vCPU and starts the ioreq thread.  From
 * here on, guest accesses reach the instances and the @ops.
 *
 * Context: process context.
 * Return: 0; -EALREADY if started; -errno from Xen or thread creation.
 */
MPT_API int mpt_xen_dom_start(struct mpt_xen_dom *dom);

/**
 * mpt_xen_dom_deprivilege() - give up every privilege but this guest's
 * @dom: a started domain
 * @uid: user to become (not 0), e.g. 65534
 * @gid: group to become (not 0)
 *
 * Restricts every Xen interface handle of the process to @dom's domain
 * (xentoolcore_restrict_all()) and drops root (supplementary groups, gid,
 * uid, in that order).  Afterwards the process can still do all this
 * backend does for the guest, and nothing to any other domain: a device
 * model compromised by its guest cannot reach dom0's other guests.
 * Applies to the whole process, so only one domain per process can be
 * served deprivileged.
 *
 * Context: process context; call once the program opened every file it
 * needs.
 * Return: 0; -EINVAL for uid or gid 0; -EPERM (or another -errno) when a
 * step failed: the process must then not go on serving the guest.
 */
MPT_API int mpt_xen_dom_deprivilege(struct mpt_xen_dom *dom, u32 uid, u32 gid);

/**
 * mpt_xen_dom_stop() - stop serving the guest
 * @dom: the domain
 *
 * Stops the ioreq thread (a request in progress is answered first) and
 * disables the server.  The guest's vCPUs that access a device afterwards
 * wait until the domain is destroyed; stop the domain first.
 *
 * Context: process context, not from an @ops callback or a device model
 * handler.
 */
MPT_API void mpt_xen_dom_stop(struct mpt_xen_dom *dom);

/**
 * mpt_xen_dom_close() - destroy the ioreq server and free @dom
 * @dom: a domain without attached instances (detach them first)
 *
 * Stops the thread if running, unmaps every foreign mapping, destroys the
 * ioreq server and closes the handles.
 *
 * Context: process context.
 */
MPT_API void mpt_xen_dom_close(struct mpt_xen_dom *dom);

/**
 * struct mpt_xen_stats - what the backend did for one domain
 * @ioreqs: requests answered
 * @pio: port I/O requests routed to instances
 * @mmio: MMIO requests routed to instances
 * @pci_cfg: configuration space requests routed to instances
 * @program: requests routed to the program's @ops
 * @tracked_writes: guest writes to write-tracked pages
 * @rep_ioreqs: requests with data in guest memory (rep ins/outs/movs)
 * @invalidates: IOREQ_TYPE_INVALIDATE requests (map cache flushes)
 * @unhandled: requests nobody claimed (read all ones, writes dropped)
 * @refused: malformed requests refused (bad size or count)
 * @msis: MSIs Xen accepted
 * @msi_errors: MSIs Xen refused
 * @map_misses: map cache misses (foreign mappings made)
 * @mem_type_changes: XEN_DMOP_set_mem_type calls for write-tracking
 */
struct mpt_xen_stats {
	u64 ioreqs;
	u64 pio;
	u64 mmio;
	u64 pci_cfg;
	u64 program;
	u64 tracked_writes;
	u64 rep_ioreqs;
	u64 invalidates;
	u64 unhandled;
	u64 refused;
	u64 msis;
	u64 msi_errors;
	u64 map_misses;
	u64 mem_type_changes;
};

/**
 * mpt_xen_get_stats() - read a domain's backend counters
 * @dom: the domain
 * @stats: filled with a snapshot
 *
 * Context: any.
 */
MPT_API void mpt_xen_get_stats(struct mpt_xen_dom *dom,
			       struct mpt_xen_stats *stats);

/**
 * mpt_xen_dom_vcpus() - the number of vCPUs the domain has
 * @dom: the domain
 *
 * Context: any.
 * Return: the number, as Xen reported it at open.
 */
MPT_API unsigned int mpt_xen_dom_vcpus(struct mpt_xen_dom *dom);

#endif /* MPT_XEN_H */
