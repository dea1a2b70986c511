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
	RUN_OK("chain20k", "chain", "repair");

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

static void set_rows(const char *db, const char *rows)
{
	char sql[256];
	snprintf(sql, sizeof sql, "DELETE FROM alembic_version; INSERT INTO alembic_version "
		 "SELECT unnest(string_to_array('%s', ','))", rows);
	e2e_exec(db, sql);
}

/*
 * Rows a1 and b2 on one line of history: b2 already implies a1. Alembic
 * refuses to upgrade from such a table ("Requested revision b2 overlaps
 * with other requested revisions a1"); before, upgrade head left a1,c3.
 * Writing commands refuse, naming the repair; reporting ones warn.
 */
START_TEST(overlapping_rows_refused)
{
	const char *b2 = "b2b2b2b2b2b2";
	e2e_createdb("ovl");
	struct e2e_run r = RUN("linear", "ovl", "upgrade", "b2b2");
	e2e_assert_rc(&r, 0);
	e2e_run_free(&r);

	const char *const writes[][3] = {
		{ "upgrade", "head" }, { "upgrade", "+1" }, { "upgrade", "heads" },
		{ "downgrade", "-1" }, { "downgrade", "base" }, { "stamp", "b2b2" }, { "check" },
	};
	for (size_t i = 0; i < sizeof writes / sizeof writes[0]; i++) {
		set_rows("ovl", "a1a1a1a1a1a1,b2b2b2b2b2b2");
		r = RUN("linear", "ovl", writes[i][0], writes[i][1]);
		e2e_assert_rc(&r, 8);
		ck_assert_contains(r.err, "error: version table rows overlap: requested revision "
				   "'b2b2b2b2b2b2' overlaps with other requested revisions 'a1a1a1a1a1a1'");
		ck_assert_contains(r.err, "repair it with 'stamp --purge b2b2b2b2b2b2'");
		e2e_run_free(&r);
		e2e_assert_version("ovl", "a1a1a1a1a1a1,b2b2b2b2b2b2");
	}

	/* Reporting commands still report, with the warning. */
	r = RUN("linear", "ovl", "current");
	e2e_assert_rc(&r, 0);
	/* Alembic's current shows the newest of what the rows imply. */
	ck_assert_str_eq(r.out, "b2b2b2b2b2b2\n");
	ck_assert_contains(r.err, "warning: version table rows overlap");
	e2e_run_free(&r);
	r = RUN("linear", "ovl", "history", "-i");
	e2e_assert_rc(&r, 0);
	ck_assert_contains(r.out, "-> b2b2b2b2b2b2 (current), ");
	ck_assert_contains(r.out, "-> a1a1a1a1a1a1 (current), ");
	ck_assert_contains(r.err, "warning: version table rows overlap");
	e2e_run_free(&r);

	/* A stamp above both repairs it, as in Alembic; so does the hint's. */
	RUN_OK("linear", "ovl", "stamp", "head");
	e2e_assert_version("ovl", "c3c3c3c3c3c3");
	set_rows("ovl", "a1a1a1a1a1a1,b2b2b2b2b2b2");
	RUN_OK("linear", "ovl", "stamp", "--purge", b2);
	e2e_assert_version("ovl", b2);
	RUN_OK("linear", "ovl", "upgrade", "head");
	e2e_assert_version("ovl", "c3c3c3c3c3c3");
}
END_TEST

/* The graph facts Alembic shows, on the same graphs (compared by hand with Alembic 1.8). */
START_TEST(labels_and_tree_indicators)
{
	e2e_createdb("br17");
	/* A merge inherits the labels of both branches it joins. */
	struct e2e_run r = RUN("branchy", NULL, "show", "4000000000cc");
	e2e_assert_rc(&r, 0);
	ck_assert_contains(r.out, "Rev: 4000000000cc (head) (mergepoint)\nMerges: 2000000000aa, "
			   "3000000000bb\nBranch names: alpha, beta\n");
	e2e_run_free(&r);
	r = RUN("branchy", NULL, "history", "--verbose");
	e2e_assert_rc(&r, 0);
	ck_assert_contains(r.out, "Branch names: alpha, beta\n");
	e2e_run_free(&r);
	r = RUN("branchy", NULL, "history");
	e2e_assert_rc(&r, 0);
	ck_assert_contains(r.out, "2000000000aa, 3000000000bb -> 4000000000cc (alpha, beta) (head) "
			   "(mergepoint), merge alpha and beta\n");
	e2e_run_free(&r);
	r = RUN("branchy", NULL, "branches");
	e2e_assert_rc(&r, 0);
	ck_assert_str_eq(r.out, "1000000000aa (branchpoint)\n"
				"             -> 2000000000aa (alpha)\n"
				"             -> 3000000000bb (beta)\n\n");
	e2e_run_free(&r);

	/* current: what the rows imply, dependencies included, with tree marks. */
	RUN_OK("branchy", "br17", "upgrade", "other@head");
	e2e_assert_version("br17", "5000000000dd");
	r = RUN("branchy", "br17", "current");
	e2e_assert_rc(&r, 0);
	ck_assert_str_eq(r.out, "2000000000aa\n5000000000dd (head)\n");
	e2e_run_free(&r);
	RUN_OK("branchy", "br17", "upgrade", "heads");
	r = RUN("branchy", "br17", "current", "--verbose");
	e2e_assert_rc(&r, 0);
	ck_assert_msg(strncmp(r.out, "Current revision(s) for ", 24) == 0, "%s", r.out);
	ck_assert_contains(r.out, "Rev: 4000000000cc (head) (mergepoint)\n");
	ck_assert_lacks(r.err, "Current revision(s)");
	e2e_run_free(&r);
	r = RUN("branchy", "br17", "current");
	e2e_assert_rc(&r, 0);
	ck_assert_str_eq(r.out, "4000000000cc (head) (mergepoint)\n5000000000dd (head)\n");
	e2e_run_free(&r);
	r = RUN("branchy", "br17", "show", "current");
	e2e_assert_rc(&r, 0);
	ck_assert_contains(r.out, "Rev: 4000000000cc (head) (mergepoint)\n");
	ck_assert_contains(r.out, "\nRev: 5000000000dd (head)\n");
	e2e_run_free(&r);

	/* Several stamp targets, one per branch. */
	RUN_OK("branchy", "br17", "stamp", "alpha", "beta");
	e2e_assert_version("br17", "2000000000aa,3000000000bb");
}
END_TEST

/* history -i from a database at an unknown revision prints the history, as Alembic does. */
START_TEST(history_indicates_despite_unknown_row)
{
	e2e_createdb("unk17");
	struct e2e_run r = RUN("linear", "unk17", "upgrade", "a1a1");
	e2e_assert_rc(&r, 0);
	e2e_run_free(&r);
	e2e_exec("unk17", "INSERT INTO alembic_version VALUES ('ffffffffffff')");
	r = RUN("linear", "unk17", "history", "-i");
	e2e_assert_rc(&r, 0);
	ck_assert_contains(r.out, "<base> -> a1a1a1a1a1a1 (current), create accounts\n");
	ck_assert_contains(r.err, "warning: the database is at revision 'ffffffffffff'");
	e2e_run_free(&r);
	/* stamp --purge, the way out, warns and succeeds: no error block. */
	r = RUN("linear", "unk17", "stamp", "--purge", "a1a1");
	e2e_assert_rc(&r, 0);
	ck_assert_lacks(r.err, "error:");
	e2e_run_free(&r);
	e2e_assert_version("unk17", "a1a1a1a1a1a1");
}
END_TEST

/*
 * A three-way merge one of whose parents depends on another (bbbb on cccc):
 * bbbb's upgrade takes cccc's row, so the merge finds cccc implied, not a
 * row. Alembic 1.8 fails here (KeyError); before, retort refused it.
 */
START_TEST(three_way_merge_with_dependency)
{
	e2e_createdb("m3d");
	struct e2e_run r = RUN("merge3dep", NULL, "heads");
	e2e_assert_rc(&r, 0);
	ck_assert_str_eq(r.out, "eeee (head)\nffff (side) (effective head)\ngggg (needy) (head)\n");
	e2e_run_free(&r);
	r = RUN("merge3dep", NULL, "heads", "--resolve-dependencies");
	e2e_assert_rc(&r, 0);
	ck_assert_str_eq(r.out, "eeee (head)\ngggg (needy) (head)\n");
	e2e_run_free(&r);

	r = RUN("merge3dep", "m3d", "upgrade", "heads");
	e2e_assert_rc(&r, 0);
	ck_assert_contains(r.err, "Running upgrade bbbb, cccc, dddd -> eeee, join all three");
	e2e_run_free(&r);
	e2e_assert_version("m3d", "eeee,gggg");
	/* Unmerging restores heads only: cccc is implied by bbbb. */
	RUN_OK("merge3dep", "m3d", "downgrade", "cccc");
	e2e_assert_version("m3d", "bbbb,dddd,gggg");
	RUN_OK("merge3dep", "m3d", "upgrade", "heads");
	RUN_OK("merge3dep", "m3d", "downgrade", "base");
	e2e_assert_version("m3d", "");
	e2e_assert_query("m3d", "SELECT count(*) FROM pg_tables WHERE tablename LIKE 't\\_%'", "0");
}
END_TEST

/*
 * `retort heads|history DIR` and the migrator's heads/history print through
 * one implementation (runtime/report.c): on the same folders they agree to
 * the byte, --verbose aside from the path (Alembic's: DIR/versions/...).
 */
START_TEST(generator_and_migrator_agree)
{
	static const char *const fixtures[] = { "branchy", "merge3dep", "linear" };
	static const char *const cmds[][2] = { { "heads", NULL }, { "history", NULL },
					       { "heads", "--resolve-dependencies" } };
	char bin[512], dir[512];
	snprintf(bin, sizeof bin, "%s/retort", tu_build_dir());
	for (size_t f = 0; f < 3; f++) {
		snprintf(dir, sizeof dir, "tests/fixtures/%s", fixtures[f]);
		for (size_t i = 0; i < 3; i++) {
			char *argv[] = { bin, (char *)cmds[i][0], dir, (char *)cmds[i][1], NULL };
			char *gout, *gerr;
			ck_assert_int_eq(tu_run(argv, NULL, &gout, &gerr), 0);
			struct e2e_run r = RUN(fixtures[f], NULL, cmds[i][0], cmds[i][1]);
			e2e_assert_rc(&r, 0);
			ck_assert_msg(strcmp(gout, r.out) == 0, "%s %s: retort says\n%s\nmigrator says\n%s",
				      fixtures[f], cmds[i][0], gout, r.out);
			e2e_run_free(&r);
			free(gout), free(gerr);
		}
	}
}
END_TEST

/* Alembic's command line where it means something; a reason where it cannot. */
START_TEST(alembic_options_and_hints)
{
	struct e2e_run r = RUN("linear", NULL, "--version");
	e2e_assert_rc(&r, 0);
	ck_assert_msg(strncmp(r.out, "release:", 8) == 0, "%s", r.out);
	e2e_run_free(&r);

	r = RUN("linear", NULL, "upgarde", "head");
	e2e_assert_rc(&r, 2);
	ck_assert_contains(r.err, "error: unknown command 'upgarde'\nhint: did you mean 'upgrade'?\n");
	e2e_run_free(&r);
	r = RUN("linear", NULL, "upgrade", "hed", "--sql");
	e2e_assert_rc(&r, 8);
	ck_assert_contains(r.err, "hint: did you mean 'head'?\n");
	ck_assert_lacks(r.err, "four characters");
	e2e_run_free(&r);
	r = RUN("branchy", NULL, "upgrade", "alpah", "--sql");
	e2e_assert_rc(&r, 8);
	ck_assert_contains(r.err, "hint: did you mean 'alpha'?\n");
	e2e_run_free(&r);

	/* The way out of an unknown revision is stamp --purge, so the hint says so. */
	e2e_createdb("opt18");
	e2e_exec("opt18", "CREATE TABLE alembic_version (version_num varchar(32) PRIMARY KEY);"
			  "INSERT INTO alembic_version VALUES ('ffffffffffff')");
	r = RUN("linear", "opt18", "current");
	e2e_assert_rc(&r, 7);
	ck_assert_contains(r.err, "'stamp --purge' a known revision");
	e2e_run_free(&r);

	r = RUN("linear", NULL, "upgrade", "head", "--sql", "-x", "tenant=a");
	e2e_assert_rc(&r, 2);
	ck_assert_contains(r.err, "error: -x passes a value to env.py");
	ck_assert_lacks(r.err, "bad option");
	e2e_run_free(&r);
	r = RUN("linear", NULL, "stamp", "head", "--sql", "--tag", "t1");
	e2e_assert_rc(&r, 2);
	ck_assert_contains(r.err, "error: --tag passes a value to env.py");
	e2e_run_free(&r);
	r = RUN("linear", NULL, "--raiseerr", "heads");
	e2e_assert_rc(&r, 0);
	ck_assert_str_eq(r.out, "c3c3c3c3c3c3 (head)\n");
	e2e_run_free(&r);

	/* -n/--name picks the ini section, as in Alembic; a missing one is an error. */
	char ini[600], text[600];
	snprintf(ini, sizeof ini, "%s/tests/graph-name.ini", tu_build_dir());
	snprintf(text, sizeof text, "[alembic]\nsqlalchemy.url = postgresql:///nosuchdb\n\n"
		 "[prod]\nsqlalchemy.url = postgresql:///opt18\n");
	tu_write_file(ini, text);
	e2e_exec("opt18", "UPDATE alembic_version SET version_num = 'a1a1a1a1a1a1'");
	r = RUN("linear", NULL, "-c", ini, "-n", "prod", "current");
	e2e_assert_rc(&r, 0);
	ck_assert_str_eq(r.out, "a1a1a1a1a1a1\n");
	e2e_run_free(&r);
	r = RUN("linear", NULL, "-c", ini, "--name", "staging", "current");
	e2e_assert_rc(&r, 3);
	ck_assert_contains(r.err, "has no section [staging]");
	e2e_run_free(&r);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("graph (end to end)");
	TCase *tc = tcase_create("scale");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, long_chain_commands_complete);
	suite_add_tcase(s, tc);

	tc = tcase_create("version table");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, overlapping_rows_refused);
	tcase_add_test(tc, history_indicates_despite_unknown_row);
	suite_add_tcase(s, tc);

	tc = tcase_create("alembic facts");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, labels_and_tree_indicators);
	tcase_add_test(tc, three_way_merge_with_dependency);
	tcase_add_test(tc, generator_and_migrator_agree);
	tcase_add_test(tc, alembic_options_and_hints);
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
