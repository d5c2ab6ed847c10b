// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/* The fixture itself: a tdev instance comes up and goes down cleanly. */
#include "fixture.h"
#include "tap.h"

int main(void)
{
	struct fx fx;

	fx_setup(&fx, MPT_VDEV_ACTIVE);
	is_int(mpt_vdev_state(fx.vdev), MPT_VDEV_ACTIVE, "instance is active");
	is_int(fx.td->inits, 1, "init ran once");
	is_int(fx.td->activates, 1, "activate ran once");
	fx_teardown(&fx);
	return done_testing();
}
