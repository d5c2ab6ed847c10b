#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
# make bench-mdev: boot the kernel tier with its mdev_bench test only
# (scripts/kernel-tier/guest/tests/mdev_bench.sh) and print its JSON: one
# line per path (the mdev through mptrun --vfio, the userspace KVM
# backend), then one line of ratios, the only numbers that mean anything
# here (nested KVM under TCG):
#   mmio_dev/mmio_raw          a trapped register read against a bare exit
#   write_tracked/write_raw    a tracked store against a bare exiting store
#   mdev/userspace             each measure, one path against the other
# Exit status 1 when the tier's test failed.
cd "$(dirname "$0")/.." || exit 1
out=${O:-build}/bench-mdev
scripts/kernel-tier/run.sh --tests mdev_bench --out "$out" > "$out.tap" 2>&1
st=$?
sed -n 's/^ *# BENCH //p' "$out/ktap.log" > "$out.json"
cat "$out.json"
python3 - "$out.json" <<'PY'
import json, sys
runs = {}
for line in open(sys.argv[1]):
    r = json.loads(line)
    runs[r["path"]] = r
def ratio(a, b):
    return round(a / b, 3) if b else None
out = {"bench": "mdev_ratios"}
for path, r in runs.items():
    out[path + "_mmio_dev_vs_raw"] = ratio(r["mmio_dev"], r["mmio_raw"])
    out[path + "_write_tracked_vs_raw"] = ratio(r["write_tracked"], r["write_raw"])
if "mdev" in runs and "userspace" in runs:
    for k in ("mmio_raw", "mmio_dev", "write_raw", "write_tracked"):
        out["mdev_vs_userspace_" + k] = ratio(runs["mdev"][k], runs["userspace"][k])
print(json.dumps(out))
PY
if [ $st != 0 ]; then
	echo "bench-mdev: the tier's mdev_bench failed (see $out.tap, $out/ktap.log)" >&2
	exit 1
fi
