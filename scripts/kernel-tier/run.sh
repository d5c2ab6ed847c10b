#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
# The kernel tier: build mpt's kernel modules, boot Debian's kernel under
# QEMU (TCG) with an initramfs holding them, run the guest tests, and print
# TAP for prove.  make check-kernel runs it; so does make check, through
# tests/kernel/kernel-tier.t.  Documentation/kernel-tier.rst says more.
#
#   run.sh [--out DIR] [--tests "T..."] [--canary] [--timeout SECONDS]
#
# --out        where everything goes (default $O/kernel-tier, O=build)
# --tests      guest tests to run, in order (scripts/kernel-tier/guest/tests)
# --canary     the self-test: instead of mpt's modules (make modules, every
#              *.ko under $O/kernel), only scripts/kernel-tier/canary, a
#              module that raises a WARNING and writes into a slab red
#              zone: the run must fail
# --timeout    QEMU's time limit (default 900 s, KTIER_TIMEOUT)
#
# KTIER_CYCLES (100), KTIER_LOAD_MS (2000) and KTIER_TEST_TIMEOUT (240) go
# to the guest; KTIER_APPEND is added to the kernel's command line;
# KTIER_SMP is the number of vCPUs (2).  Exit status 0 when every check
# passed.
cd "$(dirname "$0")/../.." || exit 1
here=scripts/kernel-tier
O=${O:-build}
out=$O/kernel-tier
tests="load_orders unload_busy cycles mpt_test mgpu_test mdev mdev_orders mdev_guests conf_kvmgt kernel_log"
canary=0
timeout=${KTIER_TIMEOUT:-900}
while [ $# -gt 0 ]; do
	case $1 in
	--out) out=$2; shift ;;
	--tests) tests=$2; shift ;;
	--canary) canary=1; tests="canary kernel_log" ;;
	--timeout) timeout=$2; shift ;;
	*) echo "run.sh: unknown option $1" >&2; exit 2 ;;
	esac
	shift
done
mkdir -p "$out"
out=$(cd "$out" && pwd)
log=$out/build.log
: > "$log"
export KTIER_CYCLES=${KTIER_CYCLES:-100}
export KTIER_LOAD_MS=${KTIER_LOAD_MS:-2000}
export KTIER_TEST_TIMEOUT=${KTIER_TEST_TIMEOUT:-240}

tier="kernel tier"
. $here/host.inc
now() { date +%s; }
t_start=$(now)
timing=
step() { # name, since
	timing="$timing $1 $(($(now) - $2))s"
}

# (a) The packages; SKIP only when QEMU or a kernel cannot be had at all.
t=$(now)
pkgs="linux-image-amd64 linux-headers-amd64 qemu-system-x86 busybox-static cpio kmod"
if ! scripts/deps.sh $pkgs >> "$log" 2>&1; then
	if ! command -v qemu-system-x86_64 > /dev/null ||
		! ls /boot/vmlinuz-* > /dev/null 2>&1; then
		echo "1..0 # SKIP cannot install QEMU and a kernel ($pkgs): $(tail -n 1 "$log")"
		exit 0
	fi
	echo "# installing $pkgs failed; using what is there" >&2
fi
step deps "$t"

# (b) The kernel.  When the image and the headers installed are of two
# versions (the metapackages moved on between two installs), install the
# other half of the newest.
kver=$($here/kver.sh 2>> "$log")
if [ -z "$kver" ]; then
	for v in $(ls /boot/vmlinuz-* 2> /dev/null | sed 's|^/boot/vmlinuz-||' | sort -rV | head -n 1); do
		scripts/deps.sh "linux-headers-$v" >> "$log" 2>&1
	done
	for v in $(ls -d /lib/modules/*/build 2> /dev/null | cut -d/ -f4 | sort -rV | head -n 1); do
		scripts/deps.sh "linux-image-$v" >> "$log" 2>&1
	done
	kver=$($here/kver.sh 2>> "$log") ||
		bail "find a kernel with image, modules and headers"
fi
echo "# kernel $kver: /boot/vmlinuz-$kver, /lib/modules/$kver/build"

# (c) The modules.
t=$(now)
if [ $canary = 0 ]; then
	echo "# modules: make modules ($O/kernel)"
	make -s modules KVER="$kver" >> "$log" 2>&1 || bail "make modules"
	kos=$(find "$O/kernel" -name '*.ko' 2> /dev/null | sort)
	# The test modules must be there when their build is: a test of
	# the tier that skips for want of them would pass unnoticed.
	need="mpt mpt_sim"
	[ -f tests/kernel/test.kbuild ] && need="$need mpt_test mpt_testdev"
	[ -f samples/mgpu/mgpu.kbuild ] && need="$need mgpu"
	[ -f samples/mgpu/mgpu.kbuild ] && [ -f tests/kernel/mgpu_test.kbuild ] &&
		need="$need mgpu_test"
	# The guest's programs (the VFIO client of guest/tests/mdev.sh, ...),
	# static: the guest has no C library.  The mk/*.mk fragments name
	# them in TIER_PROGRAMS; initramfs.sh copies $out/bin.
	rm -rf "$out/bin"
	mkdir -p "$out/bin"
	make -s tier-programs TIER_BIN="$out/bin" >> "$log" 2>&1 ||
		bail "build the guest's static programs (make tier-programs)"
else
	echo "# modules: the canary only ($here/canary)"
	cdir=$out/canary-src
	rm -rf "$cdir"
	mkdir -p "$cdir"
	cp $here/canary/canary.c $here/canary/Kbuild "$cdir/"
	make -C "/lib/modules/$kver/build" M="$cdir" modules >> "$log" 2>&1 ||
		bail "build the canary module"
	kos=$cdir/canary.ko
	need=canary
fi
bad=
names=
for ko in $kos; do
	m=$(basename "$ko" .ko)
	case " $names " in *" $m "*) bad="$bad $m(twice)" ;; esac
	names="$names $m"
	v=$(modinfo -F vermagic "$ko" | cut -d' ' -f1)
	[ "$v" = "$kver" ] || bad="$bad $m(built for $v)"
done
for m in $need; do
	case " $names " in *" $m "*) ;; *) bad="$bad $m(missing)" ;; esac
done
[ -z "$bad" ] || { echo "modules:$bad" >> "$log"; bail "build the modules for $kver"; }
ok 0 "modules built for $kver:$names"
step modules "$t"

# (d) The initramfs.
t=$(now)
$here/initramfs.sh "$out" "$kver" "$tests" $kos >> "$log" 2>&1 ||
	bail "build the initramfs"
nko=$(find "$out/root/lib/modules" -name '*.ko' | wc -l)
ok 0 "initramfs: busybox, $nko modules, tests: $tests"
step initramfs "$t"

# (e) Boot.  The console (ttyS0) and the KTAP (ttyS1) go to files.  The
# kernel keeps its whole log (log_buf_len) and checks the slab allocator:
# red zones, poisoning and sanity checks on every cache (slub_debug=FZP)
# and poisoned free pages, so that our modules' memory corruption is
# reported ("BUG <cache> (...): Redzone overwritten") rather than silent.
append="slub_debug=FZP page_poison=1${KTIER_APPEND:+ $KTIER_APPEND}"
# Two vCPUs (multi-threaded TCG, one host thread each): the in-kernel
# tests' threads and the module code really run in parallel.
smp=${KTIER_SMP:-2}
t=$(now)
rm -f "$out/console.log" "$out/ktap.log"
cat > "$out/qemu.sh" <<EOF
#!/bin/sh
# The kernel tier's QEMU command line, for running it again by hand.
exec qemu-system-x86_64 -accel tcg,thread=multi -cpu max -smp $smp -m 512 \\
	-nodefaults -no-user-config -display none -monitor none -no-reboot \\
	-kernel /boot/vmlinuz-$kver -initrd $out/initramfs.cpio.gz \\
	-append "console=ttyS0 quiet panic=-1 log_buf_len=8M $append" \\
	-serial file:$out/console.log -serial file:$out/ktap.log
EOF
chmod +x "$out/qemu.sh"
timeout -k 5 "$timeout" "$out/qemu.sh" >> "$log" 2>&1
st=$?
step boot "$t"
echo "# console: $out/console.log"
echo "# KTAP:    $out/ktap.log"
echo "# again by hand: $out/qemu.sh"

# (f) The verdict.
set -- $tests
python3 $here/ktap2tap.py --ktap "$out/ktap.log" --console "$out/console.log" \
	--status $st --timeout "$timeout" --tests $# --start $n
verdict=$?
step total "$t_start"
echo "# timing:$timing"
exit $verdict
