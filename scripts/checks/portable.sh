#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
# The core builds for the kernel and for userspace from the same files:
# it must name no hypervisor and no host.  Host needs go through the port
# layer (os/*/mpt_os.h), never through #ifdefs in core/.
cd "$(dirname "$0")/../.."
n=0
fail=0
check() { # name, offending lines
	n=$((n + 1))
	if [ -z "$2" ]; then
		echo "ok $n - $1"
	else
		echo "not ok $n - $1"
		echo "$2" | sed 's/^/#   /'
		fail=1
	fi
}
check "core/ has no host conditionals (__KERNEL__, CONFIG_*, __linux__)" \
	"$(grep -nE '^\s*#\s*(if|ifdef|ifndef|elif).*(__KERNEL__|CONFIG_|__linux__)' core/*.c core/*.h)"
check "core/ includes no host headers" \
	"$(grep -nE '^\s*#\s*include\s*<(linux|asm|sys|pthread|stdio|stdlib|string|unistd)' core/*.c core/*.h)"
check "core/ names no hypervisor" \
	"$(grep -niwE 'kvm|xen|acrn|qnx|vfio' core/*.c core/*.h | grep -vE '^\S+:[0-9]+:\s*(/?\*|//)')"
check "core/ calls no allocator or lock directly" \
	"$(grep -nE '\b(malloc|calloc|free|kmalloc|kfree|pthread_[a-z_]+|spin_lock|mutex_lock)\(' core/*.c)"
echo "1..$n"
exit $fail
