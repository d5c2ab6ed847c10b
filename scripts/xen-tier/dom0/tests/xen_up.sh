#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
# dom0 of the Xen tier works: Xen answers xl info, dom0 is listed, the
# device-model interfaces exist (privcmd, evtchn, xenstore).
. /tier/lib.sh
plan 4
xl info > /tmp/xl.info 2>&1
result $? "xl info answers"
diag "$(grep -E '^(xen_version|nr_cpus|total_memory|free_memory|virt_caps)' /tmp/xl.info | tr -s ' ' | tr '\n' ';')"
xl list > /tmp/xl.list 2>&1 && grep -q '^Domain-0 ' /tmp/xl.list
result $? "xl list shows Domain-0"
[ -c /dev/xen/privcmd ] && [ -c /dev/xen/evtchn ] && [ -c /dev/xen/gntdev ]
result $? "/dev/xen/privcmd, evtchn and gntdev exist"
xenstore-read /local/domain/0/domid > /tmp/xs.out 2>&1 && [ "$(cat /tmp/xs.out)" = 0 ]
result $? "xenstore answers (domid 0)"
[ -s /tmp/xs.out ] && diag "xenstore-read: $(cat /tmp/xs.out)"
finish
