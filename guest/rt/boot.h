/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * What the boot told the guest.
 */
#ifndef RT_BOOT_H
#define RT_BOOT_H

#include <stdint.h>

struct hvm_start_info;

struct boot_info {
	int on_mptrun; /* EAX held MPTRUN_BOOT_MAGIC (else: Xen or another
			* PVH loader) */
	const struct hvm_start_info *start_info;
};

const struct boot_info *boot_info(void);

#endif /* RT_BOOT_H */
