// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * Names of error codes.
 */
#include "rt/err.h"

const char *err_name(int err)
{
	switch (err < 0 ? -err : err) {
	case 0:
		return "ok";
	case ENODEV:
		return "ENODEV";
	case ENOMEM:
		return "ENOMEM";
	case EINVAL:
		return "EINVAL";
	case ENOSPC:
		return "ENOSPC";
	case EIO:
		return "EIO";
	case EPROTO:
		return "EPROTO";
	case ETIMEDOUT:
		return "ETIMEDOUT";
	default:
		return "E?";
	}
}
