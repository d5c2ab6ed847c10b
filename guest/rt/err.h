/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * Error codes returned (negated) by the runtime and the driver.
 */
#ifndef RT_ERR_H
#define RT_ERR_H

#define ENODEV 19
#define ENOMEM 12
#define EINVAL 22
#define ENOSPC 28
#define EIO 5
#define EPROTO 71
#define ETIMEDOUT 110

/* A short name for an error code, for messages. */
const char *err_name(int err);

#endif /* RT_ERR_H */
