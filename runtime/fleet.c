/*
 * fleet.c - schedule a command over a fleet's targets, and sum up
 */
#define _GNU_SOURCE /* memmem, pipe2 */
#include "fleet.h"

#include <errno.h>
#include <fcntl.h>
#include <libpq-fe.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "config.h"
#include "duration.h"
#include "json.h"

/* ---- options ------------------------------------------------------------- */

enum { FO_TARGETS, FO_TENANT_SCHEMAS, FO_TARGETS_QUERY, FO_JOBS, FO_CANARY, FO_MAX_FAILURES,
       FO_SHARD, FO_SHARDS, FO_JSON };

static const char *const fo_names[] = {
	"targets", "tenant-schemas", "targets-query", "jobs", "canary", "max-failures",
	"shard", "shards", "json",
};

/* The commands that run over a fleet. */
static const char *const fleet_commands[] = { "check", "current", "downgrade", "stamp", "upgrade" };

bool fleet_option(size_t i, const char **name, bool *has_arg)
{
	if (i >= sizeof(fo_names) / sizeof(fo_names[0]))
		return false;
	*name = fo_names[i];
	*has_arg = i != FO_JSON;
	return true;
}

bool fleet_command(const char *cmd)
{
	for (size_t i = 0; i < sizeof(fleet_commands) / sizeof(fleet_commands[0]); i++)
		if (strcmp(cmd, fleet_commands[i]) == 0)
			return true;
	return false;
}

static bool parse_long(const char *s, long min, long *out)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min)
		return false;
	*out = v;
	return true;
}

void fleet_help(FILE *fp)
{
	fputs("\nFleet options (upgrade, downgrade, stamp, check, current; docs/fleet.md):\n"
	      "      --targets FILE             one target a line: a URL, or a schema of the\n"
	      "                                 configured database ('-': stdin)\n"
	      "      --tenant-schemas PATTERN   every schema whose name is LIKE PATTERN\n"
	      "      --targets-query SQL        the first column of SQL's rows, run on the\n"
	      "                                 configured database\n"
	      "      --jobs N                   targets at once (default 4)\n"
	      "      --canary K                 run K targets first; stop if one fails\n"
	      "      --max-failures F           start no target after F failures\n"
	      "      --shard I/N                only the targets whose hash is I mod N\n"
	      "      --shards N                 the same, I from $JOB_COMPLETION_INDEX\n"
	      "      --json                     one object per target, then a summary\n", fp);
}

int fleet_args(struct fleet_opts *o, const struct cli *c, int *argc, char **argv)
{
	bool want_json = false, has_shard = false, has_jobs = false;
	long shard_n = 0;
	int k = 1;

	memset(o, 0, sizeof(*o));
	o->jobs = 4;
	o->max_failures = -1;
	for (int i = 1; i < *argc; i++) {
		const char *a = argv[i];
		size_t which = sizeof(fo_names) / sizeof(fo_names[0]);
		const char *val = NULL;

		if (strcmp(a, "--") == 0) {
			while (i < *argc)
				argv[k++] = argv[i++];
			break;
		}
		if (a[0] == '-' && a[1] == '-') {
			for (size_t n = 0; n < sizeof(fo_names) / sizeof(fo_names[0]); n++) {
				size_t len = strlen(fo_names[n]);
				if (strncmp(a + 2, fo_names[n], len) == 0 &&
				    (a[2 + len] == '\0' || a[2 + len] == '=')) {
					which = n;
					val = a[2 + len] == '=' ? a + 3 + len : NULL;
					break;
				}
			}
		}
		if (which == sizeof(fo_names) / sizeof(fo_names[0])) {
			argv[k++] = argv[i];
			continue;
		}
		if (which == FO_JSON) {
			/* Only the fleet's when there is a fleet: decided below. */
			want_json = true;
			argv[k++] = argv[i];
			continue;
		}
		if (!val) {
			if (i + 1 >= *argc)
				return cli_usage_error(c, NULL, "option '--%s' requires an argument",
						       fo_names[which]);
			val = argv[++i];
		}
		switch (which) {
		case FO_TARGETS:
			o->src.file = val;
			break;
		case FO_TENANT_SCHEMAS:
			o->src.schema_pattern = val;
			break;
		case FO_TARGETS_QUERY:
			o->src.query = val;
			break;
		case FO_JOBS:
			if (!parse_long(val, 1, &o->jobs) || o->jobs > 256)
				return cli_usage_error(c, NULL, "--jobs takes a number from 1 to 256, not '%s'", val);
			has_jobs = true;
			break;
		case FO_CANARY:
			if (!parse_long(val, 1, &o->canary))
				return cli_usage_error(c, NULL, "--canary takes a positive number, not '%s'", val);
			break;
		case FO_MAX_FAILURES:
			if (!parse_long(val, 1, &o->max_failures))
				return cli_usage_error(c, NULL, "--max-failures takes a positive number, not '%s'", val);
			break;
		case FO_SHARD: {
			const char *slash = strchr(val, '/');
			char num[32];
			if (!slash || (size_t)(slash - val) >= sizeof(num))
				return cli_usage_error(c, NULL, "--shard takes I/N, e.g. 0/4, not '%s'", val);
			memcpy(num, val, (size_t)(slash - val));
			num[slash - val] = '\0';
			if (!parse_long(num, 0, &o->shard) || !parse_long(slash + 1, 1, &o->shards) ||
			    o->shard >= o->shards)
				return cli_usage_error(c, NULL, "--shard takes I/N with 0 <= I < N, not '%s'", val);
			has_shard = true;
			break;
		}
		case FO_SHARDS:
			if (!parse_long(val, 1, &shard_n))
				return cli_usage_error(c, NULL, "--shards takes a positive number, not '%s'", val);
			break;
		}
	}
	*argc = k;
	argv[k] = NULL;
	o->active = o->src.file || o->src.schema_pattern || o->src.query;
	if (!o->active) {
		if (has_shard || shard_n || o->canary || o->max_failures > 0 || has_jobs)
			return cli_usage_error(c, NULL, "--jobs, --canary, --max-failures and --shard(s) "
					       "need a fleet: --targets, --tenant-schemas or --targets-query");
		return RT_EXIT_OK;
	}
	if (shard_n && has_shard && shard_n != o->shards)
		return cli_usage_error(c, NULL, "--shards %ld disagrees with --shard %ld/%ld",
				       shard_n, o->shard, o->shards);
	if (shard_n && !has_shard) {
		const char *ix = getenv("JOB_COMPLETION_INDEX");
		if (!ix || !*ix)
			return cli_usage_error(c, NULL, "--shards needs --shard I/N or JOB_COMPLETION_INDEX "
					       "(set by a Kubernetes Indexed Job)");
		if (!parse_long(ix, 0, &o->shard) || o->shard >= shard_n)
			return cli_usage_error(c, NULL, "JOB_COMPLETION_INDEX '%s' is not a shard of %ld",
					       ix, shard_n);
		o->shards = shard_n;
	}
	if (want_json) {
		/* The fleet prints JSON itself; the per-target command runs without it. */
		o->json = true;
		k = 1;
		for (int i = 1; i < *argc; i++)
			if (strcmp(argv[i], "--json") != 0)
				argv[k++] = argv[i];
		*argc = k;
		argv[k] = NULL;
	}
	return RT_EXIT_OK;
}

/* ---- the child's record ---------------------------------------------------- */

#define REC_HEADS 16

/* Small enough for one atomic pipe write (PIPE_BUF). */
struct rec {
	int rc;
	int applied;         /* revisions run */
	int after_known;     /* after[] is the table as read back or as committed */
	int exists;          /* the version table existed at the first read */
	int n_before, n_after; /* -1: not read; more than REC_HEADS: only the first kept */
	unsigned before[REC_HEADS], after[REC_HEADS];
};

static struct {
	bool active;
	int reads;
	struct rec r;
} note;

static void copy_heads(unsigned *dst, int *n_dst, const unsigned *src, size_t n)
{
	*n_dst = (int)n;
	for (size_t i = 0; i < n && i < REC_HEADS; i++)
		dst[i] = src[i];
}

void fleet_note_heads(const unsigned *heads, size_t n, bool exists)
{
	if (!note.active)
		return;
	if (note.reads++ == 0) {
		copy_heads(note.r.before, &note.r.n_before, heads, n);
		note.r.exists = exists;
	}
	copy_heads(note.r.after, &note.r.n_after, heads, n);
	note.r.after_known = 1;
}

bool fleet_child(void)
{
	return note.active;
}

void fleet_note_plan(const struct plan *p, int rc)
{
	if (!note.active)
		return;
	if (rc == RT_EXIT_OK) {
		note.r.applied = (int)p->n_steps;
		copy_heads(note.r.after, &note.r.n_after, p->heads, p->n_heads);
		note.r.after_known = 1;
	} else if ((rc == RT_EXIT_SQL || rc == RT_EXIT_CONNECT || rc == RT_EXIT_INTERRUPTED) &&
		   note.reads < 2) {
		/* Failed while running and not read back: it may stand anywhere committed. */
		note.r.after_known = 0;
	}
}

/* ---- running one target ---------------------------------------------------- */

/* search_path's value for a schema, quoted by SQL's rule, escaped for libpq's options. */
static char *search_path_option(const char *schema)
{
	const char *old = getenv("PGOPTIONS");
	size_t n = strlen(schema);
	char *out = malloc((old ? strlen(old) : 0) + 4 * n + 32), *p = out;

	if (!out)
		return NULL;
	p += sprintf(p, "%s%s-c search_path=", old ? old : "", old && *old ? " " : "");
	/* Always quoted: the name is used exactly as the list gave it. */
	*p++ = '"';
	for (const char *s = schema; *s; s++) {
		if (*s == '"')
			*p++ = '"';
		if (*s == ' ' || *s == '\\')
			*p++ = '\\';
		*p++ = *s;
	}
	*p++ = '"';
	*p = '\0';
	return out;
}

static void child(struct cli *c, const struct target *t, int out_fd, int rec_fd,
		  int (*fn)(struct cli *, int, char **), int argc, char **argv)
{
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	/* ^C on a terminal reaches the parent only; it forwards SIGTERM once. */
	setpgid(0, 0);
	dup2(out_fd, STDOUT_FILENO);
	dup2(out_fd, STDERR_FILENO);
	close(out_fd);

	memset(&note, 0, sizeof(note));
	note.active = true;
	note.r.n_before = note.r.n_after = -1;
	if (t->is_schema) {
		char *opt = search_path_option(t->spec);
		if (!opt) {
			cli_error(c, "out of memory");
			_exit(RT_EXIT_FAIL);
		}
		setenv("PGOPTIONS", opt, 1);
		c->version_schema = t->spec;
	} else {
		setenv("DATABASE_URL", t->spec, 1);
	}
	optind = 0;
	note.r.rc = fn(c, argc, argv);
	fflush(stdout);
	fflush(stderr);
	if (write(rec_fd, &note.r, sizeof(note.r)) != (ssize_t)sizeof(note.r))
		_exit(RT_EXIT_FAIL);
	_exit(note.r.rc);
}

/* ---- the parent ------------------------------------------------------------ */

static bool is_graph_head(const struct rt_set *s, const char *key);

enum status { ST_OK, ST_UNCHANGED, ST_BEHIND, ST_UNKNOWN, ST_DIRTY, ST_FAILED, ST_INTERRUPTED,
	      ST_NOT_RUN, ST_N };

static const char *const status_names[ST_N] = {
	"ok", "unchanged", "behind", "unknown", "dirty", "failed", "interrupted", "not_run",
};

struct result {
	enum status st;
	struct rec r;
	double ms;
};

#define OUT_CAP 65536

struct slot {
	pid_t pid;
	size_t t;            /* target index */
	int out_fd, rec_fd;
	char *buf;           /* the child's stdout and stderr, its last OUT_CAP bytes */
	size_t len;
	bool cut;
	double t0;
};

struct run {
	struct cli *c;
	const struct fleet_opts *o;
	const char *cmd;
	struct targets t;
	struct result *res;
	struct slot *slots;
	size_t running, finished, failures;
	bool progress;       /* a progress line is on the terminal */
	size_t progress_key; /* ... showing this state */
	bool tty;
};

static volatile sig_atomic_t stop_signal;

static void on_signal(int signo)
{
	stop_signal = signo;
}

static bool writing(const char *cmd)
{
	return strcmp(cmd, "check") != 0 && strcmp(cmd, "current") != 0;
}

static enum status classify(const char *cmd, const struct rec *r)
{
	if (r->rc == RT_EXIT_INTERRUPTED)
		return ST_INTERRUPTED;
	if (r->rc == RT_EXIT_UNKNOWN)
		return ST_UNKNOWN;
	if (r->rc == RT_EXIT_DIRTY)
		return ST_DIRTY;
	if (strcmp(cmd, "check") == 0 && r->rc == RT_EXIT_BEHIND)
		return ST_BEHIND;
	if (r->rc != RT_EXIT_OK)
		return ST_FAILED;
	if (strcmp(cmd, "upgrade") == 0 || strcmp(cmd, "downgrade") == 0)
		return r->applied ? ST_OK : ST_UNCHANGED;
	return ST_OK;
}

static const char *name_of(const struct target *t)
{
	return t->is_schema ? t->spec : t->desc;
}

static void heads_text(const struct rt_set *s, const unsigned *h, int n, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	if (n <= 0) {
		snprintf(buf, len, "base");
		return;
	}
	for (int i = 0; i < n && i < REC_HEADS; i++)
		used += (size_t)snprintf(buf + used, used < len ? len - used : 0, "%s%s", i ? "," : "",
					 s->revisions[h[i]].id);
	if (n > REC_HEADS && used < len)
		snprintf(buf + used, len - used, ",...");
}

static void clear_progress(struct run *r)
{
	if (r->progress) {
		fputs("\r\033[K", stderr);
		r->progress = false;
	}
}

static void show_progress(struct run *r)
{
	/* Redrawn when something changed, not each time a child prints. */
	size_t key = (r->finished * 1000003u + r->running) * 1000003u + r->failures + (stop_signal ? 7 : 0);
	if (!r->tty || r->o->json || (r->progress && key == r->progress_key))
		return;
	r->progress_key = key;
	fprintf(stderr, "\r\033[K[%zu/%zu] %zu running, %zu failed%s", r->finished, r->t.n,
		r->running, r->failures, stop_signal ? ", stopping" : "");
	r->progress = true;
}

/* The first "error:" or "ERROR:" line of a child's output, for the one-line report. */
static void first_error(const char *buf, char *out, size_t len)
{
	const char *p = buf;

	out[0] = '\0';
	while (p && *p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		if ((memmem(p, n, "error:", 6) || memmem(p, n, "ERROR:", 6))) {
			snprintf(out, len, "%.*s", (int)n, p);
			return;
		}
		p = nl ? nl + 1 : NULL;
	}
}

static void print_json_target(struct run *r, size_t i, const char *text)
{
	const struct rt_set *s = r->c->set;
	const struct result *x = &r->res[i];
	unsigned h[REC_HEADS];

	fputc('{', stdout);
	json_key(stdout, "target", true);
	json_str(stdout, r->t.v[i].desc);
	json_key(stdout, "schema", false);
	if (r->t.v[i].is_schema)
		json_str(stdout, r->t.v[i].spec);
	else
		fputs("null", stdout);
	json_key(stdout, "status", false);
	json_str(stdout, status_names[x->st]);
	json_key(stdout, "exit_code", false);
	fprintf(stdout, "%d", x->st == ST_NOT_RUN ? -1 : x->r.rc);
	json_key(stdout, "revisions", false);
	fprintf(stdout, "%d", x->r.applied);
	json_key(stdout, "before", false);
	if (x->r.n_before >= 0) {
		memcpy(h, x->r.before, sizeof(h));
		json_ids(stdout, s, h, (size_t)(x->r.n_before < REC_HEADS ? x->r.n_before : REC_HEADS));
	} else
		fputs("null", stdout);
	json_key(stdout, "current", false);
	if (x->r.n_after >= 0 && x->r.after_known) {
		memcpy(h, x->r.after, sizeof(h));
		json_ids(stdout, s, h, (size_t)(x->r.n_after < REC_HEADS ? x->r.n_after : REC_HEADS));
	} else
		fputs("null", stdout);
	json_key(stdout, "ms", false);
	fprintf(stdout, "%.0f", x->ms);
	json_key(stdout, "output", false);
	if (text && *text)
		json_str(stdout, text);
	else
		fputs("null", stdout);
	fputs("}\n", stdout);
	fflush(stdout);
}

static void print_target(struct run *r, size_t i, const char *text, bool cut)
{
	const struct rt_set *s = r->c->set;
	const struct result *x = &r->res[i];
	char heads[512], err[1024], what[1600];

	if (r->o->json) {
		print_json_target(r, i, x->st == ST_OK || x->st == ST_UNCHANGED ? NULL : text);
		return;
	}
	if (x->r.n_after >= 0 && x->r.after_known)
		heads_text(s, x->r.after, x->r.n_after, heads, sizeof(heads));
	else
		snprintf(heads, sizeof(heads), "an unknown revision");
	first_error(text, err, sizeof(err));
	switch (x->st) {
	case ST_OK:
		if (strcmp(r->cmd, "stamp") == 0)
			snprintf(what, sizeof(what), "stamped %s", heads);
		else if (!writing(r->cmd))
			snprintf(what, sizeof(what), "at %s (head)", heads);
		else
			snprintf(what, sizeof(what), "%d revision%s, now at %s", x->r.applied,
				 x->r.applied == 1 ? "" : "s", heads);
		break;
	case ST_UNCHANGED:
		snprintf(what, sizeof(what), "already at %s", heads);
		break;
	case ST_BEHIND:
		snprintf(what, sizeof(what), "behind, at %s", heads);
		break;
	case ST_INTERRUPTED:
		snprintf(what, sizeof(what), "interrupted, rolled back; at %s", heads);
		break;
	default:
		snprintf(what, sizeof(what), "%s (exit %d)%s%s", x->st == ST_UNKNOWN ? "unknown revision"
			 : x->st == ST_DIRTY ? "dirty" : "failed", x->r.rc, err[0] ? ": " : "", err);
		break;
	}
	clear_progress(r);
	printf("[%zu/%zu] %s: %s, %.0f ms\n", r->finished, r->t.n, name_of(&r->t.v[i]), what, x->ms);
	fflush(stdout);
	if (x->st != ST_OK && x->st != ST_UNCHANGED && x->st != ST_BEHIND && text && *text) {
		/* The whole story, indented under its target. */
		if (cut)
			fputs("    [... earlier output cut ...]\n", stderr);
		for (const char *p = text; *p;) {
			const char *nl = strchr(p, '\n');
			int n = nl ? (int)(nl - p) : (int)strlen(p);
			fprintf(stderr, "    %.*s\n", n, p);
			p += n + (nl ? 1 : 0);
		}
	}
}

static int start(struct run *r, struct slot *sl, size_t i, int (*fn)(struct cli *, int, char **),
		 int argc, char **argv)
{
	int outp[2], recp[2];

	if (pipe2(outp, O_CLOEXEC) != 0)
		return -1;
	if (pipe2(recp, O_CLOEXEC) != 0) {
		close(outp[0]), close(outp[1]);
		return -1;
	}
	fflush(stdout);
	fflush(stderr);
	pid_t pid = fork();
	if (pid < 0) {
		close(outp[0]), close(outp[1]), close(recp[0]), close(recp[1]);
		return -1;
	}
	if (pid == 0) {
		close(outp[0]);
		close(recp[0]);
		child(r->c, &r->t.v[i], outp[1], recp[1], fn, argc, argv);
	}
	close(outp[1]);
	close(recp[1]);
	sl->pid = pid;
	sl->t = i;
	sl->out_fd = outp[0];
	sl->rec_fd = recp[0];
	sl->len = 0;
	sl->cut = false;
	sl->t0 = duration_now_ms();
	r->running++;
	return 0;
}

/* Reads what the child printed; returns false at end of file. */
static bool drain(struct slot *sl)
{
	char tmp[8192];
	ssize_t n = read(sl->out_fd, tmp, sizeof(tmp));

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return true;
	if (n <= 0)
		return false;
	if (sl->len + (size_t)n > OUT_CAP) {
		/* Keep the end: that is where the error is. */
		size_t drop = sl->len + (size_t)n - OUT_CAP;
		if (drop > sl->len)
			drop = sl->len;
		memmove(sl->buf, sl->buf + drop, sl->len - drop);
		sl->len -= drop;
		sl->cut = true;
	}
	size_t take = (size_t)n > OUT_CAP ? OUT_CAP : (size_t)n;
	memcpy(sl->buf + sl->len, tmp + n - take, take);
	sl->len += take;
	sl->buf[sl->len] = '\0';
	return true;
}

static void finish(struct run *r, struct slot *sl)
{
	struct result *x = &r->res[sl->t];
	ssize_t got = 0, n;
	int status = 0;

	close(sl->out_fd);
	while ((n = read(sl->rec_fd, (char *)&x->r + got, sizeof(x->r) - (size_t)got)) > 0 ||
	       (n < 0 && errno == EINTR))
		if (n > 0)
			got += n;
	close(sl->rec_fd);
	while (waitpid(sl->pid, &status, 0) < 0 && errno == EINTR)
		;
	x->ms = duration_now_ms() - sl->t0;
	if (got != (ssize_t)sizeof(x->r)) {
		memset(&x->r, 0, sizeof(x->r));
		x->r.n_before = x->r.n_after = -1;
		x->r.rc = WIFSIGNALED(status) ? 128 + WTERMSIG(status) : RT_EXIT_FAIL;
		char msg[128];
		snprintf(msg, sizeof(msg), "%s: error: the process for this target ended without a result (%s %d)\n",
			 r->c->prog, WIFSIGNALED(status) ? "signal" : "exit status",
			 WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
		size_t m = strlen(msg);
		if (sl->len + m <= OUT_CAP) {
			memcpy(sl->buf + sl->len, msg, m + 1);
			sl->len += m;
		}
	}
	x->st = classify(r->cmd, &x->r);
	/* Its version table holds a revision this migrator lacks: not "at base". */
	if (x->st == ST_UNKNOWN)
		x->r.after_known = 0, x->r.n_before = -1;
	/* The dashboard: a target that read fine but stands below the heads is behind. */
	if (x->st == ST_OK && strcmp(r->cmd, "current") == 0 && x->r.n_after >= 0 && x->r.after_known) {
		char key[512];
		heads_text(r->c->set, x->r.after, x->r.n_after, key, sizeof(key));
		if (!is_graph_head(r->c->set, key))
			x->st = ST_BEHIND;
	}
	r->running--;
	r->finished++;
	if (x->st == ST_FAILED || x->st == ST_UNKNOWN || x->st == ST_DIRTY)
		r->failures++;
	print_target(r, sl->t, sl->buf, sl->cut);
	sl->pid = 0;
}

/* ---- the summary --------------------------------------------------------- */

struct group {
	char key[512];
	size_t n;
};

static int cmp_group(const void *a, const void *b)
{
	const struct group *x = a, *y = b;
	if (x->n != y->n)
		return x->n < y->n ? 1 : -1;
	return strcmp(x->key, y->key);
}

/* Targets per revision the version table is at, most common first. */
static size_t group_by_revision(struct run *r, struct group **out)
{
	struct group *g = calloc(r->t.n + 1, sizeof(*g));
	size_t ng = 0;

	*out = g;
	if (!g)
		return 0;
	for (size_t i = 0; i < r->t.n; i++) {
		const struct result *x = &r->res[i];
		char key[512];
		if (x->st == ST_NOT_RUN || x->r.n_after < 0 || !x->r.after_known)
			continue;
		heads_text(r->c->set, x->r.after, x->r.n_after, key, sizeof(key));
		size_t k = 0;
		while (k < ng && strcmp(g[k].key, key) != 0)
			k++;
		if (k == ng) {
			/* Few distinct revisions in any fleet: a linear search is fine. */
			snprintf(g[ng].key, sizeof(g[ng].key), "%s", key);
			ng++;
		}
		g[k].n++;
	}
	qsort(g, ng, sizeof(*g), cmp_group);
	return ng;
}

static bool is_graph_head(const struct rt_set *s, const char *key)
{
	unsigned *h = malloc((s->n_revisions + 1) * sizeof(*h));
	size_t n = h ? plan_graph_heads(s, h) : 0;
	char want[512];
	bool same;

	heads_text(s, h, (int)n, want, sizeof(want));
	same = h && n > 0 && strcmp(want, key) == 0;
	free(h);
	return same;
}

static void list_names(struct run *r, enum status st, const char *label)
{
	size_t shown = 0, total = 0;

	for (size_t i = 0; i < r->t.n; i++)
		total += r->res[i].st == st;
	if (!total)
		return;
	printf("%s (%zu):", label, total);
	for (size_t i = 0; i < r->t.n && shown < 20; i++) {
		if (r->res[i].st != st)
			continue;
		printf("%s %s", shown ? "," : "", name_of(&r->t.v[i]));
		shown++;
	}
	if (total > shown)
		printf(", and %zu more", total - shown);
	putchar('\n');
}

static void summary(struct run *r, double secs, int rc, const char *why_stopped)
{
	size_t count[ST_N] = { 0 };
	struct group *g;
	size_t ng = group_by_revision(r, &g);

	for (size_t i = 0; i < r->t.n; i++)
		count[r->res[i].st]++;
	if (r->o->json) {
		fputc('{', stdout);
		json_key(stdout, "summary", true);
		fputs("true", stdout);
		json_key(stdout, "command", false);
		json_str(stdout, r->cmd);
		json_key(stdout, "targets", false);
		fprintf(stdout, "%zu", r->t.n);
		for (int s = 0; s < ST_N; s++) {
			json_key(stdout, status_names[s], false);
			fprintf(stdout, "%zu", count[s]);
		}
		json_key(stdout, "by_revision", false);
		fputc('{', stdout);
		for (size_t k = 0; k < ng; k++) {
			/* Revision ids come from migration files: escape them. */
			if (k)
				fputc(',', stdout);
			json_str(stdout, g[k].key);
			fprintf(stdout, ":%zu", g[k].n);
		}
		fputc('}', stdout);
		for (int s = ST_BEHIND; s < ST_N; s++) {
			char key[64];
			bool first = true;
			snprintf(key, sizeof(key), "%s_targets", status_names[s]);
			json_key(stdout, key, false);
			fputc('[', stdout);
			for (size_t i = 0; i < r->t.n; i++) {
				if (r->res[i].st != (enum status)s)
					continue;
				if (!first)
					fputc(',', stdout);
				json_str(stdout, r->t.v[i].desc);
				first = false;
			}
			fputc(']', stdout);
		}
		json_key(stdout, "stopped", false);
		if (why_stopped)
			json_str(stdout, why_stopped);
		else
			fputs("null", stdout);
		json_key(stdout, "seconds", false);
		fprintf(stdout, "%.3f", secs);
		json_key(stdout, "exit_code", false);
		fprintf(stdout, "%d", rc);
		fputs("}\n", stdout);
		free(g);
		return;
	}
	clear_progress(r);
	printf("\n%s over %zu target%s in %.1f s (%.1f targets/s):", r->cmd, r->t.n,
	       r->t.n == 1 ? "" : "s", secs, secs > 0 ? (double)r->finished / secs : 0.0);
	const char *sep = " ";
	for (int s = 0; s < ST_N; s++) {
		if (!count[s])
			continue;
		const char *label = s == ST_OK ? (!writing(r->cmd) ? "at head"
						  : writing(r->cmd) ? "migrated" : "read")
				  : s == ST_UNCHANGED ? "already there"
				  : s == ST_NOT_RUN ? "not run" : status_names[s];
		printf("%s%zu %s", sep, count[s], label);
		sep = ", ";
	}
	putchar('\n');
	for (size_t k = 0; k < ng; k++)
		printf("  %6zu at %s%s\n", g[k].n, g[k].key,
		       is_graph_head(r->c->set, g[k].key) ? " (head)" : "");
	list_names(r, ST_BEHIND, "behind");
	list_names(r, ST_UNKNOWN, "unknown revision");
	list_names(r, ST_DIRTY, "dirty");
	list_names(r, ST_FAILED, "failed");
	list_names(r, ST_INTERRUPTED, "interrupted");
	list_names(r, ST_NOT_RUN, "not run");
	if (why_stopped)
		printf("stopped: %s\n", why_stopped);
	fflush(stdout);
	free(g);
}

/* ---- the driver ---------------------------------------------------------- */

/* A schema target's search_path comes through PGOPTIONS, which a URL's options= would replace. */
static int refuse_url_options(const struct cli *c)
{
	struct config cfg;
	char err[1024];
	bool has = false;

	if (config_load(&cfg, c->config_path, err, sizeof(err)) != 0) {
		cli_error(c, "%s", err);
		return RT_EXIT_CONFIG;
	}
	for (size_t i = 0; cfg.keywords[i]; i++) {
		if (strcmp(cfg.keywords[i], "options") == 0 && cfg.values[i] && *cfg.values[i])
			has = true;
		if (strcmp(cfg.keywords[i], "dbname") == 0 && cfg.values[i]) {
			PQconninfoOption *o = PQconninfoParse(cfg.values[i], NULL);
			for (PQconninfoOption *p = o; p && p->keyword; p++)
				if (strcmp(p->keyword, "options") == 0 && p->val && *p->val)
					has = true;
			PQconninfoFree(o);
		}
	}
	config_free(&cfg);
	if (has) {
		cli_error(c, "schema targets cannot be used with a connection URL that sets 'options'");
		cli_detail("a schema target's search_path is passed in PGOPTIONS, which the URL's options would override");
		cli_hint("move the URL's options into PGOPTIONS: the fleet appends search_path to it");
		return RT_EXIT_CONFIG;
	}
	return RT_EXIT_OK;
}

int fleet_run(struct cli *c, const struct fleet_opts *o, const char *cmd,
	      int (*fn)(struct cli *, int, char **), int argc, char **argv)
{
	struct run r = { .c = c, .o = o, .cmd = cmd };
	bool vt_schema_opt = c->version_schema != NULL;
	int rc;

	if (!fleet_command(cmd))
		return cli_usage_error(c, NULL, "'%s' does not run over a fleet", cmd);
	for (int i = 1; i < argc; i++) {
		/* Help is the command's, once, not once per target. */
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return fn(c, argc, argv);
		if (strcmp(argv[i], "--") == 0)
			break;
	}
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (strcmp(argv[i], "--sql") == 0)
			return cli_usage_error(c, cmd, "--sql prints one script; it does not run over a fleet");
		/* getopt_long takes any unambiguous prefix of --version-table-schema. */
		if (strncmp(argv[i], "--version-table-", 16) == 0)
			vt_schema_opt = true;
	}

	rc = targets_collect(&r.t, c, &o->src);
	if (rc != RT_EXIT_OK)
		return rc;
	size_t listed = r.t.n;
	if (o->shards)
		targets_shard(&r.t, (unsigned)o->shard, (unsigned)o->shards);
	for (size_t i = 0; i < r.t.n && rc == RT_EXIT_OK; i++) {
		if (!r.t.v[i].is_schema)
			continue;
		if (vt_schema_opt) {
			/* One shared version table would make every tenant after the first look done. */
			cli_error(c, "--version-table-schema cannot be used with schema targets");
			cli_detail("a schema target keeps its version table in its own schema");
			rc = RT_EXIT_USAGE;
			break;
		}
		rc = refuse_url_options(c);
		break;
	}
	if (rc != RT_EXIT_OK) {
		targets_free(&r.t);
		return rc;
	}
	if (listed == 0) {
		cli_error(c, "the fleet has no targets");
		cli_hint("check --targets, --tenant-schemas or --targets-query");
		targets_free(&r.t);
		return RT_EXIT_USAGE;
	}
	size_t jobs = (size_t)o->jobs;
	r.res = calloc(r.t.n + 1, sizeof(*r.res));
	r.slots = calloc(jobs, sizeof(*r.slots));
	struct pollfd *pfd = calloc(jobs, sizeof(*pfd));
	size_t *pslot = calloc(jobs, sizeof(*pslot));
	bool oom = !r.res || !r.slots || !pfd || !pslot;
	for (size_t j = 0; !oom && j < jobs; j++)
		oom = !(r.slots[j].buf = malloc(OUT_CAP + 1));
	if (oom) {
		cli_error(c, "out of memory");
		rc = RT_EXIT_FAIL;
		goto out;
	}
	for (size_t i = 0; i < r.t.n; i++) {
		r.res[i].st = ST_NOT_RUN;
		r.res[i].r.n_before = r.res[i].r.n_after = -1;
	}
	r.tty = isatty(STDERR_FILENO);
	if (!o->json)
		fprintf(stderr, "%s: %s over %zu target%s%s, %zu at a time\n", c->prog, cmd, r.t.n,
			r.t.n == 1 ? "" : "s", o->shards ? " (this shard's)" : "", jobs);
	if (o->shards && !o->json)
		fprintf(stderr, "%s: shard %ld of %ld: %zu of %zu targets\n", c->prog, o->shard, o->shards,
			r.t.n, listed);

	struct sigaction sa = { 0 }, old_int, old_term;
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);

	double t0 = duration_now_ms();
	size_t next = 0;
	size_t canary = o->canary > 0 ? (size_t)o->canary : 0;
	int forwarded = 0;
	const char *why = NULL;
	char why_buf[128];
	bool usage = false;

	for (;;) {
		bool stop = stop_signal || why || usage;
		while (!stop && r.running < jobs && next < r.t.n &&
		       !(canary && next >= canary && r.finished < canary)) {
			size_t j = 0;
			while (r.slots[j].pid)
				j++;
			if (start(&r, &r.slots[j], next, fn, argc, argv) != 0) {
				cli_error(c, "cannot start a process for target '%s': %s",
					  name_of(&r.t.v[next]), strerror(errno));
				why = "could not start a process";
				break;
			}
			next++;
		}
		if (r.running == 0)
			break;
		if (stop_signal && forwarded != stop_signal) {
			/* Stop scheduling; the running targets cancel and roll back. */
			forwarded = stop_signal;
			for (size_t j = 0; j < jobs; j++)
				if (r.slots[j].pid)
					kill(r.slots[j].pid, SIGTERM);
		}
		size_t np = 0;
		for (size_t j = 0; j < jobs; j++) {
			if (!r.slots[j].pid)
				continue;
			pfd[np].fd = r.slots[j].out_fd;
			pfd[np].events = POLLIN;
			pfd[np].revents = 0;
			pslot[np++] = j;
		}
		show_progress(&r);
		int n = poll(pfd, np, 500);
		if (n < 0 && errno != EINTR) {
			cli_error(c, "poll: %s", strerror(errno));
			why = "poll failed";
			n = 0;
		}
		for (size_t k = 0; n > 0 && k < np; k++) {
			if (!pfd[k].revents)
				continue;
			struct slot *sl = &r.slots[pslot[k]];
			if (drain(sl))
				continue;
			size_t ti = sl->t;
			finish(&r, sl);
			if (r.res[ti].r.rc == RT_EXIT_USAGE)
				usage = true;
			if (!why && canary && ti < canary && r.res[ti].st != ST_OK &&
			    r.res[ti].st != ST_UNCHANGED && r.res[ti].st != ST_BEHIND &&
			    r.res[ti].st != ST_INTERRUPTED) {
				snprintf(why_buf, sizeof(why_buf), "a canary target failed (--canary %zu)", canary);
				why = why_buf;
			}
			if (!why && o->max_failures > 0 && r.failures >= (size_t)o->max_failures) {
				snprintf(why_buf, sizeof(why_buf), "%zu failures (--max-failures %ld)",
					 r.failures, o->max_failures);
				why = why_buf;
			}
		}
	}
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	if (stop_signal)
		why = stop_signal == SIGINT ? "interrupted by SIGINT" : "interrupted by SIGTERM";

	size_t count_bad = 0, count_behind = 0;
	for (size_t i = 0; i < r.t.n; i++) {
		enum status st = r.res[i].st;
		count_bad += st != ST_OK && st != ST_UNCHANGED && st != ST_BEHIND;
		count_behind += st == ST_BEHIND;
	}
	rc = usage ? RT_EXIT_USAGE : stop_signal ? RT_EXIT_INTERRUPTED
	   : count_bad ? RT_EXIT_FLEET
	   : count_behind && strcmp(cmd, "check") == 0 ? RT_EXIT_BEHIND : RT_EXIT_OK;
	summary(&r, (duration_now_ms() - t0) / 1000.0, rc, why);
out:
	for (size_t j = 0; r.slots && j < jobs; j++)
		free(r.slots[j].buf);
	free(r.slots);
	free(r.res);
	free(pfd);
	free(pslot);
	targets_free(&r.t);
	return rc;
}
