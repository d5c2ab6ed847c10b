#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
# The kernel modules as built: W=1 warning-free (make modules fails on any
# warning), every public function exported GPL-only in the MPT namespace
# and nothing else but the port's few, push-based loading (no module
# requests or looks up another: no request_module(), no symbol_get()),
# mpt_sim importing the namespace and depending on mpt only, and
# static-call dispatch really inline (objtool recorded the call sites),
# and mpt_mdev.ko exporting exactly its header (include/mpt/kvmgt.h).
# SKIP only when no kernel headers can be installed.
set -e
cd "$(dirname "$0")/../.."
O=${O:-build}
. scripts/checks/kheaders.inc
need_kernel_headers kmod
n=0
fail=0
report() { # name, problems
	n=$((n + 1))
	if [ -z "$2" ]; then echo "ok $n - $1"; else
		echo "not ok $n - $1"; echo "$2" | sed 's/^/#   /'; fail=1; fi
}
if make -s O="$O" modules >&2; then
	report "make modules: W=1, no compiler, objtool or modpost warning" ""
else
	report "make modules: W=1, no compiler, objtool or modpost warning" \
		"failed: see $O/kernel/build.log"
	echo "1..$n"
	exit 1
fi
KO=$O/kernel/src
SYMVERS=$KO/Module.symvers
kos=$(find $O/kernel -name '*.ko' | sort)

# Public functions of the headers whose code the modules hold (kvm.h and
# xen.h are userspace backends').
headers=$(for h in include/mpt/*.h; do
	case $h in
	*/kvm.h|*/xen.h) ;;
	*/sim.h) [ -f $KO/mpt_sim.ko ] && echo $h ;;
	*) echo $h ;;
	esac
done)
declared=$(cat $headers | tr '\n' ' ' | grep -oE 'MPT_API [^;{]*\(' |
	grep -oE '\bmpt_[a-z0-9_]+\($' | tr -d '(' | sort -u)
exported=$(awk '$3 ~ /\/(mpt|mpt_sim)$/ { print $2 }' $SYMVERS | sort -u)
report "every MPT_API function is exported ($(echo "$declared" | wc -w))" \
	"$(echo "$declared" | while read -r f; do
		echo "$exported" | grep -qx "$f" || echo "$f"; done)"
# Beyond the API: the log sink and invariant report every module's copy of
# the port calls, and the sim's ops table for tests that copy it.
extra="mpt_log mpt_os_invariant_broken mpt_sim_ops"
report "nothing else is exported (allowed besides the API: $extra)" \
	"$(echo "$exported" | while read -r f; do
		echo "$declared" | grep -qx "$f" && continue
		case " $extra " in *" $f "*) ;; *) echo "$f" ;; esac; done)"
report "every export is EXPORT_SYMBOL_GPL in namespace MPT" \
	"$(awk '$3 ~ /\/(mpt|mpt_sim)$/ && ($4 != "EXPORT_SYMBOL_GPL" || $5 != "MPT")' $SYMVERS)"
report "no module requests or looks up another (request_module, symbol_get)" \
	"$(for ko in $kos; do
		nm -u $ko | grep -E '\b(__request_module|__symbol_get|symbol_put_addr|__symbol_put)\b' |
			sed "s|^|$ko: |"; done)"
if [ -f $KO/mpt_sim.ko ]; then
	report "mpt_sim.ko imports MPT and depends on mpt only" \
		"$(ns=$(modinfo -F import_ns $KO/mpt_sim.ko); dep=$(modinfo -F depends $KO/mpt_sim.ko)
		[ "$ns" = MPT ] || echo "import_ns: '$ns'"
		[ "$dep" = mpt ] || echo "depends: '$dep'")"
fi
report "mpt.ko depends on no other module" \
	"$(dep=$(modinfo -F depends $KO/mpt.ko); [ -z "$dep" ] || echo "depends: $dep")"
kver=$(cat $O/kernel/kver)
report "every module is built for $kver" \
	"$(for ko in $kos; do v=$(modinfo -F vermagic $ko | cut -d' ' -f1)
		[ "$v" = "$kver" ] || echo "$ko: $v"; done)"
# mpt_mdev.ko's own API (kvmgt.h, kernel only, no MPT_API): exactly it,
# GPL-only in MPT.
if [ -f $KO/mpt_mdev.ko ]; then
	kdecl=$(tr '\n' ' ' < include/mpt/kvmgt.h | grep -oE '\bmpt_kvmgt_[a-z0-9_]+\(' |
		tr -d '(' | sort -u)
	kexp=$(awk '$3 ~ /\/mpt_mdev$/ { print $2 }' $SYMVERS | sort -u)
	report "mpt_mdev.ko exports exactly kvmgt.h ($(echo "$kdecl" | wc -w)), GPL-only in MPT" \
		"$([ "$kdecl" = "$kexp" ] || echo "declared: $kdecl; exported: $kexp" | tr '\n' ' '
		awk '$3 ~ /\/mpt_mdev$/ && ($4 != "EXPORT_SYMBOL_GPL" || $5 != "MPT")' $SYMVERS)"
fi
# 16 call sites in the core, plus whatever the kernel's headers add.
sites=$(objdump -r -j .static_call_sites $KO/mpt.ko 2>/dev/null |
	grep -c '__SCK__mpt_sc_' || true)
keys=$(nm $KO/mpt.ko | grep -c ' __SCK__mpt_sc_' || true)
report "mpt.ko: one static call per op ($keys) and inline call sites recorded ($sites)" \
	"$([ "$keys" = 15 ] || echo "static call keys: $keys, expected 15"
	[ "$sites" -ge 15 ] || echo "inline static-call sites: $sites")"
echo "1..$n"
exit $fail
