#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
# dkms.conf works: dkms add, build, install and remove of mpt for the
# installed Debian kernel, against its headers.  Everything happens in a
# private DKMS tree under $O/kernel-tier/dkms (--dkmstree, --sourcetree,
# --installtree, --no-depmod, and a signing key of its own): nothing is
# registered with the host's DKMS, nothing lands in /lib/modules, and the
# tree is removed at the end.  Installs dkms when missing.
cd "$(dirname "$0")/../.." || exit 1
O=${O:-build}
top=$(pwd)
t=$top/$O/kernel-tier/dkms
log=$t.log
rm -rf "$t"
mkdir -p "$t"
: > "$log"
n=0
fail=0
ok() { # status, description
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok $n - $2"; else
		echo "not ok $n - $2"
		fail=1
		tail -n 15 "$log" | sed 's/^/#   /'
	fi
}
done_() {
	rm -rf "$t"
	echo "1..$n"
	exit $fail
}

if ! scripts/deps.sh dkms linux-headers-amd64 >> "$log" 2>&1 &&
	! command -v dkms > /dev/null; then
	echo "1..0 # SKIP dkms cannot be installed: $(tail -n 1 "$log")"
	exit 0
fi
kver=$(scripts/kernel-tier/kver.sh 2>> "$log") ||
	kver=$(ls -d /lib/modules/*/build 2> /dev/null | cut -d/ -f4 | sort -V | tail -n 1)
ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' dkms.conf)
[ -n "$ver" ] && [ "$ver" = "$(sed -n 's/^VERSION := //p' Makefile)" ]
ok $? "dkms.conf's PACKAGE_VERSION ($ver) is the Makefile's VERSION"
[ -n "$kver" ] && [ -f "/lib/modules/$kver/build/Makefile" ]
ok $? "headers of kernel ${kver:-(none)} are installed" || done_

# The source tree DKMS gets: the project's files (git's list when this is
# a checkout), not the build output.
src=$t/src/mpt-$ver
mkdir -p "$src"
if git rev-parse --git-dir > /dev/null 2>&1; then
	git ls-files -co --exclude-standard -z | xargs -0 cp --parents -t "$src"
else
	tar -C "$top" --exclude=./build --exclude="./$O" --exclude=./.config \
		-cf - . | tar -C "$src" -xf -
fi
mkdir -p "$t/tree" "$t/install/$kver"
before=$(find "/lib/modules/$kver" -name 'mpt*.ko' 2> /dev/null | sort)
dk() {
	mok_signing_key=$t/mok.key mok_certificate=$t/mok.pub \
		dkms "$@" --dkmstree "$t/tree" --sourcetree "$t/src" \
		--installtree "$t/install" --no-depmod >> "$log" 2>&1
}
state() { dk status -m mpt -v "$ver" -k "$kver"; tail -n 1 "$log"; }

dk add -m mpt -v "$ver"
ok $? "dkms add mpt/$ver"
state | grep -q ': added'
ok $? "dkms status says added"

start=$(date +%s)
dk build -m mpt -v "$ver" -k "$kver"
st=$?
ok $st "dkms build mpt/$ver -k $kver ($(($(date +%s) - start)) s)"
[ $st = 0 ] || cat "$t/tree/mpt/$ver/build/make.log" >> "$log" 2> /dev/null
built=$t/tree/mpt/$ver/$kver/$(uname -m)/module
good=0
for m in mpt mpt_sim; do
	f=$(ls "$built/$m.ko"* 2> /dev/null | head -n 1)
	[ -n "$f" ] && [ "$(modinfo -F vermagic "$f" | cut -d' ' -f1)" = "$kver" ] ||
		good=1
done
ok $good "it built mpt.ko and mpt_sim.ko for $kver"
echo "# signer: $(modinfo -F signer "$built/mpt.ko" 2> /dev/null)"
[ -z "$(ls "$built" 2> /dev/null | grep -E '^mpt_test(dev)?\.ko')" ]
ok $? "and not the test modules"

dk install -m mpt -v "$ver" -k "$kver"
ok $? "dkms install into the private install tree"
dest=$t/install/$kver/updates/dkms
[ -f "$dest/mpt.ko" ] && [ -f "$dest/mpt_sim.ko" ]
ok $? "mpt.ko and mpt_sim.ko are in $O/kernel-tier/dkms/install/$kver/updates/dkms"
# depmod over that tree alone: mpt_sim needs mpt.
mkdir -p "$t/root/lib/modules"
ln -s "$t/install/$kver" "$t/root/lib/modules/$kver"
depmod -b "$t/root" "$kver" >> "$log" 2>&1 &&
	grep -q '^updates/dkms/mpt_sim.ko: updates/dkms/mpt.ko$' \
		"$t/install/$kver/modules.dep"
ok $? "depmod over it: mpt_sim.ko depends on mpt.ko"
state | grep -q ': installed'
ok $? "dkms status says installed"

dk remove -m mpt -v "$ver" --all
ok $? "dkms remove mpt/$ver --all"
[ ! -e "$dest/mpt.ko" ] && [ ! -e "$dest/mpt_sim.ko" ] && [ ! -e "$t/tree/mpt/$ver" ]
ok $? "nothing of it is left in the DKMS tree nor the install tree"
[ "$(find "/lib/modules/$kver" -name 'mpt*.ko' 2> /dev/null | sort)" = "$before" ]
ok $? "the host's /lib/modules/$kver is as it was"
done_
