/*
 * check_e2e_digest.c - `check` trusts the log's digest row only while it
 * tells the truth (issue 8, item 16; runtime/ledger.h)
 *
 * A writing run that ends well records, in retort.digests, the digest of
 * the applied set and the log's newest id; `check` then skips reading the
 * log. Every case here sets up a database where that row was written, then
 * breaks something the full comparison sees (an edited file, a log row
 * changed by hand, the version table moved without the log), and asserts
 * that `check` reports it, exactly as it does when there is no digest row
 * at all (the row is deleted and the run repeated: same exit, same output).
 */
#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "e2e.h"
#include "testutil.h"

#define LOG "retort.\"public.alembic_version\""

/* The digest a migrator at its heads must have recorded: its own set's. */
static char *set_digest(const char *fixture)
{
	struct e2e_run r = RUN(fixture, NULL, "version", "--json");
	e2e_assert_rc(&r, 0);
	const char *p = strstr(r.out, "\"digest\":\"");
	ck_assert_ptr_nonnull(p);
	char *d = malloc(15 + 64 + 1);
	snprintf(d, 15 + 64 + 1, "applied-set-v1:%.64s", p + 10);
	e2e_run_free(&r);
	return d;
}

static void assert_digest_row(const char *db, bool present)
{
	e2e_assert_query(db, "SELECT count(*) FROM retort.digests WHERE log_table = 'public.alembic_version'",
			 present ? "1" : "0");
}

/*
 * Runs `check` with `fixture` on `db`, expecting exit `rc` and `needle` in
 * its output (stdout then stderr; NULL: nothing to look for); then again
 * with the digest row gone, which must change nothing.
 */
static void check_as_without_digest(const char *fixture, const char *db, int rc, const char *needle)
{
	struct e2e_run a = RUN(fixture, db, "check");
	e2e_assert_rc(&a, rc);
	if (needle) {
		size_t n = strlen(a.out) + strlen(a.err) + 1;
		char *both = malloc(n);
		snprintf(both, n, "%s%s", a.out, a.err);
		ck_assert_contains(both, needle);
		free(both);
	}
	e2e_exec(db, "DO $$BEGIN IF to_regclass('retort.digests') IS NOT NULL THEN "
		     "DELETE FROM retort.digests; END IF; END$$");
	struct e2e_run b = RUN(fixture, db, "check");
	ck_assert_int_eq(a.rc, b.rc);
	ck_assert_str_eq(a.out, b.out);
	ck_assert_str_eq(a.err, b.err);
	e2e_run_free(&a);
	e2e_run_free(&b);
}

/* A database at the head of `linear`, its digest row written. */
static void at_head(const char *db)
{
	e2e_createdb(db);
	RUN_OK("linear", db, "upgrade", "head");
	assert_digest_row(db, true);
}

START_TEST(digest_of_the_applied_set)
{
	char *want = set_digest("linear");
	char sql[256];

	at_head("dg_head");
	snprintf(sql, sizeof(sql), "SELECT digest = '%s' AND log_max_id = 3 FROM retort.digests", want);
	e2e_assert_query("dg_head", sql, "t");
	e2e_assert_query("dg_head", "SELECT tgenabled FROM pg_trigger WHERE tgname = 'retort_forget_digest'", "A");
	check_as_without_digest("linear", "dg_head", 0, "up to date: the database is at the heads\n");

	/* A run with nothing to do writes it back, and writes nothing when it stands. */
	RUN_OK("linear", "dg_head", "upgrade", "head");
	e2e_assert_query("dg_head", sql, "t");
	char *xmin = e2e_query("dg_head", "SELECT xmin FROM retort.digests");
	RUN_OK("linear", "dg_head", "upgrade", "head");
	char *again = e2e_query("dg_head", "SELECT xmin FROM retort.digests");
	ck_assert_str_eq(xmin, again);
	free(xmin), free(again), free(want);
}
END_TEST

/* The files change after the digest was written: the digest no longer matches. */
START_TEST(edited_after_the_digest)
{
	at_head("dg_edit");
	check_as_without_digest("linear_edited", "dg_edit", 10,
				"migrate-linear_edited: error: versions/b2_add_email.sql changed after "
				"revision 'b2b2b2b2b2b2' was applied\n");
	RUN_OK("linear", "dg_edit", "upgrade", "head");
	check_as_without_digest("linear_downedit", "dg_edit", 0,
				"the downgrade of applied revision 'b2b2b2b2b2b2' changed since it was applied");
	RUN_OK("linear", "dg_edit", "upgrade", "head");
	/* Whitespace and comments only: no edit, and the digest says so too. */
	check_as_without_digest("linear_cosmetic", "dg_edit", 0, "up to date");
}
END_TEST

/* The log changed by hand after the digest was written. */
START_TEST(log_changed_by_hand)
{
	static const struct {
		const char *sql;
		int rc;
		const char *says;
	} cases[] = {
		{ "UPDATE " LOG " SET checksum = repeat('0', 128) WHERE revision = 'b2b2b2b2b2b2'", 10,
		  "versions/b2_add_email.sql changed after revision 'b2b2b2b2b2b2' was applied" },
		{ "UPDATE " LOG " SET status = 'dirty' WHERE revision = 'c3c3c3c3c3c3'", 11,
		  "revision 'c3c3c3c3c3c3' is dirty" },
		{ "DELETE FROM " LOG " WHERE revision = 'b2b2b2b2b2b2'", 13,
		  "revision 'b2b2b2b2b2b2' never ran, but the version table counts it as applied" },
		{ "INSERT INTO " LOG " (revision, direction, status, started_at, finished_at, duration_ms, "
		  "applied_by, migrator_release) SELECT 'b2b2b2b2b2b2', 'up', 'running', now(), now(), 0, "
		  "'someone', 'dev'", 11, "revision 'b2b2b2b2b2b2' is dirty: its upgrade started at" },
		/* Rows about a revision of another release: still dirty for the one that has it. */
		{ "INSERT INTO " LOG " (revision, direction, status, started_at, finished_at, duration_ms, "
		  "applied_by, migrator_release) SELECT 'ffffffffffff', 'up', 'dirty', now(), now(), 0, "
		  "'someone', 'dev'", 0, "up to date" },
		/* With the trigger off, the row stays: check must not trust it then. */
		{ "ALTER TABLE " LOG " DISABLE TRIGGER retort_forget_digest; "
		  "UPDATE " LOG " SET checksum = repeat('0', 128) WHERE revision = 'a1a1a1a1a1a1'", 10,
		  "versions/a1_create_accounts.sql changed after revision 'a1a1a1a1a1a1' was applied" },
		{ "DROP TRIGGER retort_forget_digest ON " LOG "; "
		  "UPDATE " LOG " SET status = 'dirty' WHERE revision = 'a1a1a1a1a1a1'", 11,
		  "revision 'a1a1a1a1a1a1' is dirty" },
		{ "SET session_replication_role = replica; "
		  "UPDATE " LOG " SET status = 'running' WHERE revision = 'a1a1a1a1a1a1'", 11,
		  "revision 'a1a1a1a1a1a1' is dirty" },
		{ "TRUNCATE " LOG, 0, "3 applied revisions have no checksum on record" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		at_head("dg_tamper");
		e2e_exec("dg_tamper", cases[i].sql);
		check_as_without_digest("linear", "dg_tamper", cases[i].rc, cases[i].says);
	}
}
END_TEST

/* The version table moves with the log (stamp, downgrade, resolve) or without it (by hand). */
START_TEST(digest_follows_the_version_table)
{
	at_head("dg_move");
	RUN_OK("linear", "dg_move", "downgrade", "-1");
	assert_digest_row("dg_move", true);
	check_as_without_digest("linear", "dg_move", 6, "1 pending revision:\n  c3c3c3c3c3c3, ");
	RUN_OK("linear", "dg_move", "upgrade", "head");
	RUN_OK("linear", "dg_move", "stamp", "a1a1a1a1a1a1");
	assert_digest_row("dg_move", true);
	check_as_without_digest("linear", "dg_move", 6, "2 pending revisions:\n");

	/* Alembic (or a hand) moves the version table: the digest is of another set. */
	RUN_OK("linear", "dg_move", "stamp", "head");
	RUN_OK("linear", "dg_move", "downgrade", "-1");
	e2e_exec("dg_move", "UPDATE public.alembic_version SET version_num = 'c3c3c3c3c3c3'");
	assert_digest_row("dg_move", true);
	check_as_without_digest("linear", "dg_move", 0, "1 applied revision has no checksum on record");

	/* A dirty revision, resolved: the resolving run vouches for what it leaves. */
	e2e_createdb("dg_dirty");
	struct e2e_run r = RUN("dirty", "dg_dirty", "upgrade", "head");
	e2e_assert_rc(&r, 5);
	e2e_run_free(&r);
	assert_digest_row("dg_dirty", false);
	check_as_without_digest("dirty", "dg_dirty", 11, "is dirty");
	RUN_OK("dirty", "dg_dirty", "resolve", "--not-applied", "7d0000000002");
	assert_digest_row("dg_dirty", true);
	check_as_without_digest("dirty", "dg_dirty", 6, "pending");
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("check's digest row (end to end)");
	TCase *tc = tcase_create("digest");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, digest_of_the_applied_set);
	tcase_add_test(tc, edited_after_the_digest);
	tcase_add_test(tc, log_changed_by_hand);
	tcase_add_test(tc, digest_follows_the_version_table);
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
