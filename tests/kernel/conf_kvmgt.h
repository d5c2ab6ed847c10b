/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * mpt_conf_kvmgt.ko inside: what the conformance target "kvmgt"
 * (tests/conformance/target_kvmgt.c) gets from the module's agent channel
 * (tests/kernel/conf_kvmgt_main.c).
 */
#ifndef MPT_CONF_KVMGT_H
#define MPT_CONF_KVMGT_H

#include <linux/types.h>

#include "conf_kvmgt_uapi.h"

struct vfio_device;

/**
 * struct conf_kvmgt_guests - the guests the agent made for this run
 * @nr: how many
 * @dev: each one's mpt_mdev VFIO device, open and linked to its KVM VM,
 *	referenced (mpt_kvmgt_get_device()) for the whole run
 * @nr_regions: regions of their RAM layout
 * @regions: the layout, as the agent mapped it (memslots and MAP_DMA)
 */
struct conf_kvmgt_guests {
	unsigned int nr;
	struct vfio_device *dev[CONF_KVMGT_MAX_GUESTS];
	unsigned int nr_regions;
	struct conf_kvmgt_region regions[CONF_KVMGT_MAX_REGIONS];
};

/**
 * conf_kvmgt_guests() - the guests of the running suite
 *
 * Context: the suite's thread, while it runs.
 * Return: the guests; valid until the suite returns.
 */
const struct conf_kvmgt_guests *conf_kvmgt_guests(void);

/**
 * conf_kvmgt_request() - have the agent do something to a guest
 * @op: enum conf_kvmgt_op
 * @guest: index into conf_kvmgt_guests()->dev
 * @gpa: guest-physical address (READ, WRITE)
 * @buf: the bytes to store (WRITE) or the room for those loaded (READ)
 * @len: their number, at most CONF_KVMGT_CHUNK
 *
 * Waits for the agent's answer, at most the module's timeout_s seconds
 * (default CONF_KVMGT_TIMEOUT_S); after one timeout every later request
 * fails at once.
 *
 * Context: the suite's thread; sleeps.
 * Return: the agent's result (0, -EFAULT for a range that is not all
 * guest RAM, ...), -ETIMEDOUT when it did not answer in time, -EIO when
 * it is gone or answered wrongly.
 */
int conf_kvmgt_request(unsigned int op, unsigned int guest, u64 gpa,
		       void *buf, size_t len);

/* The conformance program of target_kvmgt.c, main() renamed. */
int kt_main_target_kvmgt(int argc, char **argv);

#endif /* MPT_CONF_KVMGT_H */
