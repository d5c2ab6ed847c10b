/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * The device-model API: a helper layer, not a framework.
 *
 * A device model embeds struct mpt_vdev first in its own state, declares a
 * device type, and gets callbacks for the guest's accesses.  It calls the
 * helpers below to register traps, reach guest memory, track guest pages,
 * map pages for DMA and raise interrupts.  It never names a hypervisor.
 *
 * All functions return 0 or a negative errno unless they say otherwise, in
 * the kernel and in userspace alike, so a device model is written once.
 *
 * Lifecycle of an instance:
 *
 *   mpt_vdev_create()  -> CREATED  (type's init op ran: traps registered)
 *   mpt_vdev_attach()  -> ATTACHED (backend connected to a guest; config
 *                                   space reachable)
 *   mpt_vdev_activate() -> ACTIVE  (MMIO, PIO, page-track writes and
 *                                   interrupts flow)
 *   mpt_vdev_reset()   -> RESETTING -> ACTIVE
 *   mpt_vdev_deactivate() -> ATTACHED, mpt_vdev_detach() -> DETACHED
 *   (attach again, e.g. when a VFIO device is reopened), and
 *   mpt_vdev_destroy() -> DESTROYED; the memory goes with the last reference.
 */
#ifndef MPT_VDEV_H
#define MPT_VDEV_H

#include <mpt/types.h>
#include <mpt/pci.h>
#include <mpt/pvinfo.h>

struct mpt_backend;
struct mpt_vdev;

/**
 * enum mpt_vdev_state - lifecycle state of an instance
 * @MPT_VDEV_CREATED: allocated and initialised by the device model
 * @MPT_VDEV_ATTACHED: connected to a guest through a backend
 * @MPT_VDEV_ACTIVE: guest accesses are dispatched
 * @MPT_VDEV_RESETTING: a device reset is running; guest accesses are refused
 * @MPT_VDEV_DETACHED: disconnected from its guest; may be attached again
 * @MPT_VDEV_DESTROYED: torn down, waiting for its last reference
 */
enum mpt_vdev_state {
	MPT_VDEV_CREATED = 0,
	MPT_VDEV_ATTACHED,
	MPT_VDEV_ACTIVE,
	MPT_VDEV_RESETTING,
	MPT_VDEV_DETACHED,
	MPT_VDEV_DESTROYED,
};

/**
 * struct mpt_vdev - the part of a device instance the core owns
 * @type: the instance's device type (read-only for the device model)
 * @id: instance number, unique while the instance exists (read-only)
 *
 * Embed it as the first member of the device model's state and get back
 * with container_of().  MPT_VDEV_TYPE_SIZE() enforces the placement.
 */
struct mpt_vdev {
	const struct mpt_vdev_type *type;
	u32 id;
};

/* DRM's fourcc for XRGB8888 ('X', 'R', '2', '4'): a little-endian u32 per pixel. */
#define MPT_FORMAT_XRGB8888 0x34325258u

/* The largest plane mpt_vdev_read_plane() accepts: 16384 x 16384. */
#define MPT_PLANE_MAX_SIDE 16384u

/**
 * struct mpt_plane - a picture a device scans out
 * @width: pixels per row; 0 when the plane is off
 * @height: rows
 * @format: MPT_FORMAT_XRGB8888 (the only format so far)
 */
struct mpt_plane {
	u32 width;
	u32 height;
	u32 format;
};

/**
 * struct mpt_vdev_ops - callbacks of a device type
 * @init: Mandatory.  Initialise a new instance: register traps, set up the
 *	info page, load golden state.  Runs in CREATED state.  May sleep.
 *	Return 0 or a negative errno; on error the instance is freed.
 * @release: Optional.  Free what @init allocated.  Runs once, after the
 *	instance was destroyed and its last reference dropped.  May sleep.
 * @activate: Optional.  The guest may now reach the device.  May sleep.
 *	Return 0 or a negative errno, which leaves the instance ATTACHED.
 * @deactivate: Optional.  The guest can no longer reach the device and no
 *	handler is running.  May sleep.
 * @reset: Optional.  Put the device state back to power-on values.  The
 *	core has already reset the configuration space.  May run from inside
 *	one of the device's own trap handlers (a guest-initiated reset), so it
 *	must not wait for them; it serialises with them under the device
 *	model's own lock.  May sleep.
 * @cfg_access: Optional.  Access to configuration-space bytes the core does
 *	not emulate (the device-specific area after the capabilities).  Absent:
 *	those bytes read as zero and writes are ignored.  Called without core
 *	locks, so it may reset the device.  May sleep.
 * @dma_invalidated: Optional.  The guest removed the DMA mapping of
 *	[@gfn, @gfn + @nr) (a VFIO DMA unmap); the core already dropped its
 *	cached mappings there.  The device model must stop using DMA
 *	addresses it got for that range.  May sleep.
 * @read_plane: Optional.  What the device scans out on its primary plane,
 *	for a VMM's display or a screenshot (see mpt_vdev_read_plane(), which
 *	checks what the op returns).  Fill *@plane; when @pixels is not NULL
 *	also copy the picture there, rows packed, if it fits in @max pixels
 *	(else -ENOSPC).  A device whose plane is off answers width 0.
 *	Serialises with its own handlers under the device model's lock.
 *	May sleep.  Return 0, or -EFAULT when the plane points at memory
 *	that cannot be read.
 */
struct mpt_vdev_ops {
	int (*init)(struct mpt_vdev *vdev);
	void (*release)(struct mpt_vdev *vdev);
	int (*activate)(struct mpt_vdev *vdev);
	void (*deactivate)(struct mpt_vdev *vdev);
	void (*reset)(struct mpt_vdev *vdev);
	int (*cfg_access)(struct mpt_vdev *vdev, unsigned int offset, void *data,
			  unsigned int len, bool is_write);
	void (*dma_invalidated)(struct mpt_vdev *vdev, u64 gfn, u64 nr);
	int (*read_plane)(struct mpt_vdev *vdev, struct mpt_plane *plane,
			  u32 *pixels, size_t max);
};

/**
 * struct mpt_vdev_type - a kind of device a device model offers
 * @name: short name, unique among registered types ("mgpu-small")
 * @description: one line for humans (shown in mdev_supported_types)
 * @max_instances: how many instances may exist at once (at least 1)
 * @instance_size: size of the device model's state, which embeds struct
 *	mpt_vdev first; use MPT_VDEV_TYPE_SIZE()
 * @pci: the PCI function the instances present
 * @ops: callbacks
 * @owner: the module holding @ops and the type: THIS_MODULE in a kernel
 *	module, NULL in userspace (or for a type whose code cannot go away).
 *	Each instance holds a reference on it from mpt_vdev_create() until its
 *	release op has run, so the kernel refuses to unload the module while
 *	instances of the type exist, rather than running a module exit whose
 *	mpt_type_unregister() would fail with -EBUSY.  Consequently a module
 *	that creates instances of its own type must destroy them before it
 *	can be unloaded (from a remove request, not from its module exit).
 */
struct mpt_vdev_type {
	const char *name;
	const char *description;
	unsigned int max_instances;
	size_t instance_size;
	const struct mpt_pci_desc *pci;
	const struct mpt_vdev_ops *ops;
	void *owner;
};

/*
 * Size of a device model's state @type, checking at compile time that its
 * struct mpt_vdev @member comes first (the core allocates it).
 */
#define MPT_VDEV_TYPE_SIZE(type, member)                                     \
	(sizeof(type) +                                                      \
	 0 * sizeof(struct {                                                 \
		 _Static_assert(__builtin_offsetof(type, member) == 0,       \
				"struct mpt_vdev must be the first member"); \
		 int dummy;                                                  \
	 }))

/**
 * mpt_type_register() - offer a device type
 * @type: the type; must stay valid until unregistered
 *
 * Push-based: backends and device models may register in any order; an
 * instance binds to a backend only when it is created.
 *
 * Context: process context, may sleep.
 * Return: 0; -EINVAL for a bad description (logged); -EEXIST for a name
 * already taken.
 */
MPT_API int __must_check mpt_type_register(const struct mpt_vdev_type *type);

/**
 * mpt_type_unregister() - withdraw a device type
 * @type: a registered type
 *
 * In the kernel each instance holds a reference on the module owning the
 * type (its owner member), so the kernel refuses to unload the module
 * while instances exist and the module exit that calls this finds none.
 *
 * Context: process context, may sleep.
 * Return: 0, -EBUSY while instances of @type exist, -ENOENT if unknown.
 */
MPT_API int __must_check mpt_type_unregister(const struct mpt_vdev_type *type);

/**
 * mpt_type_available() - how many more instances of a type may be created
 * @name: the type's name
 *
 * Context: process context, may sleep.
 * Return: the count, or -ENOENT for an unknown type.
 */
MPT_API int mpt_type_available(const char *name);

/**
 * mpt_vdev_create() - create an instance of a device type
 * @type_name: name of a registered type
 * @backend_name: name of a registered backend, or NULL when exactly one
 *	backend is registered
 * @out: set to the new instance, holding one reference
 *
 * Allocates the device model's state, builds the configuration space and
 * runs the type's init op.  Until the instance is released it holds a
 * reference on the modules owning its type and its backend (the @owner of
 * struct mpt_vdev_type and of struct mpt_backend_ops), so neither can be
 * unloaded under it.
 *
 * Context: process context, may sleep.
 * Return: 0; -ENOENT for an unknown type or backend; -EINVAL when
 * @backend_name is NULL and not exactly one backend is registered; -ENOSPC
 * when the type has no instances left; -ENODEV when the module owning the
 * type or the backend is being unloaded; -ENOMEM; or the init op's error.
 */
MPT_API int __must_check mpt_vdev_create(const char *type_name,
					 const char *backend_name,
					 struct mpt_vdev **out);

/**
 * mpt_vdev_attach() - connect an instance to a guest
 * @vdev: an instance in CREATED or DETACHED state
 * @guest: the backend's description of the guest (see the backend's header)
 *
 * Context: process context, may sleep.
 * Return: 0; -EBUSY in another state; or the backend's attach error.
 */
MPT_API int __must_check mpt_vdev_attach(struct mpt_vdev *vdev, void *guest);

/**
 * mpt_vdev_activate() - let guest accesses reach the device
 * @vdev: an ATTACHED instance
 *
 * Context: process context, may sleep.
 * Return: 0; -EBUSY in another state; or the activate op's error.
 */
MPT_API int __must_check mpt_vdev_activate(struct mpt_vdev *vdev);

/**
 * mpt_vdev_deactivate() - stop guest accesses and wait for running ones
 * @vdev: an ACTIVE instance
 *
 * When it returns no trap or page-track handler of @vdev is running and
 * none will start.  Must not be called from one of @vdev's handlers.
 *
 * Context: process context, may sleep (waits for handlers).
 * Return: 0, or -EBUSY when @vdev is not ACTIVE.
 */
MPT_API int mpt_vdev_deactivate(struct mpt_vdev *vdev);

/**
 * mpt_vdev_reset() - reset the device as a PCI function-level reset would
 * @vdev: an ACTIVE instance
 *
 * Resets the configuration space (releasing decoded BARs, disabling MSI
 * and MSI-X, clearing pending bits) and runs the type's reset op.  Guest
 * accesses arriving meanwhile are refused.  May be called from one of
 * @vdev's own trap handlers.
 *
 * Context: process context, may sleep.
 * Return: 0, or -EBUSY when @vdev is not ACTIVE.
 */
MPT_API int mpt_vdev_reset(struct mpt_vdev *vdev);

/**
 * mpt_vdev_detach() - disconnect an instance from its guest
 * @vdev: an ATTACHED instance (deactivated first if ACTIVE)
 *
 * Releases decoded BARs, every page track, every DMA mapping and every
 * pass-through frame mapping, then detaches the backend.  DMA mappings still referenced by the device model
 * are unmapped anyway and counted as leaked in the statistics.
 *
 * Context: process context, may sleep.
 * Return: 0, or -EBUSY in another state.
 */
MPT_API int mpt_vdev_detach(struct mpt_vdev *vdev);

/**
 * mpt_vdev_destroy() - tear an instance down
 * @vdev: an instance in any state but DESTROYED
 *
 * Deactivates and detaches as needed, then drops the creation reference.
 * The type's release op runs with the last reference.
 *
 * Context: process context, may sleep.
 * Return: 0, or -EBUSY if already destroyed.
 */
MPT_API int mpt_vdev_destroy(struct mpt_vdev *vdev);

/**
 * mpt_vdev_get() - take a reference to an instance
 * @vdev: an instance the caller already holds a reference to
 *
 * Context: any.
 */
MPT_API void mpt_vdev_get(struct mpt_vdev *vdev);

/**
 * mpt_vdev_put() - drop a reference to an instance
 * @vdev: an instance
 *
 * Dropping a reference that was never taken is refused and logged, not
 * turned into a use after free.
 *
 * Context: process context if it may be the last reference.
 * Return: 0, or -EINVAL on a refcount underflow.
 */
MPT_API int mpt_vdev_put(struct mpt_vdev *vdev);

/**
 * mpt_vdev_state() - the current lifecycle state
 * @vdev: an instance
 *
 * Context: any.
 * Return: the state; it may change as soon as this returns.
 */
MPT_API enum mpt_vdev_state mpt_vdev_state(const struct mpt_vdev *vdev);

/**
 * mpt_vdev_backend() - the backend an instance is bound to
 * @vdev: an instance
 *
 * Context: any.
 * Return: the backend chosen at creation.
 */
MPT_API struct mpt_backend *mpt_vdev_backend(const struct mpt_vdev *vdev);

/* Trap flags: which access sizes a handler accepts and how. */
#define MPT_TRAP_SIZE1 0x01
#define MPT_TRAP_SIZE2 0x02
#define MPT_TRAP_SIZE4 0x04
#define MPT_TRAP_SIZE8 0x08
#define MPT_TRAP_SIZE_ANY 0x0f
/* Accesses must be naturally aligned. */
#define MPT_TRAP_ALIGNED 0x10
/*
 * The core splits an access the handler does not accept into naturally
 * aligned pieces it does accept (e.g. an 8-byte write into two 4-byte ones).
 */
#define MPT_TRAP_SPLIT 0x20
/*
 * A doorbell: the guest's write only means "look now".  A backend may
 * deliver it without an exit (KVM ioeventfd), in which case the written
 * value is lost and the handler sees a write of zeroes, possibly on a
 * thread of the backend instead of the vCPU's.
 */
#define MPT_TRAP_DOORBELL 0x40
#define MPT_TRAP_FLAGS_ALL 0x7f

/**
 * typedef mpt_trap_fn - a device model's handler for a trapped range
 * @vdev: the instance
 * @offset: offset of the access in the BAR
 * @data: the bytes to write, or the buffer to fill on a read
 * @len: access size in bytes (1 to 8, as the trap's flags allow)
 * @is_write: direction
 * @opaque: the pointer given at registration
 *
 * Called without core locks held, possibly on several vCPUs at once.
 *
 * Return: 0, or a negative errno; on error a read returns all ones and the
 * error is counted in the statistics.
 */
typedef int (*mpt_trap_fn)(struct mpt_vdev *vdev, u64 offset, void *data,
			   unsigned int len, bool is_write, void *opaque);

/**
 * mpt_trap_register() - handle guest accesses to part of a BAR
 * @vdev: an instance in CREATED, ATTACHED or DETACHED state
 * @bar: the BAR (0 to 5), implemented by the type
 * @offset: start of the range in the BAR
 * @len: length of the range
 * @fn: the handler
 * @opaque: passed to @fn
 * @flags: MPT_TRAP_* flags; 0 means any size from 1 to 8, unaligned allowed
 *
 * Ranges of one BAR must not overlap.  An access is split where a range
 * ends or begins, and each part goes to the range it lies in; a part in no
 * range is unclaimed: it reads as all ones and its write is dropped
 * (counted).  An access the flags refuse is treated the same way and
 * counted as a bad access.
 *
 * Traps are fixed while the instance is ACTIVE, so dispatch needs no lock.
 *
 * Context: process context, may sleep.
 * Return: 0; -EINVAL for a bad BAR, range or flags; -EEXIST for an overlap
 * (logged with both ranges); -EBUSY while ACTIVE; -ENOMEM.
 */
MPT_API int __must_check mpt_trap_register(struct mpt_vdev *vdev,
					   unsigned int bar, u64 offset,
					   u64 len, mpt_trap_fn fn,
					   void *opaque, unsigned int flags);

/**
 * mpt_vdev_bar_access() - dispatch one guest access to a BAR
 * @vdev: the instance
 * @bar: the BAR (0 to 5)
 * @offset: offset in the BAR
 * @data: bytes to write, or buffer for a read
 * @len: 1 to 8
 * @is_write: direction
 *
 * Called by backends for each trapped MMIO or port I/O access.  Fast path:
 * no lock, no allocation, and no indirect call but the handler itself.
 *
 * Context: any context the device model's handlers accept.
 * Return: 0; -ENODEV when the instance is not ACTIVE; -EINVAL for a bad
 * BAR, length or offset; -ENXIO when no handler covers the access.  A read
 * that fails returns all ones in @data.
 */
MPT_API int mpt_vdev_bar_access(struct mpt_vdev *vdev, unsigned int bar,
				u64 offset, void *data, unsigned int len,
				bool is_write);

/**
 * mpt_vdev_read_plane() - what an instance shows on its primary plane
 * @vdev: the instance
 * @plane: set to the plane's size and format; width 0 when it is off
 * @pixels: NULL to learn the size only, or where to copy the picture,
 *	rows packed (@plane->width pixels each)
 * @max: room at @pixels, in pixels
 *
 * For a VMM's display (a VFIO graphics plane) and for screenshots.  The
 * plane may change between two calls (the guest reprograms it): a caller
 * that sized its buffer first retries on -ENOSPC.
 *
 * Context: process context, may sleep; takes the device model's lock.
 * Return: 0; -EOPNOTSUPP when the device type has no display;
 * -ENOSPC when the picture is larger than @max pixels; -EFAULT when the
 * plane points at memory that cannot be read; -EIO when the device model
 * answered a plane larger than MPT_PLANE_MAX_SIDE or in an unknown format
 * (a device-model bug, logged).
 */
MPT_API int mpt_vdev_read_plane(struct mpt_vdev *vdev, struct mpt_plane *plane,
				u32 *pixels, size_t max);

/**
 * mpt_vdev_bar_rw() - dispatch an access of any length to a BAR
 * @vdev: the instance
 * @bar: the BAR
 * @offset: offset in the BAR
 * @data: bytes to write, or buffer for a read
 * @len: length in bytes
 * @is_write: direction
 *
 * Splits the access into naturally aligned pieces of at most 8 bytes and
 * dispatches each, as a VFIO region read or write needs.
 *
 * Context: as mpt_vdev_bar_access().
 * Return: 0, or the first piece's error (every piece is still dispatched).
 */
MPT_API int mpt_vdev_bar_rw(struct mpt_vdev *vdev, unsigned int bar,
			    u64 offset, void *data, size_t len, bool is_write);

/**
 * mpt_vdev_cfg_access() - a guest access to the configuration space
 * @vdev: an ATTACHED, ACTIVE or RESETTING instance
 * @offset: offset in the 256-byte configuration space
 * @data: bytes to write, or buffer for a read
 * @len: 1, 2 or 4, naturally aligned
 * @is_write: direction
 *
 * Emulates the header, BARs (including sizing), command register,
 * capability list, MSI and MSI-X capabilities; the rest goes to the
 * type's cfg_access op.  Enabling memory or I/O decoding claims the BARs
 * through the backend; disabling releases them.
 *
 * Context: process context, may sleep; takes the config-space lock (not
 * held while MSI deliveries or the type's cfg_access op run).
 * Return: 0; -EINVAL for a bad offset or length (a read then returns all
 * ones); -ENODEV when not attached.
 */
MPT_API int mpt_vdev_cfg_access(struct mpt_vdev *vdev, unsigned int offset,
				void *data, unsigned int len, bool is_write);

/**
 * mpt_gpa_read() - read guest-physical memory
 * @vdev: an attached instance (ATTACHED, ACTIVE or RESETTING)
 * @gpa: guest-physical address
 * @buf: destination
 * @len: length; the range may cross pages and RAM regions
 *
 * Context: process context, may sleep.
 * Return: 0; -EFAULT if any byte is not guest RAM; -EINVAL if the range
 * wraps; -ENODEV when not attached.
 */
MPT_API int mpt_gpa_read(struct mpt_vdev *vdev, u64 gpa, void *buf,
			 size_t len);

/**
 * mpt_gpa_write() - write guest-physical memory as the device
 * @vdev: an attached instance (ATTACHED, ACTIVE or RESETTING)
 * @gpa: guest-physical address
 * @buf: source
 * @len: length
 *
 * Context: process context, may sleep.
 * Return: as mpt_gpa_read().
 */
MPT_API int mpt_gpa_write(struct mpt_vdev *vdev, u64 gpa, const void *buf,
			  size_t len);

/**
 * typedef mpt_page_track_fn - a handler for writes to a tracked page
 * @vdev: the instance
 * @gpa: guest-physical address of the write (within one page)
 * @data: the bytes the guest wrote
 * @len: their number (1 to the end of the page)
 * @opaque: the pointer given at registration
 *
 * Called without core locks held.  It may add and remove tracks, its own
 * included.  It must take the written value from @data: whether guest
 * memory already holds it depends on the hypervisor (KVM's page tracking
 * reports writes after applying them).
 */
typedef void (*mpt_page_track_fn)(struct mpt_vdev *vdev, u64 gpa,
				  const void *data, unsigned int len,
				  void *opaque);

/**
 * mpt_page_track_add() - get called on guest writes to a page
 * @vdev: an attached instance (ATTACHED, ACTIVE or RESETTING)
 * @gfn: the guest page
 * @fn: the handler
 * @opaque: passed to @fn; (@fn, @opaque) identifies the track
 *
 * Several handlers may track one page; the backend is asked to start
 * tracking only for the first.
 *
 * Context: process context, may sleep.
 * Return: 0; -EEXIST if (@fn, @opaque) already tracks @gfn; -ENOSPC when the
 * page has MPT_PAGE_TRACK_MAX_HANDLERS handlers; -EOPNOTSUPP when the
 * backend cannot track; -ENODEV when not attached; or the backend's error.
 */
MPT_API int __must_check mpt_page_track_add(struct mpt_vdev *vdev, u64 gfn,
					    mpt_page_track_fn fn, void *opaque);

/**
 * mpt_page_track_remove() - stop a track
 * @vdev: the instance
 * @gfn: the guest page
 * @fn: the handler
 * @opaque: as given to mpt_page_track_add()
 *
 * The backend stops tracking when the last handler goes.  A delivery
 * already running on another vCPU may still call @fn once; a device model
 * that frees @opaque must serialise with its handler under its own lock.
 *
 * Context: process context, may sleep.
 * Return: 0, or -ENOENT if no such track exists.
 */
MPT_API int mpt_page_track_remove(struct mpt_vdev *vdev, u64 gfn,
				  mpt_page_track_fn fn, void *opaque);

/* The most handlers that may track one page of one instance. */
#define MPT_PAGE_TRACK_MAX_HANDLERS 8

/**
 * mpt_page_track_write() - deliver a guest write to a tracked page
 * @vdev: the instance
 * @gpa: guest-physical address of the write
 * @data: the bytes written
 * @len: their number; a write crossing pages is split per page
 *
 * Called by backends when a guest write hits a page the backend tracks.
 *
 * Context: process context; no lock held.
 * Return: the number of handlers called (0 if the page is not tracked by
 * @vdev), or -ENODEV when the instance is not ACTIVE.
 */
MPT_API int mpt_page_track_write(struct mpt_vdev *vdev, u64 gpa,
				 const void *data, size_t len);

/**
 * mpt_page_track_is_tracked() - tell whether an instance tracks a page
 * @vdev: the instance
 * @gfn: the guest page
 *
 * Context: process context.
 * Return: true if at least one handler tracks @gfn.
 */
MPT_API bool mpt_page_track_is_tracked(struct mpt_vdev *vdev, u64 gfn);

/**
 * mpt_dma_map() - map guest memory for device DMA, through the cache
 * @vdev: an attached instance (ATTACHED, ACTIVE or RESETTING)
 * @gfn: first guest page, aligned to @size
 * @size: MPT_DMA_SIZE_4K, MPT_DMA_SIZE_64K or MPT_DMA_SIZE_2M
 * @dma_addr: set to the bus address
 *
 * A hit on the same (@gfn, @size) takes another reference; a miss asks the
 * backend to pin and map.
 *
 * Context: process context, may sleep; takes the DMA cache lock.
 * Return: 0; -EINVAL for a bad size or alignment; -ENODEV when not attached;
 * -EOPNOTSUPP when the backend cannot map; or the backend's error.
 */
MPT_API int __must_check mpt_dma_map(struct mpt_vdev *vdev, u64 gfn, u64 size,
				     u64 *dma_addr);

/**
 * mpt_dma_pin() - take another reference to a mapping
 * @vdev: the instance
 * @dma_addr: a bus address mpt_dma_map() returned
 *
 * Context: process context, may sleep.
 * Return: 0, or -ENOENT if no mapping starts at @dma_addr.
 */
MPT_API int __must_check mpt_dma_pin(struct mpt_vdev *vdev, u64 dma_addr);

/**
 * mpt_dma_unmap() - drop a reference to a mapping
 * @vdev: the instance
 * @dma_addr: a bus address mpt_dma_map() returned
 *
 * The backend unmaps when the last reference goes.  If two cached
 * mappings share a bus address (a 4 KiB and a larger mapping at the same
 * gfn, on backends whose bus address is the host address), the reference
 * dropped is the most recent mapping's; pin behaves the same.
 *
 * Context: process context, may sleep.
 * Return: 0, or -ENOENT if no mapping starts at @dma_addr (for example after
 * the guest invalidated it).
 */
MPT_API int mpt_dma_unmap(struct mpt_vdev *vdev, u64 dma_addr);

/**
 * mpt_dma_invalidate() - the guest removed DMA access to a range
 * @vdev: the instance
 * @gfn: first guest page of the range
 * @nr: number of pages
 *
 * Called by backends (VFIO's dma_unmap callback).  Unmaps every cached
 * mapping overlapping the range whatever its refcount, then tells the
 * device model through its dma_invalidated op.
 *
 * Context: process context, may sleep.
 * Return: the number of mappings dropped.
 */
MPT_API int mpt_dma_invalidate(struct mpt_vdev *vdev, u64 gfn, u64 nr);

/**
 * mpt_gfn_to_pfn() - the host frame backing a guest page
 * @vdev: an attached instance (ATTACHED, ACTIVE or RESETTING)
 * @gfn: the guest page
 * @pfn: set to the host frame
 *
 * Context: process context, may sleep.
 * Return: 0; -EFAULT if not guest RAM; -EOPNOTSUPP; -ENODEV.
 */
MPT_API int mpt_gfn_to_pfn(struct mpt_vdev *vdev, u64 gfn, u64 *pfn);

/**
 * mpt_is_valid_gfn() - tell whether a guest page is guest RAM
 * @vdev: an attached instance (ATTACHED, ACTIVE or RESETTING)
 * @gfn: the guest page
 *
 * Context: any, does not sleep.
 * Return: true if the backend reports it valid (or cannot tell).
 */
MPT_API bool mpt_is_valid_gfn(struct mpt_vdev *vdev, u64 gfn);

/**
 * mpt_map_frames() - pass a guest range straight through to host frames
 * @vdev: an attached instance (ATTACHED, ACTIVE or RESETTING)
 * @gfn: first guest frame
 * @pfn: first host frame
 * @nr: number of frames
 *
 * Context: process context, may sleep.
 * Return: 0; -EOPNOTSUPP when the backend cannot (trap the range instead);
 * -ENODEV when not attached; or the backend's error.
 */
MPT_API int mpt_map_frames(struct mpt_vdev *vdev, u64 gfn, u64 pfn, u64 nr);

/**
 * mpt_unmap_frames() - undo mpt_map_frames()
 * @vdev: the instance
 * @gfn: first guest frame, as mapped
 * @nr: number of frames, as mapped
 *
 * Context: process context, may sleep.
 * Return: 0, or -ENOENT when no mapping of exactly this range exists.
 */
MPT_API int mpt_unmap_frames(struct mpt_vdev *vdev, u64 gfn, u64 nr);

/**
 * mpt_vdev_raise_irq() - signal an interrupt vector
 * @vdev: an ACTIVE instance
 * @vector: MSI-X table entry, or MSI vector
 *
 * Uses MSI-X when the guest enabled it, else MSI.  Nothing is injected
 * while both are disabled (counted as dropped); a masked vector gets its
 * pending bit set and is injected when the guest unmasks it.
 *
 * Context: any, does not sleep; takes the interrupt spinlock briefly.
 * Return: 0 when injected; 1 when left pending; -EAGAIN when dropped
 * because interrupts are disabled; -EINVAL for a bad vector; -ENODEV when
 * not ACTIVE; or the backend's error.
 */
MPT_API int mpt_vdev_raise_irq(struct mpt_vdev *vdev, unsigned int vector);

/**
 * typedef mpt_pvinfo_notify_fn - guest-to-host message from the info page
 * @vdev: the instance
 * @msg: the value the guest wrote to g2v_notify
 * @payload: the g2v_payload words at that moment
 *
 * Called from the trap path, without core locks held.
 */
typedef void (*mpt_pvinfo_notify_fn)(struct mpt_vdev *vdev, u32 msg,
				     const u32 *payload);

/**
 * struct mpt_pvinfo_config - what a device model publishes in the info page
 * @caps: capability bits
 * @ranges: resource ranges given to this instance
 * @notify: called on guest writes to g2v_notify; may be NULL
 */
struct mpt_pvinfo_config {
	u32 caps;
	struct mpt_pvinfo_range ranges[MPT_PVINFO_NR_RANGES];
	mpt_pvinfo_notify_fn notify;
};

/**
 * mpt_pvinfo_setup() - serve the paravirtual info page
 * @vdev: an instance in CREATED state (from the init op)
 * @bar: the memory BAR to place it in
 * @offset: its offset in the BAR, 4 KiB aligned
 * @config: the content
 *
 * Registers a trap for the page; the core answers reads and filters writes.
 *
 * Context: process context, may sleep.
 * Return: 0, -EINVAL for a bad placement, -EEXIST for an overlap, -ENOMEM.
 */
MPT_API int __must_check mpt_pvinfo_setup(struct mpt_vdev *vdev,
					  unsigned int bar, u64 offset,
					  const struct mpt_pvinfo_config *config);

/**
 * mpt_pvinfo_guest_status() - the guest_status word of the info page
 * @vdev: an instance with an info page
 *
 * Context: any.
 * Return: the last value the guest wrote, 0 at reset.
 */
MPT_API u32 mpt_pvinfo_guest_status(struct mpt_vdev *vdev);

/**
 * struct mpt_vdev_stats - per-instance counters
 * @mmio_traps: MMIO and port I/O accesses dispatched to handlers
 * @cfg_accesses: configuration-space accesses
 * @unclaimed: accesses no handler covered
 * @bad_accesses: accesses refused for size, alignment or range
 * @refused: accesses refused because the instance was not ACTIVE
 * @handler_errors: handlers that returned an error
 * @irqs_injected: interrupts delivered to the backend
 * @irqs_pending: interrupts left pending behind a mask
 * @irqs_dropped: interrupts raised while MSI and MSI-X were disabled
 * @irq_errors: injections the backend failed
 * @page_track_writes: tracked-page writes delivered to handlers
 * @page_track_misses: tracked-page writes for pages nobody tracks
 * @dma_maps: mappings created through the backend
 * @dma_hits: mpt_dma_map() calls served from the cache
 * @dma_unmaps: mappings released through the backend
 * @dma_invalidated: mappings dropped by guest invalidation
 * @dma_leaked: mappings still referenced when the instance detached
 * @bar_claim_errors: BARs the backend could not claim
 * @pvinfo_ro_writes: guest writes to read-only info-page fields
 * @pvinfo_rsvd_writes: guest writes to reserved info-page fields
 * @pvinfo_notifies: guest-to-host messages
 */
struct mpt_vdev_stats {
	u64 mmio_traps;
	u64 cfg_accesses;
	u64 unclaimed;
	u64 bad_accesses;
	u64 refused;
	u64 handler_errors;
	u64 irqs_injected;
	u64 irqs_pending;
	u64 irqs_dropped;
	u64 irq_errors;
	u64 page_track_writes;
	u64 page_track_misses;
	u64 dma_maps;
	u64 dma_hits;
	u64 dma_unmaps;
	u64 dma_invalidated;
	u64 dma_leaked;
	u64 bar_claim_errors;
	u64 pvinfo_ro_writes;
	u64 pvinfo_rsvd_writes;
	u64 pvinfo_notifies;
};

/**
 * mpt_vdev_get_stats() - read an instance's counters
 * @vdev: the instance
 * @stats: filled with a snapshot (each counter read atomically)
 *
 * Context: any.
 */
MPT_API void mpt_vdev_get_stats(const struct mpt_vdev *vdev,
				struct mpt_vdev_stats *stats);

#endif /* MPT_VDEV_H */
