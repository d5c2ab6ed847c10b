#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
# The demo draws its picture through an mgpu served by mpt-xen; the PNG
# of the display (--snapshot, mptrun's writer) must equal, byte for byte
# and so pixel for pixel, the one mptrun made of the same guest on the
# host's KVM (XTIER_DEMO_SHA256, computed by scripts/xen-tier/run.sh).
. /tier/lib.sh
. /tier/xen.sh
xen_pin
plan 4
xen_have mpt-xen demo.elf
# Two vCPUs: the model binds an event channel per vCPU (only vCPU 0
# runs: the demo starts no other).
xen_guest demo 2 '"mgpu"'
xen_create demo --snapshot /tmp/demo.png
result $? "mpt-xen create ran the demo (status $status, 0 expected)"
grep -q "^demo: 640x480 .* matches the CPU reference" /tmp/demo.out
result $? "the guest says its frame matches the CPU reference"
diag "$(grep '^demo:' /tmp/demo.out)"
sum=$(sha256sum /tmp/demo.png 2> /dev/null | cut -d' ' -f1)
ihdr=$(od -An -tx1 -j12 -N12 /tmp/demo.png 2> /dev/null | tr -d ' \n')
[ "$ihdr" = "49484452000002800000""01e0" ]
result $? "the snapshot is a 640x480 PNG (sha256 $sum)"
if [ -z "$XTIER_DEMO_SHA256" ]; then
	skip "its pixels equal the KVM path's" "no KVM reference: the host has no usable /dev/kvm"
else
	[ "$sum" = "$XTIER_DEMO_SHA256" ]
	result $? "its pixels equal the KVM path's (mptrun sha256 $XTIER_DEMO_SHA256)"
	# The PNG for the host to look at, when they differ.
	[ "$sum" = "$XTIER_DEMO_SHA256" ] ||
		base64 /tmp/demo.png | sed 's/^/# png64 /'
fi
finish
