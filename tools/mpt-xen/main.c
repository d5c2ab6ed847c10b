// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * mpt-xen: mpt device models for Xen guests, from dom0 (see mpt_xen.h).
 *
 *	mpt-xen run --domid N [--device TYPE]... [--snapshot FILE.png]
 *	            [--stats-file FILE] [--timeout SEC] [--no-deprivilege]
 *	mpt-xen create [--timeout SEC] [--snapshot FILE.png]
 *	            [--stats-file FILE] [--no-deprivilege] CONFIG.cfg
 *
 * Exit status: the value the guest wrote to the exit port (& 0xff), or
 * 1 (host error), 2 (usage), 124 (timeout), 125 (the domain went away).
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "mpt_xen.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: mpt-xen run --domid N [options]\n"
		"       mpt-xen create [options] CONFIG.cfg\n"
		"  --domid N                the domain to serve (run)\n"
		"  --device TYPE            an mpt device at the next PCI slot\n"
		"                           (00:01.0 on); repeatable, up to %u (run;\n"
		"                           create takes mpt_device = [ \"TYPE\", ... ]\n"
		"                           from CONFIG.cfg)\n"
		"  --timeout SEC            end after SEC seconds (default 0: never;\n"
		"                           the model lives as long as the domain)\n"
		"  --snapshot FILE.png      at exit, the first mgpu's display\n"
		"  --stats-file FILE        JSON statistics at exit\n"
		"  --no-deprivilege         keep root and Xen privileges while serving\n"
		"                           (default: restrict to the domain, become\n"
		"                           uid/gid %d)\n",
		MPTRUN_MAX_DEVICES, XEN_DEFAULT_UID);
}

static int bad(const char *fmt, const char *arg)
{
	fprintf(stderr, "mpt-xen: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n");
	usage(stderr);
	return XEN_STATUS_USAGE;
}

static int run_main(int argc, char **argv)
{
	enum { O_DOMID = 256, O_DEVICE, O_SNAPSHOT, O_STATS, O_TIMEOUT,
	       O_NODEPRIV, O_READY };
	static const struct option opts[] = {
		{ "domid", required_argument, NULL, O_DOMID },
		{ "device", required_argument, NULL, O_DEVICE },
		{ "snapshot", required_argument, NULL, O_SNAPSHOT },
		{ "stats-file", required_argument, NULL, O_STATS },
		{ "timeout", required_argument, NULL, O_TIMEOUT },
		{ "no-deprivilege", no_argument, NULL, O_NODEPRIV },
		{ "ready-fd", required_argument, NULL, O_READY },
		{ NULL, 0, NULL, 0 },
	};
	struct xen_run_opts o = { .domid = -1, .timeout = 0,
				  .deprivilege = true, .ready_fd = -1 };
	u64 v;
	int c;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
		switch (c) {
		case O_DOMID:
			/* Domain 0 is not an HVM guest; DOMID_FIRST_RESERVED. */
			if (!mptrun_parse_uint(optarg, 1, 0x7fef, &v))
				return bad("--domid %s: want 1 to 32751", optarg);
			o.domid = (long)v;
			break;
		case O_DEVICE:
			if (o.nr_devices == MPTRUN_MAX_DEVICES)
				return bad("--device %s: too many devices", optarg);
			if (!*optarg || strchr(optarg, ','))
				return bad("--device '%s': want a device type",
					   optarg);
			o.devices[o.nr_devices++] = optarg;
			break;
		case O_SNAPSHOT:
			o.snapshot = optarg;
			break;
		case O_STATS:
			o.stats_file = optarg;
			break;
		case O_TIMEOUT:
			if (!mptrun_parse_uint(optarg, 0, 86400, &v))
				return bad("--timeout %s: want 0 to 86400", optarg);
			o.timeout = (unsigned int)v;
			break;
		case O_NODEPRIV:
			o.deprivilege = false;
			break;
		case O_READY:
			if (!mptrun_parse_uint(optarg, 3, 1023, &v))
				return bad("--ready-fd %s: want a descriptor", optarg);
			o.ready_fd = (int)v;
			break;
		default:
			return bad("unknown or incomplete option '%s'",
				   argv[optind - 1]);
		}
	}
	if (optind != argc)
		return bad("run: unexpected argument '%s'", argv[optind]);
	if (o.domid < 0)
		return bad("run: %s", "--domid is required");
#if !MPTRUN_MGPU
	if (o.snapshot)
		return bad("--snapshot %s: built without mgpu", o.snapshot);
#endif
	return xen_run(&o);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return XEN_STATUS_USAGE;
	}
	if (!strcmp(argv[1], "run"))
		return run_main(argc - 1, argv + 1);
	if (!strcmp(argv[1], "create"))
		return xen_create(argc - 1, argv + 1, argv[0]);
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	return bad("unknown command '%s'", argv[1]);
}
