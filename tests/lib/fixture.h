/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * A ready-made world for tests: the sim backend, a guest with a RAM hole,
 * and "tdev", a small device type using every part of the core.
 *
 * Guest layout: RAM [0, 16 MiB), hole, RAM [32 MiB, 48 MiB).
 * tdev: BAR0 32-bit memory 64 KiB, BAR2 64-bit memory 1 MiB holding the
 * MSI-X table (offset 0) and PBA (offset 0x1000), BAR4 port I/O 32 bytes;
 * 4 MSI vectors, 16 MSI-X vectors.
 * tdev traps in BAR0:
 *	[0x0000, 0x1000)  regs[], 4-byte aligned accesses only
 *	[0x1000, 0x1010)  regs2[], 4 bytes, split larger accesses
 *	[0x2000, 0x2100)  bytes[], any size
 *	[0x8000, 0x9000)  the paravirtual info page
 * tdev traps in BAR4: [0, 32) pio[], any size.
 */
#ifndef MPT_TEST_FIXTURE_H
#define MPT_TEST_FIXTURE_H

#include <mpt/mpt.h>
#include <mpt/sim.h>

#define FX_RAM0_SIZE (16ULL << 20)
#define FX_RAM1_GPA (32ULL << 20)
#define FX_RAM1_SIZE (16ULL << 20)
#define FX_HOLE_GPA FX_RAM0_SIZE

#define TDEV_PVINFO_OFF 0x8000
#define TDEV_NR_REGS 1024

struct tdev {
	struct mpt_vdev vdev;
	unsigned int regs[TDEV_NR_REGS];
	unsigned int regs2[4];
	unsigned char bytes[0x100];
	unsigned char pio[32];
	/* what the callbacks saw */
	int inits, releases, activates, deactivates, resets;
	int traps;
	unsigned int last_len;
	unsigned long long last_offset;
	int notifies;
	unsigned int last_msg;
	unsigned int last_payload0;
	int fail_activate; /* activate returns this */
	int fail_init; /* init returns this */
};

static inline struct tdev *to_tdev(struct mpt_vdev *vdev)
{
	return (struct tdev *)vdev;
}

extern const struct mpt_vdev_type tdev_type;
extern const struct mpt_pci_desc tdev_pci;

struct fx {
	struct mpt_backend *be;
	struct mpt_sim_guest *g;
	struct mpt_vdev *vdev;
	struct tdev *td;
};

/*
 * Register the sim backend and tdev, create a guest and one instance, and
 * bring it to @state (MPT_VDEV_CREATED, ATTACHED or ACTIVE).  Returns 0.
 */
int fx_setup(struct fx *fx, enum mpt_vdev_state state);
/* Destroy everything; reports a TAP failure on sim contract violations. */
void fx_teardown(struct fx *fx);

/* Enable memory and I/O decoding with BARs at fixed addresses. */
#define FX_BAR0_GPA 0xe0000000ULL
#define FX_BAR2_GPA 0xe1000000ULL
#define FX_BAR4_PORT 0xc000
void fx_enable_bars(struct fx *fx);

/* Config-space accessors that fail the test on an error return. */
unsigned int fx_cfg_read(struct fx *fx, unsigned int off, unsigned int len);
void fx_cfg_write(struct fx *fx, unsigned int off, unsigned int len,
		  unsigned int val);

/* Capture mpt's log; fx_log_has() finds a substring since the capture. */
void fx_log_capture(void);
int fx_log_has(const char *needle);
void fx_log_release(void);

#endif /* MPT_TEST_FIXTURE_H */
