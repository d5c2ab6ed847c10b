#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
# Exit 0 if this machine can run KVM guests: /dev/kvm exists and is
# readable and writable by us.  Prints the reason otherwise.
if [ ! -e /dev/kvm ]; then
	echo "no /dev/kvm (KVM not enabled, or no hardware virtualisation)"
	exit 1
fi
if [ ! -r /dev/kvm ] || [ ! -w /dev/kvm ]; then
	echo "/dev/kvm is not readable and writable by $(id -un)"
	exit 1
fi
exit 0
