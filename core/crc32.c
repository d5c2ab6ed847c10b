// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * CRC-32 (IEEE 802.3, reflected, polynomial 0xedb88320) for golden-state
 * blobs.  Bitwise: it runs once per blob load, so a table is not worth it.
 */
#include "mpt_core.h"

u32 mpt_crc32(u32 crc, const void *buf, size_t len)
{
	const u8 *p = buf;
	int k;

	crc = ~crc;
	while (len--) {
		crc ^= *p++;
		for (k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xedb88320U & (0U - (crc & 1)));
	}
	return ~crc;
}
MPT_EXPORT(mpt_crc32);
