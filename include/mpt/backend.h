/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * The MPT ops contract: what a hypervisor backend implements.
 *
 * The core calls these ops and nothing else to reach the hypervisor.  An op
 * exists only where hypervisors really differ; where they agree (eventfd in
 * every VFIO-based KVM host, ioreq servers in every Xen dom0) the backend
 * hides the mechanism behind the op.  Backends register into the core with
 * mpt_backend_register(); the core never loads, requests or probes for one.
 *
 * In a build with one backend the core calls the backend's functions
 * directly (see mpt/mpt_dispatch.h); the table below is then still registered so
 * that it can be validated and so that instances can name their backend.
 */
#ifndef MPT_BACKEND_H
#define MPT_BACKEND_H

#include <mpt/types.h>

/*
 * The ABI of struct mpt_backend_ops.  The major number changes when an op
 * changes meaning or signature; a backend built for another major is
 * refused.  The minor number grows when a member is appended; the size
 * field then tells the core which members the backend knows about.
 * 1.1 appended @owner.
 */
#define MPT_BACKEND_ABI_MAJOR 1
#define MPT_BACKEND_ABI_MINOR 1
#define MPT_BACKEND_ABI_VERSION \
	((MPT_BACKEND_ABI_MAJOR << 16) | MPT_BACKEND_ABI_MINOR)

/* Sizes a guest page may be mapped for device DMA with. */
#define MPT_DMA_SIZE_4K (4ULL << 10)
#define MPT_DMA_SIZE_64K (64ULL << 10)
#define MPT_DMA_SIZE_2M (2ULL << 20)

struct mpt_backend;
struct mpt_vdev;

/**
 * struct mpt_trap_area - a guest address range a device claims
 * @space: MMIO or port I/O
 * @bar: the BAR of the device the range decodes (0 to 5)
 * @start: first guest address of the range
 * @len: length of the range in bytes
 *
 * The backend routes guest accesses in [@start, @start + @len) to
 * mpt_vdev_bar_access() with @bar and the offset from @start.
 */
struct mpt_trap_area {
	enum mpt_space space;
	unsigned int bar;
	u64 start;
	u64 len;
};

/**
 * struct mpt_backend_ops - the operations a hypervisor backend provides
 * @abi_version: MPT_BACKEND_ABI_VERSION the backend was built against.
 * @size: sizeof(struct mpt_backend_ops) the backend was built against.
 * @name: short name of the backend ("kvm", "xen", "sim"); instances choose
 *	their backend by this name.
 *
 * @attach: Mandatory.  Connect an instance to a guest.  Why: each
 *	hypervisor names a guest differently (a struct kvm taken from the
 *	vfio_device, a Xen domid with an ioreq server, a VM file descriptor in
 *	a userspace VMM).  @guest is the backend's own description of the
 *	guest, passed through the core untouched.  The backend stores its
 *	per-instance state in *@handle; the core passes it to every other op.
 *	Calling context: process context, may sleep; the instance's lifecycle lock is
 *	held.  Result: 0, or a negative errno (-EINVAL for a guest the backend
 *	does not recognise, -ENOMEM, -EBUSY when the guest cannot take another
 *	instance).
 * @detach: Mandatory.  Undo @attach.  The core has already released every
 *	trap area, page track, DMA mapping and frame mapping of the instance.
 *	Calling context: process context, may sleep; lifecycle lock held.
 *
 * @inject_msi: Mandatory.  Deliver one message-signalled interrupt with
 *	address @addr and data @data to the guest.  Why: KVM signals an eventfd
 *	bound to an irqfd (or issues KVM_SIGNAL_MSI), Xen issues
 *	XEN_DMOP_inject_msi, ACRN a VHM ioctl.  The core has already checked
 *	that the guest enabled and unmasked the vector.
 *	Calling context: any context, must not sleep; the core holds no lock.
 *	Result: 0, or a negative errno (-EIO when the hypervisor refused).
 *
 * @read_gpa: Mandatory.  Copy @len bytes of guest-physical memory at @gpa
 *	into @buf.  Why: KVM uses vfio_dma_rw() or its memslot mappings, Xen
 *	foreign mappings, a userspace VMM its own mmap of guest RAM.  The range
 *	may cross pages and guest RAM regions of any layout; @len may be zero.
 *	Calling context: process context, may sleep (pages may be faulted in); no core
 *	lock held.  Result: 0, or -EFAULT if any byte is not guest RAM.
 * @write_gpa: Mandatory.  Copy @len bytes from @buf to guest-physical memory
 *	at @gpa, with the rules of @read_gpa.  The write is a device write: it
 *	does not go through write-tracking.  On -EFAULT the pages before the
 *	faulting one may have been written.
 *
 * @enable_page_track: Optional.  Make guest writes to page @gfn trap, so
 *	that the backend delivers them to mpt_page_track_write().  Why: KVM
 *	uses its page-track notifier (kernel) or read-only memslots
 *	(userspace), Xen the HVMMEM_ioreq_server memory type.  The core calls
 *	it once per gfn per instance, however many handlers track the page.
 *	Absent: tracking is refused with -EOPNOTSUPP.
 *	Calling context: process context, may sleep; the instance's page-track
 *	lock is held, so the op must not wait for a concurrent delivery to
 *	mpt_page_track_write() of the same instance.
 *	Result: 0, -EFAULT for a gfn that is not guest RAM, or a negative errno.
 * @disable_page_track: Optional, mandatory with @enable_page_track.  Undo
 *	it when the last handler of the gfn goes.  Same context as enable.
 *
 * @gfn_to_pfn: Optional.  Translate a guest frame to the host frame backing
 *	it, for device models that need to know whether guest pages are
 *	contiguous (huge GTT entries).  Why: KVM looks up its memslots, Xen
 *	asks the hypervisor.  Absent: -EOPNOTSUPP.
 *	Calling context: process context, may sleep.  Result: 0 and *@pfn, or -EFAULT.
 * @dma_map: Optional.  Pin @size bytes of guest memory at @gfn (aligned to
 *	@size: 4 KiB, 64 KiB or 2 MiB) and map it for device DMA, returning
 *	the bus address in *@dma_addr.  Why: VFIO pins through
 *	vfio_pin_pages() and the IOMMU, Xen uses the machine frame, a
 *	userspace backend its host virtual address.  The core caches and
 *	refcounts mappings; the backend sees one map per (gfn, size) and one
 *	unmap for it.  Absent: -EOPNOTSUPP.
 *	Calling context: process context, may sleep; the instance's DMA cache lock is
 *	held, so it must not call back into the core's DMA functions.
 *	Result: 0, -EFAULT for memory that is not guest RAM, -ENOMEM.
 * @dma_unmap: Optional, mandatory with @dma_map.  Unpin and unmap a range
 *	@dma_map returned.  Cannot fail.  Same context as @dma_map.
 *
 * @is_valid_gfn: Optional.  Tell whether @gfn is guest RAM, so a device
 *	model can point a bad guest table entry at a scratch page instead of
 *	failing a map later.  Why: KVM checks memslot visibility, others have no
 *	cheap check.  Absent: every gfn is reported valid and errors surface
 *	from @dma_map and @read_gpa.  Calling context: any, must not sleep.
 *
 * @claim_trap_area: Optional.  Route guest accesses to @area to the device.
 *	Called when the guest enables decoding of a BAR (command register) or
 *	moves a decoded BAR.  Why: Xen needs each range mapped to the ioreq
 *	server and a userspace VMM needs it in its exit lookup, while with VFIO
 *	the VMM routes BAR accesses itself.  Absent: nothing to do.
 *	Calling context: process context, may sleep; the config-space lock is held.
 *	Result: 0, -EBUSY if the range collides with another device, or a
 *	negative errno.  On error the BAR stays undecoded.
 * @release_trap_area: Optional, mandatory with @claim_trap_area.  Stop
 *	routing @area, which an earlier @claim_trap_area succeeded for.
 *
 * @map_frames: Optional.  Map @nr guest frames at @gfn straight to host
 *	frames at @pfn so guest accesses never trap (a pass-through aperture).
 *	Why: Xen maps with XEN_DOMCTL_memory_mapping; with VFIO the VMM mmaps
 *	the region itself.  Absent: -EOPNOTSUPP, and the device model traps the
 *	range instead.  Calling context: process context, may sleep.
 * @unmap_frames: Optional, mandatory with @map_frames.  Undo it.
 *
 * @owner: Optional (ABI 1.1).  The module holding the code and the table:
 *	THIS_MODULE in a kernel module (MPT_THIS_MODULE in code built for both
 *	hosts), NULL in userspace.  mpt_vdev_create() takes a reference on it
 *	for each instance on the backend and the instance's release drops it,
 *	so while instances exist the kernel refuses to unload the module
 *	("Module ... is in use") before its exit function could run, instead
 *	of mpt_backend_unregister() failing with -EBUSY in a module exit that
 *	cannot fail.  If the module is already going away, creation fails with
 *	-ENODEV.  A 1.0 table has no @owner (it is taken as NULL): its module
 *	must then keep itself loaded while it has instances.
 *
 * Optional ops a backend does not implement are left NULL; the core then
 * behaves as each member says.  A table missing a mandatory op, or one op of
 * a pair, is refused by mpt_backend_register().
 */
struct mpt_backend_ops {
	u32 abi_version;
	u32 size;
	const char *name;

	int (*attach)(struct mpt_backend *backend, void *guest,
		      struct mpt_vdev *vdev, void **handle);
	void (*detach)(void *handle);

	int (*inject_msi)(void *handle, u64 addr, u32 data);
	int (*read_gpa)(void *handle, u64 gpa, void *buf, size_t len);
	int (*write_gpa)(void *handle, u64 gpa, const void *buf, size_t len);

	int (*enable_page_track)(void *handle, u64 gfn);
	int (*disable_page_track)(void *handle, u64 gfn);

	int (*gfn_to_pfn)(void *handle, u64 gfn, u64 *pfn);
	int (*dma_map)(void *handle, u64 gfn, u64 size, u64 *dma_addr);
	void (*dma_unmap)(void *handle, u64 gfn, u64 size, u64 dma_addr);
	bool (*is_valid_gfn)(void *handle, u64 gfn);

	int (*claim_trap_area)(void *handle, const struct mpt_trap_area *area);
	void (*release_trap_area)(void *handle,
				  const struct mpt_trap_area *area);

	int (*map_frames)(void *handle, u64 gfn, u64 pfn, u64 nr);
	void (*unmap_frames)(void *handle, u64 gfn, u64 nr);

	/* ABI 1.1 */
	void *owner;
};

/**
 * mpt_backend_register() - make a backend available to new instances
 * @ops: the backend's operations; must stay valid until unregistered
 * @name: name instances select the backend by, or NULL for @ops->name
 * @priv: backend-private data, returned by mpt_backend_priv()
 * @out: set to the registered backend
 *
 * Validates @ops (ABI version, size, mandatory ops, op pairs) and refuses a
 * bad table with a log message naming the problem.  Nothing is called back
 * during registration, so it may happen before or after device models
 * register their types.
 *
 * Context: process context, may sleep; takes the registry lock.
 * Return: 0; -EINVAL for a bad table, a bad name, or a table this build
 * cannot dispatch to statically; -EEXIST if the name is taken; -ENOMEM.
 */
MPT_API int __must_check mpt_backend_register(const struct mpt_backend_ops *ops,
					      const char *name, void *priv,
					      struct mpt_backend **out);

/**
 * mpt_backend_unregister() - withdraw a backend
 * @backend: a registered backend
 *
 * Refused while instances are bound to the backend: they must be destroyed
 * first, because their guests hold state only the backend can release.  In
 * the kernel each instance holds a reference on the backend's module (the
 * owner member of its ops), so the kernel refuses to unload the module
 * first and the module exit that calls this finds no instance.  When it
 * returns 0 the core no longer calls or points at any of the backend's
 * code (the kernel's static calls are back at their defaults, or at the
 * one backend still registered), so the module may go.
 *
 * Context: process context, may sleep; takes the registry lock.
 * Return: 0, or -EBUSY if instances still use @backend.
 */
MPT_API int __must_check mpt_backend_unregister(struct mpt_backend *backend);

/**
 * mpt_backend_priv() - the private data given at registration
 * @backend: a registered backend
 *
 * Context: any.
 * Return: the @priv passed to mpt_backend_register().
 */
MPT_API void *mpt_backend_priv(const struct mpt_backend *backend);

/**
 * mpt_backend_name() - the name a backend is registered under
 * @backend: a registered backend
 *
 * Context: any.
 * Return: the name, valid while @backend is registered.
 */
MPT_API const char *mpt_backend_name(const struct mpt_backend *backend);

/**
 * typedef mpt_doorbell_fn - called for each doorbell range of a BAR
 * @arg: the caller's pointer
 * @offset: offset of the range in the BAR
 * @len: its length (1 to 8)
 */
typedef void (*mpt_doorbell_fn)(void *arg, u64 offset, unsigned int len);

/**
 * mpt_vdev_for_each_doorbell() - list the doorbells of a BAR
 * @vdev: an instance
 * @bar: the BAR
 * @fn: called for each trap registered with MPT_TRAP_DOORBELL
 * @arg: passed to @fn
 *
 * For backends that can take guest writes without an exit (KVM's
 * ioeventfd): on claiming a BAR they bind each doorbell, and deliver its
 * writes with mpt_vdev_doorbell().
 *
 * Context: any; traps do not change while the instance is ACTIVE.
 * Return: the number of doorbells, or -EINVAL for a bad BAR.
 */
MPT_API int mpt_vdev_for_each_doorbell(struct mpt_vdev *vdev, unsigned int bar,
				       mpt_doorbell_fn fn, void *arg);

/**
 * mpt_vdev_doorbell() - deliver a doorbell write whose value was not kept
 * @vdev: the instance
 * @bar: the BAR
 * @offset: the doorbell's offset, as mpt_vdev_for_each_doorbell() gave it
 *
 * Dispatches a write of zeroes of the doorbell's length.
 *
 * Context: as mpt_vdev_bar_access().
 * Return: as mpt_vdev_bar_access(); -ENXIO if no doorbell is there.
 */
MPT_API int mpt_vdev_doorbell(struct mpt_vdev *vdev, unsigned int bar,
			      u64 offset);

/**
 * mpt_vdev_backend_handle() - the backend's handle of an attached instance
 * @vdev: an instance
 *
 * For backends and conformance tests, which call ops with the handle.
 *
 * Context: any.
 * Return: the handle the attach op returned, NULL if not attached.
 */
MPT_API void *mpt_vdev_backend_handle(const struct mpt_vdev *vdev);

/**
 * mpt_vdev_msi_vector() - which vector an MSI message of an instance is
 * @vdev: an instance
 * @addr: the message address, as the inject_msi op received it
 * @data: the message data, as the inject_msi op received it
 *
 * For backends that deliver each vector through its own channel (VFIO: one
 * eventfd per MSI vector, which the VMM binds to a KVM irqfd) and so must
 * tell vectors apart in inject_msi.  With MSI the message must carry the
 * address and the data the guest programmed in the capability; with
 * multi-message MSI the vector is in the data's low bits (as many as the
 * guest enabled: log2 of the vectors in the Multiple Message Enable field).
 * With MSI-X it is the first table entry holding that address and data.
 * The answer is from the virtual configuration space now: a message
 * raised before the guest reprogrammed the capability may no longer match.
 *
 * Context: any, does not sleep; takes the instance's interrupt spinlock.
 * Return: the vector index (0 to the vectors enabled - 1); -ENOENT when
 * neither MSI nor MSI-X is enabled or no vector has that message.
 */
MPT_API int mpt_vdev_msi_vector(struct mpt_vdev *vdev, u64 addr, u32 data);

#endif /* MPT_BACKEND_H */
