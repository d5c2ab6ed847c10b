/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * The backend conformance suite.
 *
 * The cases check a hypervisor backend against the ops contract of
 * include/mpt/backend.h and nothing else: they call the backend's ops
 * directly (with the handle the core got from attach) and, where the
 * contract is about how backend and core work together, go through the
 * core's device-model API (tracked guest stores must reach
 * mpt_page_track_write(), claimed areas must route guest accesses to
 * mpt_vdev_bar_access(), ...).
 *
 * A backend takes part by implementing struct mpt_conf_target: it registers
 * itself, makes guests with the RAM layout the suite asks for, and plays the
 * guest's part (CPU loads and stores, MMIO and port accesses, observing
 * MSIs).  The suite's own device type, "mpt-conf", supplies the instances:
 * one 64 KiB memory BAR whose accesses are recorded, and four MSI vectors.
 *
 * The sim target is in target_sim.c; a KVM or Xen target implements the
 * same structure and calls mpt_conf_main() from its own main().
 */
#ifndef MPT_CONFORMANCE_H
#define MPT_CONFORMANCE_H

#include <mpt/mpt.h>

/*
 * The guest layout the suite asks every target for.  Three RAM regions, the
 * first two adjacent with a boundary that is not 2 MiB aligned (so a 2 MiB
 * range can span two regions), the second ending 16 KiB short of 16 MiB (so
 * 64 KiB and 2 MiB ranges can be partly RAM, partly hole), then a hole up
 * to 32 MiB:
 *
 *	R0   [0,                7 MiB)
 *	R1   [7 MiB,            16 MiB - 16 KiB)
 *	hole [16 MiB - 16 KiB,  32 MiB)
 *	R2   [32 MiB,           48 MiB)
 */
#define CONF_MIB (1ULL << 20)
#define CONF_R0_GPA 0ULL
#define CONF_R0_SIZE (7 * CONF_MIB)
#define CONF_R1_GPA (CONF_R0_GPA + CONF_R0_SIZE)
#define CONF_R1_SIZE (9 * CONF_MIB - 16 * 1024)
#define CONF_HOLE_GPA (CONF_R1_GPA + CONF_R1_SIZE)
#define CONF_R2_GPA (32 * CONF_MIB)
#define CONF_R2_SIZE (16 * CONF_MIB)
#define CONF_HOLE_SIZE (CONF_R2_GPA - CONF_HOLE_GPA)
#define CONF_RAM_END (CONF_R2_GPA + CONF_R2_SIZE)
#define CONF_NR_REGIONS 3

/* Guest addresses the suite uses for trap areas: none of them is RAM. */
#define CONF_MMIO_BASE 0xe0000000ULL
#define CONF_PIO_BASE 0xc000ULL

/* The suite's device type. */
#define CONF_TYPE_NAME "mpt-conf"
#define CONF_BAR_SIZE (64ULL << 10)
#define CONF_MSI_VECTORS 4
#define CONF_MAX_INSTANCES 4

#define CONF_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/**
 * struct mpt_conf_region - one RAM region of a guest
 * @gpa: guest-physical start, page aligned
 * @size: size in bytes, page aligned, not zero
 */
struct mpt_conf_region {
	u64 gpa;
	u64 size;
};

/**
 * struct mpt_conf_layout - the RAM layout of a guest
 * @regions: the RAM regions, sorted by address and not overlapping;
 *	regions may be adjacent, and the gaps between them are holes
 * @nr: number of regions
 */
struct mpt_conf_layout {
	const struct mpt_conf_region *regions;
	unsigned int nr;
};

/**
 * struct mpt_conf_target - what a backend provides to be tested
 * @name: short name for the report ("sim", "kvm-user", "xen")
 *
 * @setup: Mandatory.  Register the backend with the core and return it in
 *	*@be, the backend's own ops table in *@ops (the table it registered;
 *	the suite calls ops through it and checks its ABI fields) and the
 *	target's private context in *@ctx.  Called once, before any case.
 *	Result: 0, or a negative errno (the suite then bails out).
 * @teardown: Mandatory.  Unregister the backend and free the context.
 *	Called once after the last case, when every instance has been
 *	destroyed.  Result: 0, or the negative errno unregistering failed
 *	with.
 *
 * @guest_create: Mandatory.  Make a guest whose RAM is exactly @layout:
 *	every region is guest RAM and nothing else is.
 *	Result: the backend's description of the guest, as mpt_vdev_attach()
 *	takes it, or NULL if the target cannot make such a guest.
 * @guest_destroy: Mandatory.  Free a guest that has no instance attached.
 *
 * @guest_read: Mandatory.  Read guest RAM as the guest's CPU sees it,
 *	independently of the backend's read_gpa op.
 *	Result: 0, or -EFAULT if any byte is not guest RAM.
 * @guest_write: Optional.  A store by the guest's CPU: it goes through
 *	write-tracking, so before the call returns every byte stored to a
 *	page an instance tracks has been delivered to that instance's
 *	mpt_page_track_write() exactly once, in order, in pieces that never
 *	cross a page (how many pieces: @track_piece_max); bytes stored to
 *	untracked pages are not delivered.  Guest RAM holds the bytes
 *	afterwards; whether it already does during a delivery is the
 *	backend's business.  NULL when the target cannot make the guest
 *	store; the cases about tracked stores are then skipped.
 *	Result: 0, or -EFAULT if any byte is not guest RAM.
 * @track_piece_max: How @guest_write's stores reach the handlers.  0: each
 *	page's part of a store is one delivery (a target that emulates the
 *	whole store at once, as the sim does); the cases check exactly that.
 *	N: the guest's CPU makes the store as accesses of at most N bytes and
 *	the backend delivers each as it comes (KVM exits once per access
 *	fragment, at most 8 bytes: a rep movsb is one delivery per byte); the
 *	cases then accept any number of pieces of at most N bytes.
 * @guest_mmio: Optional.  An MMIO (@space MPT_SPACE_MMIO) or port I/O
 *	(MPT_SPACE_PIO) access of @len bytes (1 to 8) by the guest's CPU at
 *	@addr, routed by the backend through the areas instances claimed with
 *	claim_trap_area.  NULL when the backend does not route guest accesses
 *	(with VFIO the VMM does); the routing checks are then skipped.
 *	Result: the dispatch result, or a negative errno when nobody claimed
 *	@addr.
 *
 * @msi_count: Optional, with @msi_get.  How many MSIs the guest has
 *	received so far.  NULL when the target cannot observe them; the cases
 *	then only check that injection succeeds.
 * @msi_get: Optional, with @msi_count.  The address and data of MSI @i
 *	(0 is the first the guest received).  Result: 0, or -ENOENT.
 *
 * @host_frames: Optional.  Host frames the suite may pass through into a
 *	guest with map_frames (memory the target owns, never RAM of the
 *	host kernel).  Sets *@pfn to the first and *@nr to their number.
 *	NULL: map_frames is not exercised beyond -EOPNOTSUPP.
 *	Result: 0, or a negative errno.
 * @violations: Optional.  How many breaches of the ops contract by the
 *	core the target saw on @guest (a backend that checks its callers, as
 *	the sim does).  The suite expects it to stay 0.
 *
 * Every callback gets the @ctx that @setup returned.  Callbacks that take
 * a guest get one @guest_create returned.
 */
struct mpt_conf_target {
	const char *name;

	int (*setup)(void **ctx, struct mpt_backend **be,
		     const struct mpt_backend_ops **ops);
	int (*teardown)(void *ctx);

	void *(*guest_create)(void *ctx, const struct mpt_conf_layout *layout);
	void (*guest_destroy)(void *ctx, void *guest);

	int (*guest_read)(void *ctx, void *guest, u64 gpa, void *buf,
			  size_t len);
	int (*guest_write)(void *ctx, void *guest, u64 gpa, const void *data,
			   size_t len);
	unsigned int track_piece_max;
	int (*guest_mmio)(void *ctx, void *guest, enum mpt_space space,
			  u64 addr, void *data, unsigned int len,
			  bool is_write);

	unsigned int (*msi_count)(void *ctx, void *guest);
	int (*msi_get)(void *ctx, void *guest, unsigned int i, u64 *addr,
		       u32 *data);

	int (*host_frames)(void *ctx, u64 *pfn, u64 *nr);
	unsigned int (*violations)(void *ctx, void *guest);
};

/**
 * mpt_conf_main() - run the suite over a target
 * @target: the target
 * @argc: the program's argument count
 * @argv: the program's arguments: none for TAP output (for prove),
 *	"--report" for a human-readable report, "--only SUBSTRING" to run
 *	only the cases whose name contains SUBSTRING (and the teardown)
 *
 * Context: process context, single-threaded.
 * Return: the program's exit status: 0 when every case passed, 1 when one
 * failed, 2 when the suite could not run.
 */
int mpt_conf_main(const struct mpt_conf_target *target, int argc,
		  char **argv);

/* ---- For the cases ------------------------------------------------------ */

/**
 * struct mpt_conf - the run state every case gets
 * @target: the target under test
 * @ctx: the target's context
 * @be: the backend the target registered
 * @ops: the backend's ops table
 * @layout: the guest layout (the CONF_R* constants)
 */
struct mpt_conf {
	const struct mpt_conf_target *target;
	void *ctx;
	struct mpt_backend *be;
	const struct mpt_backend_ops *ops;
	const struct mpt_conf_layout *layout;
};

/**
 * struct mpt_conf_case - one conformance case
 * @name: what it checks, one line
 * @run: the case; it reports its checks with ok() and is_int()
 */
struct mpt_conf_case {
	const char *name;
	void (*run)(struct mpt_conf *c);
};

/* The case tables, by topic, each ending with an entry without a name. */
extern const struct mpt_conf_case mpt_conf_cases_lifecycle[];
extern const struct mpt_conf_case mpt_conf_cases_memory[];
extern const struct mpt_conf_case mpt_conf_cases_irq[];
extern const struct mpt_conf_case mpt_conf_cases_track[];
extern const struct mpt_conf_case mpt_conf_cases_frames[];
extern const struct mpt_conf_case mpt_conf_cases_trap[];

/**
 * struct conf_access - one access the device's BAR handler saw
 * @offset: offset in the BAR
 * @len: length in bytes
 * @is_write: direction
 * @data: the bytes written or returned
 */
struct conf_access {
	u64 offset;
	unsigned int len;
	bool is_write;
	u8 data[8];
};

/**
 * struct conf_dev - an instance of the suite's device type
 * @vdev: the core's part
 * @accesses: BAR accesses the handler saw
 * @last: the latest of them
 *
 * The handler covers the whole BAR, accepts any size, and answers reads
 * with conf_bar_byte() of each byte's offset.
 */
struct conf_dev {
	struct mpt_vdev vdev;
	unsigned int accesses;
	struct conf_access last;
};

static inline struct conf_dev *to_conf_dev(struct mpt_vdev *vdev)
{
	return (struct conf_dev *)vdev;
}

/* The value the device returns for the BAR byte at @offset. */
static inline u8 conf_bar_byte(u64 offset)
{
	return (u8)(offset * 7 + 0x5a);
}

#define CONF_MAX_VDEVS 3

/**
 * struct conf_world - a guest and instances of the device attached to it
 * @c: the run state
 * @guest: the target's guest
 * @v: the instances (NULL once a case destroyed one itself)
 * @nr: number of instances made
 * @breaches: contract breaches of the target already reported
 */
struct conf_world {
	struct mpt_conf *c;
	void *guest;
	struct mpt_vdev *v[CONF_MAX_VDEVS];
	unsigned int nr;
	unsigned int breaches;
};

/**
 * conf_world_init() - make a guest with the suite's layout and instances
 * @c: the run state
 * @w: filled in
 * @nr: number of instances, 0 to CONF_MAX_VDEVS
 * @state: MPT_VDEV_CREATED, MPT_VDEV_ATTACHED or MPT_VDEV_ACTIVE
 *
 * Reports a failed check when something cannot be made, and then cleans up.
 *
 * Return: 0, or -1 when the case cannot go on.
 */
int conf_world_init(struct mpt_conf *c, struct conf_world *w, unsigned int nr,
		    enum mpt_vdev_state state);

/**
 * conf_world_fini() - destroy the instances and the guest
 * @w: the world
 *
 * Checks that the target saw no contract breach (if it can tell).
 */
void conf_world_fini(struct conf_world *w);

/**
 * conf_check_breaches() - check that the target saw no new contract breach
 * @w: the world
 * @what: what the check is about
 *
 * Does nothing without the target's violations callback.
 */
void conf_check_breaches(struct conf_world *w, const char *what);

/**
 * conf_handle() - the backend's handle of an attached instance
 * @w: the world
 * @i: the instance
 *
 * Return: mpt_vdev_backend_handle() of instance @i.
 */
void *conf_handle(struct conf_world *w, unsigned int i);

/* The target's callbacks with the context and guest filled in. */
int conf_guest_read(struct conf_world *w, u64 gpa, void *buf, size_t len);
int conf_guest_write(struct conf_world *w, u64 gpa, const void *data,
		     size_t len);
int conf_guest_mmio(struct conf_world *w, enum mpt_space space, u64 addr,
		    void *data, unsigned int len, bool is_write);

/**
 * conf_skip() - report a check that does not apply to this backend
 * @what: the check
 * @fmt: why, printf-style
 *
 * Emits a passing check with a TAP SKIP directive; the report lists it.
 */
void conf_skip(const char *what, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/**
 * conf_note() - a remark the report shows even for passing cases
 * @fmt: printf-style
 */
void conf_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/**
 * conf_fill() - fill a buffer with a pattern that depends on a seed
 * @buf: the buffer
 * @len: its length
 * @seed: different seeds give different patterns; no byte is zero
 */
void conf_fill(void *buf, size_t len, unsigned int seed);

/* Configuration-space accessors; a failing access is a failed check. */
u32 conf_cfg_read(struct mpt_vdev *vdev, unsigned int off, unsigned int len);
void conf_cfg_write(struct mpt_vdev *vdev, unsigned int off, unsigned int len,
		    u32 val);

/**
 * conf_bar_decode() - let the guest place BAR0 and enable memory decoding
 * @vdev: an attached instance
 * @addr: the BAR's guest address, or 0 to disable memory decoding
 */
void conf_bar_decode(struct mpt_vdev *vdev, u64 addr);

/**
 * conf_msi_cap() - find the MSI capability in configuration space
 * @vdev: an attached instance
 *
 * Return: its offset, or 0 (a failed check is reported).
 */
unsigned int conf_msi_cap(struct mpt_vdev *vdev);

#endif /* MPT_CONFORMANCE_H */
