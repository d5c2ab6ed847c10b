/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * mpt: mediated pass-through.  Include this from device models and backends.
 */
#ifndef MPT_MPT_H
#define MPT_MPT_H

#include <mpt/types.h>
#include <mpt/pci.h>
#include <mpt/pvinfo.h>
#include <mpt/golden.h>
#include <mpt/range_map.h>
#include <mpt/backend.h>
#include <mpt/vdev.h>
#include <mpt/log.h>

#endif /* MPT_MPT_H */
