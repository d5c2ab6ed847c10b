// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * Number options (--mem, --timeout, --domid, ...), checked whole: shared by
 * mptrun and mpt-xen so that both refuse the same malformed values.
 */
#include <errno.h>
#include <stdlib.h>

#include "mptrun.h"

bool mptrun_parse_uint(const char *s, u64 min, u64 max, u64 *out)
{
	char *end;
	unsigned long long v;

	if (!s || !*s || *s == '-')
		return false;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return false;
	*out = v;
	return true;
}
