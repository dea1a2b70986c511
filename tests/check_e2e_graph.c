/*
 * check_e2e_graph.c - the planner and the reporting commands on graphs that
 * stress them: a 20,000-revision chain (every command linear), version
 * tables Alembic refuses, and the graph facts Alembic shows.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "e2e.h"
#include "testutil.h"

/*
 * At the head of a 20,000-revision chain every command answers. The case's
 * timeout is a hang guard, not a measurement: before they were linear,
 * check, downgrade -1 and upgrade +1 took over 10 s each here.
 */
START_TEST(long_chain_commands_complete)
{
	e2e_createdb("chain");
	struct e2e_run r = RUN("chain20k", "chain", "stamp", "head");
	e2e_assert_rc(&r, 0);
	e2e_run_free(&r);
	e2e_assert_version("chain", "r20000");
	/* A history log with a row per revision, as a full upgrade leaves it. */
	r = RUN("chain20k", "chain", "repair");
	e2e_assert_rc(&r, 0);
	e2e_run_free(&r);

	const char *const cmds[][3] = {
		{ "current", NULL }, { "check", NULL }, { "heads", NULL }, { "branches", NULL },
		{ "history", NULL }, { "history", "-i" }, { "history", "--verbose" },
		{ "downgrade", "-1" }, { "upgrade", "+1" }, { "stamp", "head" },
		{ "show", "r10000" }, { "check", "--json" },
	};
	for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
		r = RUN("chain20k", "chain", cmds[i][0], cmds[i][1]);
		ck_assert_msg(r.rc == 0, "%s %s exited %d:\n%s", cmds[i][0],
			      cmds[i][1] ? cmds[i][1] : "", r.rc, r.err);
		e2e_run_free(&r);
	}
	e2e_assert_version("chain", "r20000");
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("graph (end to end)");
	TCase *tc = tcase_create("scale");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, long_chain_commands_complete);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
