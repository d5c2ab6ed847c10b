# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
#
# The agent of mpt_conf_kvmgt.ko (tests/kernel/conf_kvmgt_agent.c): a
# static program of the kernel tier that makes the KVM guests the backend
# conformance suite runs on over the in-kernel "kvmgt" backend, and plays
# their CPUs (guest/tests/conf_kvmgt.sh runs it).  Built by
# scripts/kernel-tier/run.sh with the tier's other programs (make
# tier-programs, mk/kernel-tier.mk).  Its own default for TIER_BIN (the
# same as mk/kernel-tier.mk's), because the rule's target is expanded when
# this fragment is read, which may be first.

TIER_BIN ?= $(O)/kernel-tier/bin
TIER_PROGRAMS += conf_kvmgt_agent

$(TIER_BIN)/conf_kvmgt_agent: tests/kernel/conf_kvmgt_agent.c \
		tests/kernel/conf_kvmgt_uapi.h tests/conformance/conformance.h
	@mkdir -p $(@D)
	$(CC) $(TIER_STATIC_CFLAGS) -pthread -Iinclude -Itests/conformance \
		-Itests/kernel -o $@ $<
