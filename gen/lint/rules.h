/*
 * rules.h - the migration linter's rules, one X-macro row each
 *
 *   X(ID, "name", default severity, "what it catches")
 *
 * The name is stable: it is what `-- retort:ignore NAME reason` and the
 * [lint] section of retort.ini refer to, and what docs/lint.md documents.
 * Only what certainly fails at deploy time is an error by default; hazards
 * are warnings; what the generator cannot judge alone is a note.
 */
#ifndef GEN_LINT_RULES_H
#define GEN_LINT_RULES_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "lint/parse.h"
#include "rev.h"

#define LINT_RULES(X) \
	X(SYNTAX_ERROR, "syntax-error", LINT_ERROR, \
	  "PostgreSQL's parser rejects the statement") \
	X(NEEDS_NO_TRANSACTION, "needs-no-transaction", LINT_ERROR, \
	  "a statement that cannot run inside a transaction block, in a transactional revision") \
	X(NON_TRANSACTIONAL_SEVERAL, "non-transactional-several", LINT_WARNING, \
	  "a non-transactional revision with several statements") \
	X(REQUIRE_CONCURRENT_INDEX, "require-concurrent-index", LINT_WARNING, \
	  "CREATE INDEX without CONCURRENTLY on an existing table") \
	X(REQUIRE_CONCURRENT_INDEX_DROP, "require-concurrent-index-drop", LINT_WARNING, \
	  "DROP INDEX without CONCURRENTLY") \
	X(CONSTRAINT_NOT_VALID, "constraint-not-valid", LINT_WARNING, \
	  "a FOREIGN KEY or CHECK constraint validated while it is added to an existing table") \
	X(SET_NOT_NULL, "set-not-null", LINT_WARNING, \
	  "SET NOT NULL on an existing table without a validated CHECK (col IS NOT NULL)") \
	X(COLUMN_TYPE_REWRITE, "column-type-rewrite", LINT_WARNING, \
	  "ALTER COLUMN ... TYPE that rewrites an existing table") \
	X(VOLATILE_DEFAULT, "volatile-default", LINT_WARNING, \
	  "ADD COLUMN whose default must be computed per row, rewriting the table") \
	X(CONSTRAINT_WITHOUT_INDEX, "constraint-without-index", LINT_WARNING, \
	  "a PRIMARY KEY or UNIQUE constraint added to an existing table without a prebuilt index") \
	X(RENAME_TABLE, "rename-table", LINT_WARNING, \
	  "renaming a table the running release uses") \
	X(RENAME_COLUMN, "rename-column", LINT_WARNING, \
	  "renaming a column the running release uses") \
	X(DROP_TABLE, "drop-table", LINT_WARNING, \
	  "dropping a table the running release may use") \
	X(DROP_COLUMN, "drop-column", LINT_WARNING, \
	  "dropping a column the running release may use") \
	X(ENUM_VALUE_SAME_TRANSACTION, "enum-value-same-transaction", LINT_WARNING, \
	  "an enum value added by ALTER TYPE ... ADD VALUE used in the same transaction") \
	X(SESSION_SETTING, "session-setting", LINT_WARNING, \
	  "a session-level SET that outlives its revision") \
	X(TRANSACTION_CONTROL, "transaction-control", LINT_WARNING, \
	  "BEGIN, COMMIT or ROLLBACK inside a revision") \
	X(LOCK_TIMEOUT, "lock-timeout", LINT_NOTE, \
	  "a revision that takes a blocking lock on an existing table without a lock_timeout") \
	X(BAD_IGNORE, "bad-ignore", LINT_WARNING, \
	  "an ignore without a reason, or naming no rule")

enum lint_sev { LINT_OFF, LINT_NOTE, LINT_WARNING, LINT_ERROR };

enum lint_rule {
#define X(id, name, sev, summary) LR_##id,
	LINT_RULES(X)
#undef X
	LR__COUNT
};

struct lint_rule_info {
	const char *name;
	enum lint_sev sev;
	const char *summary;
};

extern const struct lint_rule_info lint_rules[LR__COUNT];

/* The rule called `name` (length n), or -1. */
int lint_rule_find(const char *name, size_t n);

/* ---- what the rules see ---------------------------------------------------- */

struct lint_facts;  /* what the graph has done so far: tables, columns, checks */

/* One upgrade statement being judged. */
struct lint_stmt {
	const struct rev *rev;
	size_t ix;                     /* in rev->up */
	const struct stmt *st;
	const PgQuery__Node *node;     /* NULL: only syntax-checked */
	size_t base;                   /* where node's text starts in st->sql (a
	                                  .py call may render several statements) */
	bool in_transaction;           /* runs inside the revision's transaction */
	bool judged;                   /* report problems (else only learn facts) */
};

/*
 * Reports rule `r` about the statement (at byte `at` of its SQL; 0 for its
 * start): message, then an optional hint. Implemented by lint.c, which
 * applies ignores and severities.
 */
void lint_report(const struct lint_stmt *s, enum lint_rule r, size_t at, const char *hint,
		 const char *fmt, ...) __attribute__((format(printf, 5, 6)));

struct lint_facts *lint_facts_new(struct arena *a);
/* Frees what lives outside the arena. */
void lint_facts_end(struct lint_facts *lf);

/*
 * Per revision: lint_rev_begin(), then lint_check() for each upgrade
 * statement in order (node NULL when not parsed), then lint_rev_end().
 * `fresh` tells whether tables created by earlier revisions of this
 * revision's kind count as new (--since: they are created in the same run).
 */
void lint_rev_begin(struct lint_facts *lf, const struct rev *r, bool fresh);
void lint_check(struct lint_facts *lf, const struct lint_stmt *s);
void lint_rev_end(struct lint_facts *lf);

/* Downgrade statements: only what certainly fails. */
void lint_check_down(const struct lint_stmt *s);

#endif
