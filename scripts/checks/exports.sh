#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
# libmpt.so exports exactly the functions the public headers declare with
# MPT_API (hidden visibility for everything else), and a program using
# only the public headers links against it.
set -e
cd "$(dirname "$0")/../.."
O=${O:-build}/exports
# The Xen backend where Xen's headers are installed (make check installs
# them): its header counts only then.
xen=
[ -f /usr/include/xendevicemodel.h ] && xen=xen
make -s BACKENDS="sim kvm $xen" O=$O all >&2
# A backend's header counts once its sources exist.
headers=$(for h in include/mpt/*.h; do
	case $h in
	*/sim.h) ls backends/sim/*.c > /dev/null 2>&1 && echo $h ;;
	*/kvm.h) ls backends/kvmgt/user/*.c > /dev/null 2>&1 && echo $h ;;
	*/xen.h) [ -n "$xen" ] && echo $h ;;
	*) echo $h ;;
	esac
done)
declared=$(cat $headers | tr '\n' ' ' | grep -oE 'MPT_API [^;{]*\(' |
	grep -oE '\bmpt_[a-z0-9_]+\($' | tr -d '(' | sort -u)
exported=$(nm -D --defined-only $O/libmpt.so | awk '$2 == "T" { print $3 }' | sort -u)
n=0
fail=0
report() {
	n=$((n + 1))
	if [ -z "$2" ]; then echo "ok $n - $1"; else
		echo "not ok $n - $1"; echo "$2" | sed 's/^/#   /'; fail=1; fi
}
report "every MPT_API function is exported ($(echo "$declared" | wc -l))" \
	"$(comm -23 "$(printf '%s\n' "$declared" > $O/d; echo $O/d)" "$(printf '%s\n' "$exported" > $O/e; echo $O/e)")"
report "nothing else is exported" "$(comm -13 $O/d $O/e)"
# Link test: call every declared function from a program.
{
	for h in $headers; do echo "#include <mpt/${h##*/}>"; done
	echo 'int main(void) { void *volatile p;'
	for f in $declared; do echo "p = (void *)$f;"; done
	echo '(void)p; return 0; }'
} > $O/link.c
if cc -Iinclude -o $O/link $O/link.c -L$O -lmpt -Wl,-rpath,$PWD/$O \
	> $O/link.err 2>&1 && $O/link >> $O/link.err 2>&1; then
	report "a program using every public function links and runs" ""
else
	report "a program using every public function links and runs" \
		"$(cat $O/link.err; echo "failed")"
fi
echo "1..$n"
exit $fail
