/*
 * cmd_repair.c - `repair`: record the checksums of the applied revisions as
 * this migrator has them
 *
 * The deliberate way past a checksum mismatch (an applied revision was
 * edited and the edit is known to be harmless), and the way to adopt
 * revisions Alembic applied, which have no checksum on record. It writes
 * log rows only; the version table and the schema stay as they are.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "exec.h"
#include "guard.h"
#include "ledger.h"

static const struct option options[] = {
	GUARD_OPTIONS,
	{ NULL, 0, NULL, 0 },
};

static void help(const struct cli *c)
{
	printf("usage: %s repair [safety options]\n\n"
	       "Records in the history log the checksum this migrator has for every\n"
	       "applied revision whose logged checksum differs, is missing (applied by\n"
	       "Alembic) or was computed by another algorithm. Nothing else changes.\n", c->prog);
	guard_help(stdout);
	cli_common_help(stdout);
}

int cmd_repair(struct cli *c, int argc, char **argv)
{
	const struct rt_set *s = c->set;
	bool want_help = false;
	struct guard_opts o;
	struct guard g = { 0 };
	int opt;

	guard_opts_init(&o);
	while ((opt = cli_getopt(c, argc, argv, "", options, &want_help)) != -1) {
		int gr = guard_option(&o, c, "repair", opt, optarg);
		if (gr < 0)
			return RT_EXIT_USAGE;
		if (gr == 0)
			return cli_usage_error(c, "repair", "bad option");
	}
	if (want_help) {
		help(c);
		return RT_EXIT_OK;
	}
	if (optind != argc)
		return cli_usage_error(c, "repair", "repair takes no arguments");

	int rc = guard_open(&g, c, &o, GUARD_SKIP_CHECKSUMS);
	bool *applied = rc == RT_EXIT_OK ? ledger_applied(s, g.heads, g.n_heads) : NULL;
	char *rows = NULL;
	size_t len = 0;
	FILE *fp = applied ? open_memstream(&rows, &len) : NULL;
	unsigned n_fixed = 0, n_applied = 0;

	if (rc == RT_EXIT_OK && !fp) {
		cli_error(c, "out of memory");
		rc = RT_EXIT_FAIL;
	}
	for (unsigned i = 0; fp && i < s->n_revisions; i++) {
		if (!applied[i])
			continue;
		n_applied++;
		const struct rt_revision *r = &s->revisions[i];
		const struct ledger_row *row = g.lg.exists ? &g.lg.rows[i] : NULL;
		enum ledger_state st = ledger_state_of(r, row);
		if (st == LEDGER_MATCH)
			continue;
		char was[256];
		if (st == LEDGER_UNVERIFIED)
			snprintf(was, sizeof(was), "no checksum on record");
		else
			snprintf(was, sizeof(was), "was %s:%s", row->algo, row->checksum);
		struct ledger_entry en = {
			.rev = r, .direction = "repair", .status = "ok", .detail = was,
		};
		ledger_write_insert(fp, &g.d.vt, g.by, &en);
		fprintf(cli_info(c), "recording %s for '%s' (%s): %s\n", r->checksum, r->id, r->path, was);
		n_fixed++;
	}
	if (fp)
		fclose(fp);
	if (rc == RT_EXIT_OK && n_fixed == 0) {
		fprintf(cli_info(c), "nothing to repair: the %u applied revision%s match%s the log\n",
			n_applied, n_applied == 1 ? "" : "s", n_applied == 1 ? "es" : "");
	} else if (rc == RT_EXIT_OK) {
		/* Log rows only: a stamp from the heads to themselves changes no row. */
		struct plan p = { .heads = g.heads, .n_heads = g.n_heads };
		struct exec e = {
			.c = c, .db = &g.d, .vt = &g.d.vt, .create_log = ledger_needs_create(&g.lg), .by = g.by,
		};
		rc = guard_finish(&g, c, exec_stamp(&e, g.heads, g.n_heads, &p, rows, false));
		if (rc == RT_EXIT_OK)
			fprintf(cli_info(c), "recorded %u checksum%s in %s\n", n_fixed,
				n_fixed == 1 ? "" : "s", g.d.vt.log_shown);
	}
	free(rows);
	free(applied);
	guard_close(&g);
	return rc;
}
