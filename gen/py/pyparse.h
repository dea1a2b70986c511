/*
 * pyparse.h - recursive-descent parser for the Python subset of Alembic
 * scripts, building a small AST in the arena
 *
 * The parser accepts Python's statement and expression grammar broadly, so
 * that a construct the evaluator cannot run is reported where it is used,
 * not where it is merely defined (an unused helper with a 'try' is fine).
 * What it cannot even parse (async, match, decorators with arguments that
 * matter, ...) is an error at its position.
 */
#ifndef GEN_PYPARSE_H
#define GEN_PYPARSE_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "diag.h"

/* Nested expressions the parser accepts (CPython: 200 brackets). */
enum { PYPARSE_MAX_DEPTH = 200 };

#define X_PYNODES \
	/* expressions */ \
	X(NAME)      /* s: identifier */ \
	X(NUM)       /* s: the literal as written */ \
	X(STR)       /* s/len: decoded value; flag: PYSTR_* */ \
	X(FSTR)      /* v: STR and FIELD parts */ \
	X(FIELD)     /* a: expression; s: conversion ("r", "s", "a") or NULL; b: FSTR spec or NULL */ \
	X(CONST)     /* s: "None", "True", "False", "..." */ \
	X(ATTR)      /* a: object; s: attribute */ \
	X(CALL)      /* a: callee; v: positional (STARRED for *x); w/names: keywords (name NULL for **x) */ \
	X(SUBSCRIPT) /* a: object; b: index */ \
	X(SLICE)     /* a, b, c: start, stop, step, each may be NULL */ \
	X(LIST)      /* v */ \
	X(TUPLE)     /* v */ \
	X(SET)       /* v */ \
	X(DICT)      /* v: keys (NULL for **x); w: values */ \
	X(BINOP)     /* s: operator; a, b */ \
	X(UNARY)     /* s: "-", "+", "~", "not"; a */ \
	X(BOOLOP)    /* s: "and", "or"; a, b */ \
	X(COMPARE)   /* s: operator ("==", "in", "not in", "is not", ...); a, b */ \
	X(IFEXP)     /* a: value if b, else c */ \
	X(COMP)      /* s: "list", "set", "dict", "gen"; a: element (b: dict value); v: FOR/IF clauses */ \
	X(COMPFOR)   /* a: target; b: iterable */ \
	X(COMPIF)    /* a: condition */ \
	X(STARRED)   /* s: "*" or "**"; a */ \
	X(LAMBDA)    /* a: body (not evaluated) */ \
	X(OTHEREXPR) /* s: what it is ("yield", "await", ":="): never evaluated */ \
	/* statements */ \
	X(EXPR)      /* a */ \
	X(ASSIGN)    /* v: targets (a = b = value); a: value */ \
	X(AUGASSIGN) /* s: operator ("+="); a: target; b: value */ \
	X(ANNASSIGN) /* a: target; b: annotation; c: value or NULL */ \
	X(PASS) \
	X(BREAK) \
	X(CONTINUE) \
	X(RETURN)    /* a or NULL */ \
	X(IF)        /* a: condition; v: body; w: else body (an elif is an IF alone in it) */ \
	X(FOR)       /* a: target; b: iterable; v: body; w: else body */ \
	X(WITH)      /* v: context expressions; w: their 'as' targets (NULL entries); c: BLOCK */ \
	X(BLOCK)     /* v: statements */ \
	X(DEF)       /* s: name; names/w: parameters and defaults; v: body; b: return annotation */ \
	X(CLASS)     /* s: name; w: bases and keywords; v: body */ \
	X(IMPORT)    /* names: dotted modules; names2: 'as' names or NULL */ \
	X(FROM)      /* s: module (with leading dots); names, names2 as for IMPORT ("*" for star) */ \
	X(OTHERSTMT) /* s: keyword ("try", "while", "raise", ...): never executed */

enum pyk {
#define X(k) PY_##k,
	X_PYNODES
#undef X
};

/* A DEF or CLASS under a decorator: its behaviour is the decorator's. */
enum { PYN_DECORATED = 0x1u };

struct pynode {
	enum pyk kind;
	size_t off;               /* byte offset of its first token */
	const char *s;
	size_t len;               /* of s (strings may hold NUL bytes) */
	unsigned flag;            /* STR: PYSTR_*; DEF, CLASS: PYN_DECORATED */
	struct pynode *a, *b, *c;
	struct pynode **v, **w;
	size_t n, nw;
	const char **names, **names2;
	size_t nnames;
};

struct pymodule {
	const struct src_file *f;
	struct pynode *body;      /* a BLOCK */
	const char *docstring;    /* the module docstring, or NULL */
	size_t doc_off;
};

/* Parses the whole file. Reports syntax errors through diag_at and returns
 * their number (the module is then incomplete). */
unsigned pyparse_module(struct arena *a, const struct src_file *f, struct pymodule *out);

/* Name of a node kind, for errors and dumps. */
const char *pyparse_kind_name(enum pyk k);

/* For tests: the AST as an S-expression, one statement per line. */
void pyparse_dump(const struct pymodule *m, struct strbuf *out);

#endif
