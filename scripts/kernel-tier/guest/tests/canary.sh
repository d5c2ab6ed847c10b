#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
# The tier's self-test (run.sh --canary): load a module that raises a
# kernel WARNING.  The load itself succeeds; kernel_log and the host's
# console check must then fail the run.
. /tier/lib.sh
plan 1
modprobe canary
result $? "modprobe canary"
rmmod canary
finish
