#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
# make install honours PREFIX and DESTDIR, and a program finds the
# installed library through pkg-config and runs against it.
set -e
cd "$(dirname "$0")/../.."
O=${O:-build}/install
root=$PWD/$O/root
rm -rf "$root"
make -s BACKENDS=sim O=$O/obj install PREFIX=/opt/mpt DESTDIR="$root" >&2
n=0
fail=0
t() {
	n=$((n + 1))
	if eval "$2" > /dev/null 2>&1; then echo "ok $n - $1"; else
		echo "not ok $n - $1"; fail=1; fi
}
t "static library installed" "test -f $root/opt/mpt/lib/libmpt.a"
t "shared library and soname link installed" \
	"test -f $root/opt/mpt/lib/libmpt.so.0.1.0 && test -L $root/opt/mpt/lib/libmpt.so.0"
t "public headers installed" "test -f $root/opt/mpt/include/mpt/backend.h"
t "mpt.pc names the install prefix" \
	"grep -qx 'prefix=/opt/mpt' $root/opt/mpt/lib/pkgconfig/mpt.pc"
cat > $O/use.c <<'EOC'
#include <mpt/mpt.h>
#include <mpt/sim.h>
int main(void)
{
	struct mpt_backend *b;

	return mpt_sim_register(NULL, &b) || mpt_backend_unregister(b);
}
EOC
flags=$(PKG_CONFIG_PATH=$root/opt/mpt/lib/pkgconfig \
	pkg-config --define-variable=prefix=$root/opt/mpt --cflags --libs mpt)
t "a program builds with the installed headers and library" \
	"cc -o $O/use $O/use.c $flags -Wl,-rpath,$root/opt/mpt/lib"
t "and runs" "$O/use"
echo "1..$n"
exit $fail
