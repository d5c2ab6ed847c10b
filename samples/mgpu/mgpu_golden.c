// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * Golden state: the power-on register values of an mgpu.
 *
 * As GVT-g starts every vGPU from a snapshot of the real GPU's registers,
 * an mgpu starts from a golden-state blob (mpt/golden.h).  The blob is made
 * at build time by tools/mgpu-golden and compiled in as mgpu_golden_blob.
 * Loading checks the whole blob (the core checks header, checksum and every
 * offset) and then its meaning (identity registers), so that a corrupt or
 * foreign blob fails instance creation instead of producing a half-set
 * device.
 */
#include "mgpu_priv.h"

static const void *golden_blob = mgpu_golden_blob;
static size_t golden_len;
static bool golden_overridden;

/**
 * mgpu_golden_override() - load another blob from now on (for tests)
 * @blob: the blob, or NULL for the built-in one
 * @len: its length
 *
 * Context: process context, with no instance being created.
 */
void mgpu_golden_override(const void *blob, size_t len)
{
	golden_overridden = blob != NULL;
	golden_blob = blob ? blob : mgpu_golden_blob;
	golden_len = len;
}
/* For tests only (mgpu_test.ko), with the generated blob's length. */
MPT_EXPORT(mgpu_golden_override);
MPT_EXPORT(mgpu_golden_blob_len);

/* Beyond what the core checks: the blob describes this device. */
static int golden_check(const u32 *regs)
{
	u32 id = regs[MGPU_REG_ID / 4], version = regs[MGPU_REG_VERSION / 4];

	if (id == MGPU_ID && version == MGPU_VERSION)
		return 0;
	mpt_err("mgpu: golden state is for ID 0x%x version 0x%x, not 0x%x 0x%x",
		id, version, MGPU_ID, MGPU_VERSION);
	return -EINVAL;
}

/**
 * mgpu_golden_init() - give a new instance its power-on registers
 * @mg: the instance being initialised
 *
 * Fills @mg->golden from the blob, and @mg->regs from @mg->golden.  Status
 * bits other than IDLE describe runtime state and are not taken from it.
 *
 * Context: process context (the init op).
 * Return: 0, or the refusal (-EINVAL, -EPROTO, -EBADMSG, -ERANGE).
 */
int mgpu_golden_init(struct mgpu *mg)
{
	size_t len = golden_overridden ? golden_len : mgpu_golden_blob_len;
	int ret;

	ret = mpt_golden_load(golden_blob, len, MGPU_TYPE_NAME, mg->golden,
			      sizeof(mg->golden));
	if (ret < 0) {
		mpt_err("mgpu: golden state refused: %d", ret);
		return ret;
	}
	ret = golden_check(mg->golden);
	if (ret)
		return ret;
	mg->golden[MGPU_REG_STATUS / 4] &= MGPU_STATUS_IDLE;
	memcpy(mg->regs, mg->golden, sizeof(mg->regs));
	return 0;
}
