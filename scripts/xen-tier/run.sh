#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
# The Xen tier: boot Xen under QEMU (TCG) with Debian's kernel as dom0 and
# an initramfs holding the toolstack, mpt's Xen device model and the guest
# images; run the dom0 tests (scripts/xen-tier/dom0/tests) and print TAP
# for prove.  make check-xen runs it; so does make check, through
# tests/xen/xen-tier.t.  Documentation/xen.rst says more.
#
#   run.sh [--out DIR] [--tests "T..."] [--timeout SECONDS]
#
# --out        where everything goes (default $O/xen-tier, O=build)
# --tests      dom0 tests to run, in order
# --timeout    QEMU's time limit (default 2700 s, XTIER_TIMEOUT)
#
# The console (Xen's serial port, with dom0's console on it) and the KTAP
# (dom0's second serial port) are saved under --out.  Exit status 0 when
# every check passed.
cd "$(dirname "$0")/../.." || exit 1
here=scripts/xen-tier
O=${O:-build}
out=$O/xen-tier
tests="xen_up mpt_functional mpt_hostile mpt_demo mpt_errors mpt_bench mpt_conformance kernel_log"
timeout=${XTIER_TIMEOUT:-2700}
while [ $# -gt 0 ]; do
	case $1 in
	--out) out=$2; shift ;;
	--tests) tests=$2; shift ;;
	--timeout) timeout=$2; shift ;;
	*) echo "run.sh: unknown option $1" >&2; exit 2 ;;
	esac
	shift
done
mkdir -p "$out"
out=$(cd "$out" && pwd)
log=$out/build.log
: > "$log"
export KTIER_TEST_TIMEOUT=${KTIER_TEST_TIMEOUT:-1000}

tier="xen tier"
. scripts/kernel-tier/host.inc

# (a) Packages: Xen, its toolstack and headers, the kernel, QEMU.
pkgs="xen-hypervisor-4.17-amd64 xen-utils-4.17 xenstore-utils libxen-dev
	linux-image-amd64 qemu-system-x86 busybox-static cpio kmod"
scripts/deps.sh $pkgs >> "$log" 2>&1 || bail "install $(echo $pkgs)"
xengz=$(ls /boot/xen-*.gz 2> /dev/null | sort -V | tail -n 1)
[ -n "$xengz" ] || bail "find the hypervisor (/boot/xen-*.gz)"
kver=$(ls /boot/vmlinuz-* | sed 's|^/boot/vmlinuz-||' | sort -rV |
	while read -r v; do [ -d "/lib/modules/$v/kernel" ] && echo "$v" && break; done)
[ -n "$kver" ] || bail "find a kernel with its modules"
echo "# Xen $xengz, dom0 kernel $kver"

# (b) What dom0 runs: mpt's Xen programs and the guests (mk/xen.mk).
make -s xen-tier-files XTIER_FILES="$out/files" >> "$log" 2>&1 ||
	bail "build the programs and guests for dom0 (make xen-tier-files)"
files=$(ls "$out/files"/* 2> /dev/null)
ok 0 "dom0 programs and guests built:$(for f in $files; do printf ' %s' "${f##*/}"; done)"

# (b2) The KVM reference for mpt_demo: the same demo guest on the host's
# KVM through mptrun, whose PNG the Xen run must equal (XTIER_DEMO_SHA256
# goes to dom0 through /tier/config).  Without a usable /dev/kvm the
# comparison is skipped, saying why.
case " $tests " in *" mpt_demo "*)
	if ! scripts/kvm-usable.sh >> "$log" 2>&1; then
		echo "# no usable /dev/kvm: mpt_demo cannot compare with mptrun"
	elif make -s mptrun guests >> "$log" 2>&1 &&
	     $O/mptrun --device mgpu --snapshot "$out/demo-kvm.png" \
		$O/guest/demo.elf > "$out/demo-kvm.out" 2>> "$log"; then
		XTIER_DEMO_SHA256=$(sha256sum "$out/demo-kvm.png" | cut -d' ' -f1)
		export XTIER_DEMO_SHA256
		ok 0 "KVM reference frame for mpt_demo: mptrun --snapshot, sha256 $XTIER_DEMO_SHA256"
	else
		bail "run the demo on KVM for mpt_demo's reference (mptrun)"
	fi
esac

# (c) The hypervisor (QEMU's -kernel wants the multiboot ELF) and dom0's
# initramfs.
zcat "$xengz" > "$out/xen.elf" || bail "unpack $xengz"
$here/initramfs.sh "$out" "$kver" "$tests" $files >> "$log" 2>&1 ||
	bail "build dom0's initramfs"
ok 0 "dom0 initramfs: toolstack, Xen modules, tests: $tests"

# (d) Boot.  Xen's console is COM1 (console.log) and carries dom0's
# console (hvc0); dom0 writes its KTAP to COM2 (ktap.log).  What the
# options are for (Documentation/xen.rst, "Running Xen under TCG"):
#   smap=0             dom0 crashes at once under TCG without it;
#   -rdtscp            guests fail on RDTSCP emulation otherwise;
#   -pcid,-invpcid     with them dom0's processes crash at random;
#   spec-ctrl=eager-fpu  the same with Xen's lazy FPU switching;
#   -smp 1             no cross-CPU wakeups to lose, and faster;
# and COM1 is a socket too (QEMU still logs it to console.log), where
# console_keepalive.py types a key Xen ignores every second: Xen under TCG
# sometimes sleeps through its timer interrupt until the next interrupt
# of any kind.  QEMU's monitor is a socket beside it, for debugging.
rm -f "$out/console.log" "$out/ktap.log"
sock=$(mktemp -d /tmp/xtier.XXXXXX) || bail "make a directory for sockets"
trap 'rm -rf "$sock"' EXIT
cat > "$out/qemu.sh" <<EOS
#!/bin/sh
# The Xen tier's QEMU command line, for running it again by hand
# (with scripts/xen-tier/console_keepalive.py $sock/com1).
mkdir -p $sock
exec qemu-system-x86_64 -accel ${XTIER_ACCEL:-tcg,thread=multi} -cpu ${XTIER_CPU:-max,-rdtscp,-pcid,-invpcid} -smp ${XTIER_SMP:-1} -m 2048 \\
	-nodefaults -no-user-config -display none -no-reboot \\
	-monitor unix:$sock/monitor,server=on,wait=off \\
	-kernel $out/xen.elf \\
	-append "console=com1 com1=115200,8n1 dom0_mem=768M,max:768M loglvl=all guest_loglvl=all noreboot smap=0 ${XTIER_XEN_ARGS-spec-ctrl=eager-fpu}" \\
	-initrd "/boot/vmlinuz-$kver console=hvc0 earlyprintk=xen panic=-1 log_buf_len=8M,$out/dom0.cpio.gz" \\
	-chardev socket,id=com1,path=$sock/com1,server=on,wait=off,logfile=$out/console.log \\
	-serial chardev:com1 -serial file:$out/ktap.log
EOS
chmod +x "$out/qemu.sh"
if [ "${XTIER_KEEPALIVE:-1}" = 1 ]; then
	python3 $here/console_keepalive.py "$sock/com1" >> "$log" 2>&1 &
fi
timeout -k 5 "$timeout" "$out/qemu.sh" >> "$log" 2>&1
st=$?
wait
echo "# console: $out/console.log"
echo "# KTAP:    $out/ktap.log"
echo "# again by hand: $out/qemu.sh"

# The benchmark's JSON (mpt_bench), for the host.
sed -n 's/^.*# xbench-json: //p' "$out/ktap.log" 2> /dev/null | tr -d '\r' |
	head -n 1 > "$out/bench.json"
[ -s "$out/bench.json" ] && echo "# benchmark: $out/bench.json: $(cat "$out/bench.json")"
[ -s "$out/bench.json" ] || rm -f "$out/bench.json"

# (e) The verdict, as the kernel tier's, plus Xen's own crash reports.
set -- $tests
python3 scripts/kernel-tier/ktap2tap.py --ktap "$out/ktap.log" \
	--console "$out/console.log" --status $st --timeout "$timeout" \
	--tests $# --start $n --xen
