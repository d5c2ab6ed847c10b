#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
# mptrun on real KVM with tests/kvm's test guest: options, image checks,
# booting with one and two vCPUs, exit statuses, unhandled accesses, the
# PCI bus with mgpu devices, statistics.  SKIP without a usable /dev/kvm.
cd "$(dirname "$0")/../.." || exit 1
O=${O:-build}
run=$O/mptrun
g=$O/tests/kvm/guests
t=$O/tests/kvm/mptrun.tmp
if [ ! -x "$run" ] || [ ! -f "$g/mini.elf" ]; then
	echo "1..0 # SKIP mptrun or the test guests not built (make kvm-tests)"
	exit 0
fi
mkdir -p "$t"
# A host without a usable KVM: mptrun says so with status 1.
"$run" "$g/exit42.elf" > /dev/null 2> "$t/probe"
if [ $? = 1 ] && grep -q "/dev/kvm\|cannot create the VM" "$t/probe"; then
	echo "1..0 # SKIP no usable KVM: $(head -n 1 "$t/probe")"
	rm -rf "$t"
	exit 0
fi
n=0
fail=0
ok() { # cond-status, name
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok $n - $2"; else
		echo "not ok $n - $2"; fail=1
		[ -s "$t/err" ] && sed 's/^/#   stderr: /' "$t/err" | head -n 5
	fi
}
# mptrun ARGS...: stdout in $t/out, stderr in $t/err, status in $st.
mr() {
	"$run" "$@" > "$t/out" 2> "$t/err"
	st=$?
}
expect() { # status, name
	[ "$st" = "$1" ]
	ok $? "$2 (status $st, want $1)"
}

# Options.
mr; expect 2 "no guest image is a usage error"
grep -q "no guest image" "$t/err"; ok $? "and says so"
for bad in "--mem 0" "--mem 4096" "--mem x" "--vcpus 3" "--vcpus 0" \
	"--timeout -1" "--doorbell-ioeventfd maybe" "--frobnicate" \
	"--device mgpu,foo=1" "--device ,"; do
	mr $bad "$g/mini.elf"; expect 2 "option '$bad' is refused"
	[ ! -s "$t/out" ]; ok $? "'$bad': nothing on stdout"
done
mr --device nosuch "$g/mini.elf"; expect 2 "an unknown device type is refused"
grep -q "unknown device type" "$t/err"; ok $? "and named"
# --vfio (the kernel tier runs real mdevs: mdev_guests.sh).
mr --vfio "" "$g/mini.elf"; expect 2 "--vfio without a path is refused"
mr --vfio "$t" --device mgpu "$g/mini.elf"; expect 2 "--vfio with --device is refused"
grep -q "do not mix" "$t/err"; ok $? "and says why"
mr --vfio "$t/nosuch" "$g/mini.elf"; expect 2 "--vfio of a path without an IOMMU group is refused"
grep -q "no IOMMU group" "$t/err"; ok $? "and says so"
mr $(for i in 1 2 3 4 5 6 7 8 9; do echo --vfio "$t"; done) "$g/mini.elf"
expect 2 "more than 8 --vfio devices are refused"
mr --help; grep -q -- "--vfio SYSFSDEV" "$t/err"; ok $? "--help names --vfio"

# Guest images.
python3 - "$g/mini.elf" "$t" <<'PY'
import struct, sys
src, d = sys.argv[1], sys.argv[2]
img = bytearray(open(src, 'rb').read())
def put(name, data):
    open(f"{d}/{name}.elf", 'wb').write(data)
put('text', b'hello, not an ELF\n')
put('empty', b'')
put('trunc-hdr', img[:20])
put('trunc-phdr', img[:60])
phoff, = struct.unpack_from('<I', img, 28)
phnum, = struct.unpack_from('<H', img, 44)
phdrs = [phoff + 32 * i for i in range(phnum)]
load = next(p for p in phdrs if struct.unpack_from('<I', img, p)[0] == 1)
note = next(p for p in phdrs if struct.unpack_from('<I', img, p)[0] == 4)
off, = struct.unpack_from('<I', img, load + 4)
filesz, = struct.unpack_from('<I', img, load + 16)
put('trunc-seg', img[:off + filesz // 2])
b = bytearray(img); struct.pack_into('<I', b, load + 12, 0x7fff0000); put('outside', b)
b = bytearray(img); struct.pack_into('<I', b, load + 12, 0x6000); put('startinfo', b)
b = bytearray(img); struct.pack_into('<H', b, 18, 40); put('machine', b)
b = bytearray(img); b[4] = 9; put('class', b)
b = bytearray(img); struct.pack_into('<H', b, 16, 3); put('dyn', b)
noff, = struct.unpack_from('<I', img, note + 4)
b = bytearray(img); struct.pack_into('<I', b, noff + 4, 0x10000); put('note', b)
b = bytearray(img); struct.pack_into('<I', b, noff + 16, 0x3000000); put('entry', b)
PY
for bad in text:"not an ELF" empty:"not an ELF" trunc-hdr:"truncated" \
	trunc-phdr:"truncated" trunc-seg:"truncated" outside:"outside guest RAM" \
	startinfo:"start info" machine:"not an x86" class:"ELF class" \
	dyn:"not an executable" note:"malformed ELF note" \
	entry:"outside the loaded segments"; do
	f=${bad%%:*}
	msg=${bad#*:}
	mr "$t/$f.elf"; expect 2 "bad image '$f' is refused"
	grep -q "$msg" "$t/err"; ok $? "'$f': the error says '$msg'"
done
mr "$t/missing.elf"; expect 2 "a missing image is refused"

# Booting.
mr "$g/mini.elf"; expect 0 "the test guest passes its checks on one vCPU"
grep -q "^1\.\.[0-9]" "$t/out" && ! grep -q "^not ok" "$t/out"
ok $? "its TAP output is on stdout, all ok"
grep -q "^# vcpus 1" "$t/out"; ok $? "one vCPU runs"
grep -qv -e '^ok' -e '^#' -e '^1\.\.' -e '^TAP' "$t/out"
[ $? = 1 ]; ok $? "stdout carries nothing but the guest's output"
mr --vcpus 2 "$g/mini.elf"; expect 0 "and on two vCPUs"
grep -q "^# vcpus 2" "$t/out"; ok $? "the second vCPU runs too"
mr "$g/mini64.elf"; expect 0 "the same guest in an ELF64 image"
mr "$g/nonote.elf"; expect 0 "a guest without the PVH note enters at e_entry"
mr --mem 16 "$g/mini.elf"; expect 0 "--mem 16"
grep -q "^# ram 16 MiB" "$t/out"; ok $? "the memory map says 16 MiB"

# Exit statuses.
mr "$g/exit42.elf"; expect 42 "the guest's exit port value is the status"
grep -q "exiting with 42" "$t/out"; ok $? "its output came first"
mr --timeout 1 "$g/loop.elf"; expect 124 "--timeout ends a spinning guest"
grep -q "timeout" "$t/err"; ok $? "with a message"
mr --vcpus 2 --timeout 1 "$g/loop.elf"; expect 124 "also with two vCPUs"
mr "$g/triple.elf"; [ "$st" -ge 125 ]; ok $? "a triple fault is status 125+ ($st)"
grep -q "triple fault\|shut down" "$t/err"; ok $? "with a message"

# Statistics and unhandled accesses.
mr --stats-file "$t/stats.json" "$g/mini.elf"; expect 0 "--stats-file"
python3 - "$t/stats.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
assert s['status'] == 0
assert s['vmm']['unhandled_pio'] == 2, s['vmm']      # a COM2 read and write
assert s['vmm']['unhandled_mmio'] == 2, s['vmm']     # a read and a write
assert 'backend' in s and 'devices' in s
PY
ok $? "the statistics are JSON and count the unhandled accesses"
mr --stats "$g/exit42.elf"; expect 42 "--stats"
python3 -c 'import json,sys; json.loads(open(sys.argv[1]).read().splitlines()[-1])' "$t/err"
ok $? "--stats writes JSON to stderr"

# mgpu devices on the PCI bus.
if "$run" --device mgpu "$g/exit42.elf" > /dev/null 2>&1; then
	mr --device mgpu --device mgpu --stats-file "$t/stats.json" "$g/mini.elf"
	expect 0 "two mgpu devices: the guest finds and drives both"
	grep -q "^# pci devices 2" "$t/out"; ok $? "two devices on the bus"
	python3 - "$t/stats.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
d = s['devices']
assert len(d) == 2 and all(x['type'] == 'mgpu' for x in d)
assert all(x['core']['mmio_traps'] >= 3 for x in d), d
assert s['backend']['mmio_exits'] >= 6
PY
	ok $? "their BAR accesses went through the backend"
	mr --vcpus 2 --device mgpu "$g/mini.elf"; expect 0 "mgpu with two vCPUs"
	# The attack guest of mptrun's bus (the tier runs it on --vfio).
	mr --device mgpu "$O/tools/mptrun/guests/pci_hostile.elf"
	expect 0 "pci_hostile: BAR, config and MSI attacks on the bus"
	! grep -q "^not ok" "$t/out" && grep -q "^1\.\.[1-9]" "$t/out"
	ok $? "pci_hostile: every check passed"
	grep "^not ok" "$t/out" | sed 's/^/#   /'
else
	n=$((n + 1)); echo "ok $n # SKIP mptrun built without mgpu"
fi
rm -rf "$t"
echo "1..$n"
exit $fail
