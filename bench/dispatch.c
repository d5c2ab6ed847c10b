// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * bench/dispatch: the cost of calling a backend op from the core.
 *
 * Times the same call four ways in one run: a plain direct call, the core's
 * static dispatch (single-backend build), its table dispatch (several
 * backends), and table dispatch compiled with retpoline thunks as the
 * kernel's mitigations do.  Rounds are interleaved so machine noise hits
 * all variants alike; ns_per_call is each variant's fastest round, and the
 * ratios are the median over rounds of the variant's time divided by the
 * direct call's time in the same round.  Prints JSON; the goal is
 * static/direct <= 1.02.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "bench_target.h"
#include "bench_util.h"

#define ROUNDS 41
#define CALLS 5000000L

typedef void (*loop_fn)(struct bench_inst *inst, long n);

static const struct {
	const char *name;
	loop_fn loop;
} variants[] = {
	{ "direct_call", bench_loop_direct_call },
	{ "static_dispatch", bench_loop_static },
	{ "table_dispatch", bench_loop_table },
	{ "table_dispatch_retpoline", bench_loop_retpoline },
};

#define NR_VARIANTS (sizeof(variants) / sizeof(variants[0]))

int main(int argc, char **argv)
{
	static const struct mpt_backend_ops ops = {
		.abi_version = MPT_BACKEND_ABI_VERSION,
		.size = sizeof(struct mpt_backend_ops),
		.name = "bench",
		.inject_msi = mpt_bench_inject_msi,
	};
	u64 sink = 0;
	struct bench_inst inst = { &sink, &ops };
	long calls = argc > 1 ? atol(argv[1]) : CALLS;
	double best[NR_VARIANTS], t[NR_VARIANTS], ratio[NR_VARIANTS][ROUNDS];
	unsigned int r, v;

	for (v = 0; v < NR_VARIANTS; v++) {
		best[v] = 1e30;
		variants[v].loop(&inst, calls / 10); /* warm up */
	}
	for (r = 0; r < ROUNDS; r++) {
		for (v = 0; v < NR_VARIANTS; v++) {
			double start = bench_now_ns();

			variants[v].loop(&inst, calls);
			t[v] = (bench_now_ns() - start) / calls;
			if (t[v] < best[v])
				best[v] = t[v];
		}
		for (v = 0; v < NR_VARIANTS; v++)
			ratio[v][r] = t[v] / t[0];
	}
	for (v = 0; v < NR_VARIANTS; v++)
		t[v] = bench_median(ratio[v], ROUNDS);
	printf("{\n  \"benchmark\": \"dispatch\",\n  \"calls_per_round\": %ld,\n"
	       "  \"rounds\": %d,\n  \"ns_per_call\": {\n", calls, ROUNDS);
	for (v = 0; v < NR_VARIANTS; v++)
		printf("    \"%s\": %.3f%s\n", variants[v].name, best[v],
		       v + 1 < NR_VARIANTS ? "," : "");
	printf("  },\n  \"ratio_to_direct_call\": {\n");
	for (v = 1; v < NR_VARIANTS; v++)
		printf("    \"%s\": %.3f%s\n", variants[v].name, t[v],
		       v + 1 < NR_VARIANTS ? "," : "");
	printf("  },\n  \"goal\": { \"static_dispatch_max_ratio\": 1.02, "
	       "\"met\": %s },\n  \"checksum\": %llu\n}\n",
	       t[1] <= 1.02 ? "true" : "false",
	       (unsigned long long)(sink & 0xffff));
	return 0;
}
