/*
 * pyeval.h - static evaluation of an Alembic script's module and of its
 * upgrade()/downgrade() bodies
 *
 * What is known at build time is computed: literals, module constants,
 * locals bound to them, string formatting, loops over literal sequences,
 * same-file helpers, enum.Enum classes, 'if' on the dialect name (always
 * PostgreSQL). SQLAlchemy constructors (sa.Column, sa.String(50), ...) are
 * kept as symbolic objects for pyops.h to render. Everything that needs the
 * database or the application at run time is an error at its position.
 *
 * The evaluator's files and what they share: pyevalint.h (private).
 */
#ifndef GEN_PYEVAL_H
#define GEN_PYEVAL_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "pyparse.h"
#include "rev.h"

enum pv {
	PV_NONE,
	PV_BOOL,     /* i */
	PV_INT,      /* i */
	PV_FLOAT,    /* d; s: as written */
	PV_STR,      /* s/len; flag: PVF_CONV */
	PV_LIST,     /* v/n */
	PV_TUPLE,    /* v/n */
	PV_DICT,     /* v: keys; w: values */
	PV_REF,      /* s: dotted name of something imported (module, class, function) */
	PV_OBJ,      /* s: canonical constructor ("sa.Column", "pg.ENUM", "func.now");
	                v: positional arguments; w/kw: keyword arguments; self: receiver */
	PV_METHOD,   /* s: method name; self: the object it is bound to */
	PV_FUNC,     /* fn: a DEF or LAMBDA node defined in this file */
	PV_ENUMCLASS,/* s: class name; v: members (PV_ENUMMEMBER) */
	PV_ENUMMEMBER,/* s: member name; self: its value */
	PV_BIND,     /* op.get_bind() */
	PV_CONTEXT,  /* op.get_context() */
	PV_DIALECT,  /* bind.dialect */
	PV_BATCH,    /* the batch_op of 'with op.batch_alter_table(...)': s: table */
	PV_CTXMGR,   /* s: "autocommit" or "batch" (self: the PV_BATCH) */
	PV_SQL,      /* s: an SQL expression already rendered (columns, comparisons) */
	PV_COLS,     /* table.c: self is the table */
	PV_UNKNOWN,  /* not static: s is why, off where, why its kind; reported when used */
};

/* Kinds of PV_UNKNOWN that the evaluator acts on. */
enum pvwhy {
	PVW_OTHER,
	PVW_RESULT,  /* the result of conn.execute(): a statement may drop it */
};

/* struct pyval's flag: one bit per meaning, each for one kind of value. */
enum pvflag {
	PVF_CONV = 0x1u,      /* PV_STR: op.f(): a name taken as final */
	PVF_REPORTED = 0x2u,  /* PV_UNKNOWN: its error is out; not reported again */
	PVF_GROUPED = 0x4u,   /* PV_SQL: a binary expression, parenthesised where
	                         SQLAlchemy groups it (UPDATE ... SET c=(a + b)) */
	PVF_APP = 0x8u,       /* PV_OBJ: the result of a call into the application */
	PVF_ENGINE = 0x10u,   /* PV_BIND: bind.engine, not bind.connection (has .name) */
};

struct pyval {
	enum pv k;
	unsigned flag;            /* enum pvflag bits */
	size_t off;
	long long i;
	double d;
	const char *s;
	size_t len;
	struct pyval **v;
	size_t n;
	struct pyval **w;
	const char **kw;
	size_t nw;
	struct pyval *self;
	const struct pynode *fn;
	struct scope *closure;
	unsigned order;           /* creation order of constraints and indexes */
	enum pvwhy why;           /* PV_UNKNOWN: its kind */
	unsigned sqk;             /* PV_SQL: what its SQLAlchemy type is (SQK_ in
	                             pyexpr.c), and SQK_QUALIFIED */
};

/* PV_SQL's sqk: it holds a table-qualified column (t.c.x), which DDL
 * would write without its table. */
enum { SQK_QUALIFIED = 0x100u };

/* A type the application defines, mapped to SQL by retort.ini [types]. */
struct pytypemap {
	const char **name, **sql;
	size_t n;
	const char *path;         /* the ini file, for messages; NULL: none */
	/* [naming_convention]: target_metadata's, by kind (enum pyconv); NULL
	 * where the kind has none. Not declared: SQLAlchemy's default. */
	const char *conv[5];
	bool conv_declared;
};

enum pyconv { PYCONV_IX, PYCONV_UQ, PYCONV_CK, PYCONV_FK, PYCONV_PK };

/* What the folder's retort.ini says about its .py revisions. */
struct pyconfig {
	struct pytypemap types;   /* [types], [naming_convention] */
	const char **cname;       /* [constants]: a dotted path or a last name */
	struct pyval **cval;      /* its value: bool, int, None or str */
	size_t nconst;
	const char **ename;       /* [enums]: an application enum.Enum class, */
	struct pyval **eclass;    /* its members (PV_ENUMCLASS; values unknown) */
	size_t nenum;
};

/* Bounds of the evaluation of one file: a small hostile script must end in
 * an error naming the bound, never take the machine. Each is far above
 * what the revisions of public histories use. */
enum {
	PYEVAL_MAX_STEPS = 2000000,        /* expressions and statements evaluated */
	PYEVAL_MAX_CALL_DEPTH = 50,        /* helper functions called from helpers */
	PYEVAL_MAX_STR = 16 << 20,         /* bytes of one string */
	PYEVAL_MAX_ITEMS = 100000,         /* items of one list, tuple or dict */
	PYEVAL_MAX_NESTING = 100,          /* lists in lists, as str() and == walk them */
	PYEVAL_MAX_MEMORY = 256 << 20,     /* bytes allocated while evaluating */
	PYEVAL_MAX_OUTPUT = 64 << 20,      /* bytes of SQL emitted */
};

struct pyeval;

/* Evaluates module `m`. Module-level code that is not static is remembered,
 * reported only if a body uses it. Returns the number of errors. */
struct pyeval *pyeval_module(struct arena *a, const struct pymodule *m,
			     const struct pyconfig *cfg);
/* A module-level name's value, or NULL. */
struct pyval *pyeval_global(struct pyeval *ev, const char *name);
/* Offset where a module-level name was bound (0 when unknown). */
size_t pyeval_global_off(struct pyeval *ev, const char *name);
/* Runs function `name` (absent: *present = false), appending its statements
 * to *out. Returns the number of errors reported. */
unsigned pyeval_run(struct pyeval *ev, const char *name, struct stmt_list *out, bool *present);

#endif
