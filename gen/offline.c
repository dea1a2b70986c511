/*
 * offline.c - run real Alembic offline on one revision, for a hint
 */
#include "offline.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "folder.h"

enum {
	MAX_OUTPUT = 1 << 20,  /* bytes read from the child */
	MAX_RUNS = 5,          /* renderings per command: each costs a Python start */
	DEFAULT_TIMEOUT = 10,  /* seconds */
};

/* Our env.py: offline only, the statements of each step kept apart from
 * the version table's, which gets a name of its own to be told apart. */
static const char env_py[] =
	"from alembic import context\n"
	"class Out:\n"
	"    def __init__(self):\n"
	"        self.chunks = []\n"
	"    def write(self, s):\n"
	"        self.chunks.append(s)\n"
	"    def flush(self):\n"
	"        pass\n"
	"out = Out()\n"
	"context.config.attributes['chunks'] = out.chunks\n"
	"context.configure(url='postgresql://', literal_binds=True, dialect_opts={'paramstyle': 'named'},\n"
	"                  output_buffer=out, transactional_ddl=False,\n"
	"                  version_table='retort_offline_version')\n"
	"with context.begin_transaction():\n"
	"    context.run_migrations()\n";

/* argv: TMPDIR REV PARENT...; prints the sections of REV, exits 0 when
 * the upgrade rendered, 3 when Alembic cannot be imported. */
static const char driver_py[] =
	"import os, sys\n"
	"try:\n"
	"    from alembic import command\n"
	"    from alembic.config import Config\n"
	"except Exception:\n"
	"    sys.exit(3)\n"
	"tmp, rev, parents = sys.argv[1], sys.argv[2], sys.argv[3:]\n"
	"def run(kind, arg):\n"
	"    cfg = Config(os.path.join(tmp, 'alembic.ini'))\n"
	"    try:\n"
	"        getattr(command, kind)(cfg, arg, sql=True)\n"
	"    except BaseException:\n"
	"        return None\n"
	"    got, on = [], False\n"
	"    for c in cfg.attributes.get('chunks', []):\n"
	"        s = c.strip()\n"
	"        if s.startswith('-- Running '):\n"
	"            w = s.split()\n"
	"            on = (kind == 'upgrade' and w[-1] == rev) or (kind == 'downgrade' and w[3].rstrip(',') == rev)\n"
	"            continue\n"
	"        if on and 'retort_offline_version' not in s.split('(')[0]:\n"
	"            got.append(c.rstrip('\\n') + '\\n')\n"
	"    return got\n"
	"up = run('upgrade', (parents[0] + ':' if parents else '') + rev)\n"
	"if up is None:\n"
	"    sys.exit(1)\n"
	"down = run('downgrade', rev + ':' + (parents[0] if parents else 'base'))\n"
	"sys.stdout.write('-- migrate:upgrade\\n' + ''.join(up))\n"
	"if down is None:\n"
	"    sys.stdout.write('-- (Alembic could not render the downgrade offline)\\n')\n"
	"else:\n"
	"    sys.stdout.write('-- migrate:downgrade\\n' + ''.join(down))\n";

static int runs;
static bool unavailable;  /* no Python, no Alembic, or too slow: stop trying */

static bool is_rewrite_hint(const char *h)
{
	return h && strstr(h, "rewrite this revision as a .sql file");
}

static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd < 0)
		return -1;
	return folder_write_close(fd, text, strlen(text)) ? -1 : 0;
}

/* The alembic.ini: ConfigParser reads '%' as interpolation. */
static char *ini_text(struct arena *a, const char *tmp)
{
	struct strbuf sb = STRBUF_INIT;
	sb_addstr(&sb, "[alembic]\nscript_location = ");
	for (const char *p = tmp; *p; p++) {
		if (*p == '%')
			sb_addch(&sb, '%');
		sb_addch(&sb, *p);
	}
	sb_addstr(&sb, "\n");
	char *r = arena_strdup(a, sb.buf);
	sb_release(&sb);
	return r;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * Runs argv with stdout and stderr captured (stderr thrown away), killed
 * with its process group after `timeout` seconds. Returns its exit status
 * (0-255), -1 when it could not start, -2 on timeout or too much output.
 */
static int run_child(char *const argv[], int timeout, struct strbuf *out)
{
	int po[2], pe[2];
	if (pipe(po) != 0)
		return -1;
	if (pipe(pe) != 0) {
		close(po[0]), close(po[1]);
		return -1;
	}
	pid_t pid = fork();
	if (pid < 0) {
		close(po[0]), close(po[1]), close(pe[0]), close(pe[1]);
		return -1;
	}
	if (pid == 0) {
		setpgid(0, 0);
		int in = open("/dev/null", O_RDONLY);
		if (in >= 0)
			dup2(in, 0);
		dup2(po[1], 1);
		dup2(pe[1], 2);
		close(po[0]), close(pe[0]);
		/* A runaway script must not take the machine's memory. */
		struct rlimit rl = { 2UL << 30, 2UL << 30 };
		setrlimit(RLIMIT_AS, &rl);
		execvp(argv[0], argv);
		_exit(127);
	}
	setpgid(pid, pid);
	close(po[1]), close(pe[1]);
	struct pollfd fds[2] = { { po[0], POLLIN, 0 }, { pe[0], POLLIN, 0 } };
	double deadline = now() + timeout;
	bool killed = false;
	int open_fds = 2;
	while (open_fds) {
		double left = deadline - now();
		if (left <= 0 || out->len > MAX_OUTPUT) {
			killed = true;
			break;
		}
		int r = poll(fds, 2, (int)(left * 1000) + 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			killed = true;
			break;
		}
		for (int i = 0; i < 2; i++) {
			if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			char buf[4096];
			ssize_t n = read(fds[i].fd, buf, sizeof buf);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0) {
				close(fds[i].fd);
				fds[i].fd = -1;
				open_fds--;
			} else if (i == 0) {
				sb_add(out, buf, (size_t)n);
			}
		}
	}
	if (killed)
		kill(-pid, SIGKILL);
	for (int i = 0; i < 2; i++)
		if (fds[i].fd >= 0)
			close(fds[i].fd);
	int st;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (killed)
		return -2;
	if (WIFEXITED(st))
		return WEXITSTATUS(st) == 127 ? -1 : WEXITSTATUS(st);
	return -2;
}

static void remove_tmp(struct arena *a, const char *tmp)
{
	static const char *const files[] = { "alembic.ini", "env.py", "versions", "script.py.mako" };
	for (size_t i = 0; i < sizeof files / sizeof *files; i++)
		unlink(arena_printf(a, "%s/%s", tmp, files[i]));
	rmdir(tmp);
}

void offline_hint(struct arena *a, const char *dir, const struct rev *r)
{
	if (!is_rewrite_hint(diag_last_hint()) || !r->id || unavailable || runs >= MAX_RUNS)
		return;
	const char *python = getenv("RETORT_PYTHON");
	if (!python)
		python = "python3";
	if (!*python) {
		unavailable = true;
		return;
	}
	const char *t = getenv("RETORT_OFFLINE_TIMEOUT");
	int timeout = t && atoi(t) > 0 ? atoi(t) : DEFAULT_TIMEOUT;
	runs++;

	const char *tdir = getenv("TMPDIR");
	char *tmp = arena_printf(a, "%s/retort-offline-XXXXXX", tdir && *tdir ? tdir : "/tmp");
	if (!mkdtemp(tmp))
		return;
	char *vers = realpath(arena_printf(a, "%s/versions", dir), NULL);
	bool ok = vers && !strchr(tmp, '\n') &&
		  write_file(arena_printf(a, "%s/alembic.ini", tmp), ini_text(a, tmp)) == 0 &&
		  write_file(arena_printf(a, "%s/env.py", tmp), env_py) == 0 &&
		  write_file(arena_printf(a, "%s/script.py.mako", tmp), "") == 0 &&
		  symlink(vers, arena_printf(a, "%s/versions", tmp)) == 0;
	free(vers);
	if (!ok) {
		remove_tmp(a, tmp);
		return;
	}
	/* -B: no __pycache__ written into the user's versions/. */
	size_t np = r->parents.n;
	char **argv = arena_alloc(a, (np + 8) * sizeof *argv);
	size_t k = 0;
	argv[k++] = (char *)python;
	argv[k++] = (char *)"-B";
	argv[k++] = (char *)"-c";
	argv[k++] = (char *)driver_py;
	argv[k++] = tmp;
	argv[k++] = (char *)r->id;
	for (size_t i = 0; i < np; i++)
		argv[k++] = (char *)r->parents.v[i].id;
	argv[k] = NULL;

	struct strbuf out = STRBUF_INIT;
	int rc = run_child(argv, timeout, &out);
	remove_tmp(a, tmp);
	if (rc == -1 || rc == -2 || rc == 3)
		unavailable = true;
	if (rc != 0 || !out.len) {
		sb_release(&out);
		return;
	}
	const char *parent = np ? r->parents.v[0].id : "base";
	diag_hint("Alembic's offline rendering of this revision ('alembic upgrade %s%s%s --sql', "
		  "'alembic downgrade %s:%s --sql'), for you to review; retort did not use it:",
		  np ? parent : "", np ? ":" : "", r->id, r->id, parent);
	FILE *o = diag_stream ? diag_stream : stderr;
	for (const char *p = out.buf; *p;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		if (n)
			fprintf(o, "    %.*s\n", (int)n, p);
		else
			fputc('\n', o);
		p += n + (nl != NULL);
	}
	sb_release(&out);
}
