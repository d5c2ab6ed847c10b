#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
# The backend conformance suite over the KVM backend, on real KVM VMs.
# The program itself says SKIP when /dev/kvm cannot make a VM.
cd "$(dirname "$0")/../.." || exit 1
bin=${O:-build}/tests/conformance/conformance-kvm
if [ ! -x "$bin" ]; then
	echo "1..0 # SKIP $bin not built (make kvm-tests)"
	exit 0
fi
exec "$bin"
