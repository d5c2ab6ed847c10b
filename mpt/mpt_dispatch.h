/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * How the core calls its backend: the one place that decides.
 *
 * mpt_bk(inst, op) names the function implementing @op for instance @inst:
 *
 * - MPT_DISPATCH_DIRECT (a build with one backend): the backend's function
 *   itself, mpt_<backend>_<op>, so every call is a direct call that the
 *   compiler may even inline across a link-time-optimised build.
 *   mpt_backend_register() checks that the registered table holds exactly
 *   these functions, so the table and the direct calls cannot disagree.
 * - otherwise: the function in the instance's resolved ops table, one
 *   indirect call.
 *
 * The kernel build adds a third mode here, static_call, without touching
 * the core: the core only ever writes mpt_bk_call().
 */
#ifndef MPT_DISPATCH_H
#define MPT_DISPATCH_H

#include <mpt/backend.h>
#include "mpt_ops_list.h"

/* The core's defaults for absent optional ops (mpt/defaults.c). */
#define MPT_DECLARE_DEFAULT(op) \
	extern __typeof__(*((struct mpt_backend_ops *)0)->op) mpt_default_##op;
MPT_OPS_OPTIONAL(MPT_DECLARE_DEFAULT)

#ifdef MPT_DISPATCH_DIRECT
#ifndef MPT_STATIC_BACKEND
#error "MPT_DISPATCH_DIRECT needs MPT_STATIC_BACKEND (the backend's name)"
#endif
#define __MPT_BOUND(backend, op) mpt_##backend##_##op
#define _MPT_BOUND(backend, op) __MPT_BOUND(backend, op)
#define MPT_BOUND(op) _MPT_BOUND(MPT_STATIC_BACKEND, op)

/*
 * The backend's bind header may map optional ops it lacks to the defaults,
 * e.g. "#define mpt_kvm_map_frames mpt_default_map_frames".
 */
#ifdef MPT_STATIC_BACKEND_BIND
#include MPT_STATIC_BACKEND_BIND
#endif

#define MPT_DECLARE_BOUND(op) \
	extern __typeof__(*((struct mpt_backend_ops *)0)->op) MPT_BOUND(op);
MPT_OPS_MANDATORY(MPT_DECLARE_BOUND)
MPT_OPS_OPTIONAL(MPT_DECLARE_BOUND)

#define mpt_bk(inst, op) MPT_BOUND(op)
#else
#define mpt_bk(inst, op) ((inst)->ops->op)
#endif

/* Call @op of @inst's backend with the instance's handle first. */
#define mpt_bk_call(inst, op, ...) mpt_bk(inst, op)((inst)->handle, __VA_ARGS__)

#endif /* MPT_DISPATCH_H */
