#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
"""Drive Debian's python3-kconfiglib for the userspace build.

Debian ships only the kconfiglib module, not its command-line tools, so
this script offers the three targets the Makefile needs:

  kconfig.py defconfig     .config from configs/defconfig
  kconfig.py olddefconfig  .config refreshed, new options at defaults
  kconfig.py menuconfig    the curses editor

KCONFIG_CONFIG names the output (default .config).
"""
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)

try:
    import kconfiglib
except ImportError:
    subprocess.check_call([os.path.join(HERE, "deps.sh"), "python3-kconfiglib"])
    import kconfiglib


def main(argv):
    if len(argv) != 2 or argv[1] not in ("defconfig", "olddefconfig", "menuconfig"):
        sys.exit("usage: kconfig.py defconfig|olddefconfig|menuconfig")
    target = argv[1]
    out = os.environ.get("KCONFIG_CONFIG", ".config")
    os.environ["KCONFIG_CONFIG"] = out
    kconf = kconfiglib.Kconfig(os.path.join(TOP, "Kconfig"), warn_to_stderr=True)
    if target == "defconfig":
        kconf.load_config(os.path.join(TOP, "configs", "defconfig"))
    elif target == "olddefconfig":
        kconf.load_config(out if os.path.exists(out) else None)
    else:
        import menuconfig
        menuconfig.menuconfig(kconf)
        return
    print(kconf.write_config(out))


if __name__ == "__main__":
    main(sys.argv)
