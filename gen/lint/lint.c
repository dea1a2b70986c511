/*
 * lint.c - parse every statement, run the rules, apply ignores, report
 */
#include "lint/lint.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <ini.h>

#include "diag.h"
#include "graph.h"
#include "migration.h"
#include "lint/parse.h"
#include "lint/rules.h"

/* `-- retort:ignore RULE[,RULE...] reason`, found in a revision's file. */
struct ignore {
	size_t pos;        /* of "retort:ignore" in the file */
	const struct stmt *st;  /* the statement it applies to (NULL: none follows);
	                           in a .py file, every statement of that op.* call */
	bool rules[LR__COUNT];
	bool reason;
};

/* The state of one run: a build lints one folder. */
static struct {
	struct arena *a;
	const struct lint_opts *o;
	struct lint_counts *counts;
	enum lint_sev sev[LR__COUNT];
	const char *ini_path;
	int ini_errors;
	struct ignore *ig;  /* of the revision being judged */
	size_t n_ig;
	struct strbuf json;
	size_t n_json;
} L;

static const char *const sev_names[] = { "off", "note", "warning", "error" };

/* ---- retort.ini [lint]: RULE = off|note|warning|error reason ------------------- */

static int on_ini(void *user, const char *section, const char *name, const char *value)
{
	(void)user;
	if (strcmp(section, "lint") != 0)
		return 1;
	int r = lint_rule_find(name, strlen(name));
	if (r < 0) {
		diag_plain(DIAG_WARNING, L.ini_path, "[lint] names no rule '%s' [bad-ignore]", name);
		diag_hint("docs/lint.md lists the rules");
		L.counts->warnings++;
		return 1;
	}
	size_t w = strcspn(value, " \t");
	int sev = -1;
	for (int i = 0; i < 4; i++)
		if (strlen(sev_names[i]) == w && strncasecmp(value, sev_names[i], w) == 0)
			sev = i;
	if (sev < 0) {
		diag_plain(DIAG_ERROR, L.ini_path, "[lint] %s = '%s': not off, note, warning or error",
			   name, value);
		L.ini_errors++;
		return 1;
	}
	const char *reason = value + w + strspn(value + w, " \t");
	if (sev < (int)lint_rules[r].sev && !*reason) {
		diag_plain(DIAG_WARNING, L.ini_path, "[lint] %s = %s gives no reason [bad-ignore]",
			   name, sev_names[sev]);
		diag_hint("write why after the level: %s = %s the tables here are small", name,
			  sev_names[sev]);
		L.counts->warnings++;
	}
	L.sev[r] = (enum lint_sev)sev;
	return 1;
}

static int read_config(const char *dir)
{
	for (int i = 0; i < LR__COUNT; i++)
		L.sev[i] = lint_rules[i].sev;
	/* Shown as the files of the folder are: relative to it. */
	L.ini_path = "retort.ini";
	int rc = ini_parse(arena_printf(L.a, "%s/retort.ini", dir), on_ini, NULL);
	if (rc > 0) {
		diag_plain(DIAG_ERROR, L.ini_path, "line %d: not an ini line", rc);
		return -1;
	}
	return L.ini_errors ? -1 : 0;
}

/* ---- reporting ---------------------------------------------------------------- */

static void json_str(struct strbuf *sb, const char *s)
{
	sb_addch(sb, '"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			sb_addf(sb, "\\%c", c);
		else if (c == '\n')
			sb_addstr(sb, "\\n");
		else if (c < 0x20)
			sb_addf(sb, "\\u%04x", c);
		else
			sb_addch(sb, (char)c);
	}
	sb_addch(sb, '"');
}

static bool ignored(const struct lint_stmt *s, enum lint_rule r)
{
	for (size_t i = 0; i < L.n_ig; i++)
		if (L.ig[i].st && L.ig[i].st->off == s->st->off && L.ig[i].rules[r])
			return true;
	return false;
}

static bool is_py_file(const struct src_file *f)
{
	size_t n = strlen(f->path);
	return n > 3 && strcmp(f->path + n - 3, ".py") == 0;
}

/* One finding at file offset `off`, shown or collected. */
static void emit(const struct rev *rev, enum lint_rule r, enum lint_sev sev, size_t off,
		 const char *msg, const char *hint, const char *detail)
{
	if (sev == LINT_ERROR)
		L.counts->errors++;
	else if (sev == LINT_WARNING)
		L.counts->warnings++;
	else
		L.counts->notes++;
	if (!L.o->json) {
		enum diag_level lv = sev == LINT_ERROR ? DIAG_ERROR :
				     sev == LINT_WARNING ? DIAG_WARNING : DIAG_NOTE;
		diag_at(lv, rev->file, off, "%s [%s]", msg, lint_rules[r].name);
		if (detail)
			diag_detail("%s", detail);
		if (hint)
			diag_hint("%s", hint);
		return;
	}
	unsigned line, col;
	src_linecol(rev->file, off, &line, &col);
	struct strbuf *sb = &L.json;
	sb_addstr(sb, L.n_json++ ? ",\n  {" : "\n  {");
	sb_addstr(sb, "\"rule\": ");
	json_str(sb, lint_rules[r].name);
	sb_addf(sb, ", \"severity\": \"%s\", \"path\": ", sev_names[sev]);
	json_str(sb, rev->file->path);
	sb_addf(sb, ", \"line\": %u, \"column\": %u, \"revision\": ", line, col);
	json_str(sb, rev->id);
	sb_addstr(sb, ", \"message\": ");
	json_str(sb, msg);
	if (detail) {
		sb_addstr(sb, ", \"detail\": ");
		json_str(sb, detail);
	}
	if (hint) {
		sb_addstr(sb, ", \"hint\": ");
		json_str(sb, hint);
	}
	sb_addch(sb, '}');
}

static enum lint_sev effective(enum lint_rule r)
{
	enum lint_sev sev = L.sev[r];
	return sev == LINT_WARNING && L.o->werror ? LINT_ERROR : sev;
}

void lint_report(const struct lint_stmt *s, enum lint_rule r, size_t at, const char *hint,
		 const char *fmt, ...)
{
	enum lint_sev sev = effective(r);
	if (!s->judged || sev == LINT_OFF || ignored(s, r))
		return;
	struct strbuf msg = STRBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	sb_vaddf(&msg, fmt, ap);
	va_end(ap);
	/* Rendered SQL of a .py call has no place in the file: point at the call. */
	size_t off = s->st->off;
	at += s->base;
	if (!is_py_file(s->rev->file) && at < s->st->len)
		off += at;
	emit(s->rev, r, sev, off, msg.buf, hint, NULL);
	sb_release(&msg);
}

/* ---- ignores -------------------------------------------------------------------- */

static const char directive[] = "retort:ignore";

/* The statement a directive at `pos` applies to: the one holding it, else the next. */
static const struct stmt *stmt_for(const struct rev *r, size_t pos, bool py)
{
	const struct stmt *best = NULL;
	const struct stmt_list *lists[2] = { &r->up, &r->down };

	for (int k = 0; k < 2; k++) {
		for (size_t i = 0; i < lists[k]->n; i++) {
			const struct stmt *st = &lists[k]->v[i];
			bool after = py ? st->off > pos : st->off + st->len > pos;
			if (after && (!best || st->off < best->off))
				best = st;
		}
	}
	return best;
}

/* Reads the directives of r's file; warns (when judged) about bad ones. */
static void read_ignores(const struct rev *r, bool judged)
{
	const struct src_file *f = r->file;
	const char *p = f->text, *end = f->text + f->len;
	bool py = is_py_file(f);
	size_t cap = 0;

	L.n_ig = 0;
	/* The text has a NUL after it, and none inside (folder.c refuses those). */
	while ((p = strstr(p, directive)) != NULL) {
		size_t pos = (size_t)(p - f->text);
		/* Only in a comment: "--" or "#", then blanks, then the directive. */
		const char *q = p;
		while (q > f->text && (q[-1] == ' ' || q[-1] == '\t'))
			q--;
		bool comment = py ? q > f->text && q[-1] == '#'
				  : q - f->text >= 2 && q[-1] == '-' && q[-2] == '-';
		p += sizeof directive - 1;
		if (!comment)
			continue;
		arena_grow(L.a, &L.ig, &cap, L.n_ig + 1, sizeof *L.ig);
		struct ignore *ig = &L.ig[L.n_ig++];
		memset(ig, 0, sizeof *ig);
		ig->pos = pos;
		ig->st = stmt_for(r, pos, py);
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		bool any = false;
		for (;;) {
			const char *b = p;
			while (p < end && (*p == '-' || (*p >= 'a' && *p <= 'z')))
				p++;
			int rule = lint_rule_find(b, (size_t)(p - b));
			if (rule < 0) {
				size_t n = strcspn(b, " \t\r\n,");
				if (judged && effective(LR_BAD_IGNORE) != LINT_OFF) {
					char *msg = arena_printf(L.a, "'retort:ignore' names no rule "
								 "'%.*s'", (int)n, b);
					emit(r, LR_BAD_IGNORE, effective(LR_BAD_IGNORE),
					     (size_t)(b - f->text), msg, "docs/lint.md lists the rules",
					     NULL);
				}
				p = b + n;
			} else {
				ig->rules[rule] = true;
				any = true;
			}
			if (p < end && *p == ',') {
				p++;
				continue;
			}
			break;
		}
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		ig->reason = p < end && *p != '\n' && *p != '\r';
		if (any && !ig->reason && judged && effective(LR_BAD_IGNORE) != LINT_OFF)
			emit(r, LR_BAD_IGNORE, effective(LR_BAD_IGNORE), pos,
			     "'retort:ignore' without a reason", "say why after the rule's name: "
			     "-- retort:ignore RULE the table is created empty", NULL);
	}
}

/* ---- the run ---------------------------------------------------------------------- */

/* Parses one statement into *p, reporting a syntax error. */
static void parse_one(const struct lint_stmt *s, bool upgrade, struct lint_parsed *p)
{
	memset(p, 0, sizeof *p);
	if (L.sev[LR_SYNTAX_ERROR] == LINT_OFF || ignored(s, LR_SYNTAX_ERROR))
		return;
	bool tree = lint_wants_tree(s->st->sql, s->st->len, upgrade);
	if (lint_parse(s->st->sql, s->st->len, tree, p) == 0 || !s->judged)
		return;
	if (is_py_file(s->rev->file)) {
		struct strbuf d = STRBUF_INIT;
		sb_addf(&d, "in the SQL this call renders, at byte %zu: %.*s%s", p->err_off + 1,
			s->st->len > 200 ? 200 : (int)s->st->len, s->st->sql,
			s->st->len > 200 ? "..." : "");
		emit(s->rev, LR_SYNTAX_ERROR, effective(LR_SYNTAX_ERROR), s->st->off, p->message,
		     NULL, d.buf);
		sb_release(&d);
	} else {
		emit(s->rev, LR_SYNTAX_ERROR, effective(LR_SYNTAX_ERROR), s->st->off + p->err_off,
		     p->message, NULL, NULL);
	}
}

/* Which revisions descend from `since` (through Revises and Depends On). */
static bool *after(struct rev **revs, size_t n, long since)
{
	bool *mark = arena_alloc(L.a, n + 1);
	bool *in = arena_alloc(L.a, n + 1);

	in[since] = true;
	for (size_t i = (size_t)since + 1; i < n; i++) {
		const struct rev *r = revs[i];
		for (size_t j = 0; j < r->parents.n && !in[i]; j++)
			in[i] = in[r->parent_ix[j]];
		for (size_t j = 0; j < r->depends.n && !in[i]; j++)
			in[i] = in[r->depend_ix[j]];
		mark[i] = in[i];
	}
	return mark;
}

int lint_folder(struct arena *a, const char *dir, struct rev **revs, size_t n,
		const struct lint_opts *o, struct lint_counts *out)
{
	struct lint_counts counts = { 0 };
	bool *judge = NULL;

	memset(&L, 0, sizeof L);
	L.a = a;
	L.o = o;
	L.counts = &counts;
	if (read_config(dir))
		return -1;
	if (o->since) {
		long s = graph_find(revs, n, o->since);
		if (s < 0)
			return -1;
		judge = after(revs, n, s);
	}

	struct lint_facts *lf = lint_facts_new(a);
	for (size_t i = 0; i < n; i++) {
		const struct rev *r = revs[i];
		bool judged = !judge || judge[i];
		read_ignores(r, judged);
		lint_rev_begin(lf, r, judge && judged);
		for (int k = 0; k < 2; k++) {
			const struct stmt_list *sl = k ? &r->down : &r->up;
			for (size_t j = 0; j < sl->n; j++) {
				struct lint_parsed p;
				struct lint_stmt s = {
					.rev = r, .ix = j, .st = &sl->v[j], .judged = judged,
					.in_transaction = r->transactional &&
							  !(sl->v[j].flags & RT_STMT_AUTOCOMMIT),
				};
				parse_one(&s, k == 0, &p);
				size_t nodes = p.tree ? p.tree->n_stmts : 0;
				for (size_t m = 0; m < nodes || m == 0; m++) {
					if (m < nodes) {
						s.node = p.tree->stmts[m]->stmt;
						s.base = (size_t)p.tree->stmts[m]->stmt_location;
					}
					if (k == 0)
						lint_check(lf, &s);
					else
						lint_check_down(&s);
				}
				lint_parsed_free(&p);
			}
			if (k == 0)
				lint_rev_end(lf);
		}
	}
	lint_facts_end(lf);
	if (o->json) {
		printf("{\"findings\": [%s%s], \"errors\": %u, \"warnings\": %u, \"notes\": %u}\n",
		       L.json.buf ? L.json.buf : "", L.n_json ? "\n" : "", counts.errors,
		       counts.warnings, counts.notes);
		sb_release(&L.json);
	}
	if (out)
		*out = counts;
	return 0;
}
