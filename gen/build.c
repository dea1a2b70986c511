/*
 * build.c - retort build DIR -o FILE: one command from a folder to a migrator
 *
 * The same steps as the Makefile's migrator rules, in the same order and
 * with the same flags, so that `retort build --static` writes the bytes
 * `make release` writes for the same folder and release name:
 *
 *   retort compile DIR -o T/migrations.c      (this executable, again)
 *   CC ... -c T/migrations.c                  migration.h from include/retort
 *   CC ... -include T/buildinfo.h -c buildinfo.c
 *   CC ... -o FILE migrations.o buildinfo.o [nogss.o] libretort[-static].a LIBS
 *
 * T is a temporary directory, removed at the end. FILE is linked under a
 * temporary name beside it and renamed, so a failed build leaves the old
 * migrator in place.
 */
#include "build.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <ini.h>

#include "cmdspec.h"
#include "diag.h"
#include "emit.h"
#include "folder.h"
#include "revfile.h"

enum { BUILD_OK = 0, BUILD_FAILED = 1, BUILD_USAGE = 2 };

static const char usage_build[] =
	"usage: retort build [DIR] -o FILE [--release NAME] [--static]\n"
	"\n"
	"Compiles DIR's revisions and links them with retort's runtime into the\n"
	"migrator FILE, with the C compiler $CC (default: cc) and $CFLAGS\n"
	"(default: -O2) and $LDFLAGS. Without DIR, the folder is alembic.ini's\n"
	"script_location.\n"
	"\n"
	"  -o, --output FILE     the migrator to write\n"
	"      --release NAME    the release name 'FILE version' reports (default: dev)\n"
	"      --static          one static, stripped, reproducible file, as\n"
	"                        'make release' (its flags, not $CFLAGS): the build\n"
	"                        date is SOURCE_DATE_EPOCH, else the last commit\n"
	"                        touching DIR\n"
	"\n"
	"The runtime is found under $RETORT_PREFIX, else under the directory above\n"
	"retort's own (lib/retort, include/retort).\n";

static const char usage_init[] =
	"usage: retort init DIR\n"
	"\n"
	"Makes DIR an empty migration folder: DIR/versions/, DIR/retort.ini and\n"
	"DIR/script.sql.tmpl, the template 'retort revision' fills (the built-in\n"
	"one, to edit). DIR may exist; what init would write must not.\n";

/* The Makefile's STD and REL_CFLAGS/REL_LDFLAGS (keep them in step). */
static const char *const std_flags[] = {
	"-std=c11", "-D_POSIX_C_SOURCE=200809L", "-D_DEFAULT_SOURCE",
};

static int usage(const char *cmd, const char *msg)
{
	fprintf(stderr, "retort: %s: %s\ntry 'retort %s --help'\n", cmd, msg, cmd);
	return BUILD_USAGE;
}

/* The unknown option `arg`, with the nearest of `opts` when one is near. */
static int unknown_option(const char *cmd, const char *arg, const struct option *opts)
{
	fprintf(stderr, "retort: %s: unknown option '%s'\n", cmd, arg);
	diag_option_hint(arg, opts);
	fprintf(stderr, "try 'retort %s --help'\n", cmd);
	return BUILD_USAGE;
}

/* ---- argument vectors ------------------------------------------------------- */

struct argv {
	const char **v;
	size_t n, cap;
	struct arena *a;
};

static void arg(struct argv *av, const char *s)
{
	arena_grow(av->a, &av->v, &av->cap, av->n + 2, sizeof *av->v);
	av->v[av->n++] = s;
	av->v[av->n] = NULL;
}

/* The words of $NAME (split at blanks), else of `dflt`. */
static void arg_env(struct argv *av, const char *name, const char *dflt)
{
	const char *v = getenv(name);
	if (!v || !*v)
		v = dflt;
	char *s = arena_strdup(av->a, v);
	for (char *tok = strtok(s, " \t"); tok; tok = strtok(NULL, " \t"))
		arg(av, tok);
}

/* $CC ("ccache gcc" too), else cc. */
static void arg_cc(struct argv *av)
{
	arg_env(av, "CC", "cc");
}

/*
 * Runs av, its standard error into `err_path` when not NULL. Returns its
 * exit status, or -1 after saying why it did not run.
 */
static int run(const struct argv *av, const char *err_path)
{
	fflush(stdout);
	fflush(stderr);
	int pipefd[2];
	if (pipe(pipefd) != 0) {
		fprintf(stderr, "retort: error: pipe: %s\n", strerror(errno));
		return -1;
	}
	pid_t pid = fork();
	if (pid < 0) {
		fprintf(stderr, "retort: error: fork: %s\n", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		close(pipefd[0]);
		fcntl(pipefd[1], F_SETFD, FD_CLOEXEC);
		if (err_path) {
			int fd = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
			if (fd >= 0)
				dup2(fd, 2), close(fd);
		}
		execvp(av->v[0], (char *const *)av->v);
		int e = errno;
		(void)!write(pipefd[1], &e, sizeof e);
		_exit(127);
	}
	close(pipefd[1]);
	int e = 0;
	ssize_t got = read(pipefd[0], &e, sizeof e);
	close(pipefd[0]);
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	if (got == (ssize_t)sizeof e) {
		fprintf(stderr, "retort: error: cannot run '%s': %s\n", av->v[0], strerror(e));
		const char *cc = getenv("CC");
		if (e == ENOENT && cc && *cc && strstr(cc, av->v[0]))
			fprintf(stderr, "hint: CC='%s' names no program\n", av->v[0]);
		else if (e == ENOENT)
			fputs("hint: install a C compiler (apt-get install gcc), or name one in CC\n",
			      stderr);
		return -1;
	}
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	fprintf(stderr, "retort: error: '%s' was killed by signal %d\n", av->v[0],
		WTERMSIG(status));
	return -1;
}

/* ---- where the runtime is --------------------------------------------------- */

static const char *prefix_dir(struct arena *a)
{
	const char *env = getenv("RETORT_PREFIX");
	if (env && *env)
		return env;
	char *self = realpath("/proc/self/exe", NULL);
	if (!self) {
		fprintf(stderr, "retort: error: cannot find retort's own executable: %s\n",
			strerror(errno));
		fputs("hint: set RETORT_PREFIX to the directory retort was installed into\n", stderr);
		return NULL;
	}
	for (int up = 0; up < 2; up++) {
		char *slash = strrchr(self, '/');
		if (slash && slash != self)
			*slash = '\0';
		else
			strcpy(self, "/");
	}
	const char *p = arena_strdup(a, self);
	free(self);
	return p;
}

static bool exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

/* Checks that `path` exists; else says which package brings it. */
static bool need(const char *path, const char *what, const char *hint)
{
	if (exists(path))
		return true;
	fprintf(stderr, "retort: error: %s '%s' not found\n", what, path);
	fprintf(stderr, "hint: %s\n", hint);
	return false;
}

/* The first line `cmd` prints, or NULL. */
static const char *first_line(struct arena *a, struct argv *av)
{
	const char *t = getenv("TMPDIR");
	char *tmpl = arena_printf(a, "%s/retort-out-XXXXXX", t && *t ? t : "/tmp");
	int fd = mkstemp(tmpl);
	if (fd < 0)
		return NULL;
	fflush(stdout);
	int saved = dup(1);
	dup2(fd, 1);
	int rc = run(av, "/dev/null");
	dup2(saved, 1);
	close(saved);
	close(fd);
	char *text = NULL;
	size_t len;
	const char *line = NULL;
	if (rc == 0 && folder_slurp(a, tmpl, &text, &len) == 0 && len > 0) {
		text[strcspn(text, "\n")] = '\0';
		if (*text)
			line = text;
	}
	unlink(tmpl);
	return line;
}

/* ---- build facts ------------------------------------------------------------ */

/*
 * The build date as scripts/buildinfo.sh works it out: SOURCE_DATE_EPOCH,
 * else the last commit touching `dir`; "unknown" for an everyday build
 * without either, NULL (after saying why) for a static one.
 */
static const char *build_date(struct arena *a, const char *dir, bool release)
{
	const char *epoch = getenv("SOURCE_DATE_EPOCH");
	if (!epoch || !*epoch) {
		struct argv av = { .a = a };
		arg(&av, "git"), arg(&av, "-C"), arg(&av, dir), arg(&av, "log"), arg(&av, "-1");
		arg(&av, "--format=%ct"), arg(&av, "--"), arg(&av, ".");
		epoch = first_line(a, &av);
	}
	if (epoch && *epoch) {
		char *end;
		errno = 0;
		long long t = strtoll(epoch, &end, 10);
		time_t tt = (time_t)t;
		struct tm tm;
		char buf[32];
		if (errno || *end || t < 0 || !gmtime_r(&tt, &tm) ||
		    !strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm)) {
			fprintf(stderr, "retort: error: SOURCE_DATE_EPOCH='%s' is not a number of seconds\n",
				epoch);
			return NULL;
		}
		return arena_strdup(a, buf);
	}
	if (!release)
		return "unknown";
	fprintf(stderr, "retort: error: no build date for a release: %s has no commit"
		" (not in a git checkout, or not committed)\n", dir);
	fputs("hint: commit the migrations, or set SOURCE_DATE_EPOCH, e.g."
	      " SOURCE_DATE_EPOCH=$(date +%s)\n", stderr);
	return NULL;
}

/* The header buildinfo.c is compiled with; NULL when `release` is unfit. */
static char *buildinfo_header(struct arena *a, const char *release, const char *date)
{
	struct strbuf sb = STRBUF_INIT;
	for (const char *s = release; *s; s++) {
		if ((unsigned char)*s < 0x20 || *s == 0x7f) {
			sb_release(&sb);
			return NULL;
		}
	}
	/* Byte for byte what scripts/buildinfo.sh writes for a plain name. */
	sb_addf(&sb, "#define RT_RELEASE \"");
	for (const char *s = release; *s; s++)
		sb_addf(&sb, "%s%c", *s == '"' || *s == '\\' ? "\\" : "", *s);
	sb_addf(&sb, "\"\n#define RT_BUILD_DATE \"%s\"\n", date);
	char *h = arena_strdup(a, sb.buf);
	sb_release(&sb);
	return h;
}

/* ---- the build -------------------------------------------------------------- */

struct build {
	struct arena *a;
	const char *dir, *output, *release;
	bool is_static;
	const char *libdir, *incdir, *tmp;
};

static const char *tmp_path(struct build *b, const char *name)
{
	return arena_printf(b->a, "%s/%s", b->tmp, name);
}

/* The compiler flags of every object: the Makefile's, less its warnings. */
static void cflags(struct build *b, struct argv *av)
{
	arg_cc(av);
	for (size_t i = 0; i < sizeof std_flags / sizeof *std_flags; i++)
		arg(av, std_flags[i]);
	if (b->is_static) {
		/* REL_CFLAGS; the prefix maps only matter with -g, which it has not. */
		arg(av, "-O2");
		arg(av, arena_printf(b->a, "-ffile-prefix-map=%s/=", b->tmp));
		arg(av, "-DRT_STATIC_BUILD");
	} else {
		/* As the Makefile's CFLAGS: sanitizers, -g, reach everyday builds. */
		arg_env(av, "CFLAGS", "-O2");
	}
	arg(av, arena_printf(b->a, "-I%s", b->incdir));
}

static bool compile_c(struct build *b, const char *src, const char *obj, const char *include)
{
	struct argv av = { .a = b->a };
	cflags(b, &av);
	if (include)
		arg(&av, "-include"), arg(&av, include);
	arg(&av, "-c"), arg(&av, "-o"), arg(&av, obj), arg(&av, src);
	int rc = run(&av, NULL);
	if (rc > 0)
		fprintf(stderr, "retort: error: the C compiler failed on '%s'\n", src);
	return rc == 0;
}

/* pg_config --NAME, with the hint naming the package that has it. */
static const char *pg_config(struct build *b, const char *what)
{
	struct argv av = { .a = b->a };
	arg(&av, "pg_config"), arg(&av, arena_printf(b->a, "--%s", what));
	const char *dir = first_line(b->a, &av);
	if (!dir) {
		fprintf(stderr, "retort: error: 'pg_config --%s' did not answer\n", what);
		fputs("hint: a static build needs libpq-dev and postgresql-server-dev-15:"
		      " apt-get install libpq-dev postgresql-server-dev-15\n", stderr);
	}
	return dir;
}

/*
 * glibc warns that a static getaddrinfo & co need NSS modules at run
 * time; the Makefile's release rule explains why not so and filters them.
 */
static void show_link_errors(struct build *b, const char *log)
{
	char *text;
	size_t len;
	if (folder_slurp(b->a, log, &text, &len) != 0)
		return;
	for (char *line = text; *line;) {
		char *nl = strchr(line, '\n');
		size_t n = nl ? (size_t)(nl - line) + 1 : strlen(line);
		char save = line[n];
		line[n] = '\0';
		if (!strstr(line, "in statically linked applications requires") &&
		    !strstr(line, ": in function "))
			fputs(line, stderr);
		line[n] = save;
		line += n;
	}
}

static bool link_migrator(struct build *b, const char *out)
{
	struct argv av = { .a = b->a };
	arg_cc(&av);
	if (b->is_static) {
		const char *pglib = pg_config(b, "libdir"), *pgpkg = pg_config(b, "pkglibdir");
		if (!pglib || !pgpkg)
			return false;
		const char *pq = arena_printf(b->a, "%s/libpq.a", pglib);
		const char *common = arena_printf(b->a, "%s/libpgcommon_shlib.a", pgpkg);
		const char *port = arena_printf(b->a, "%s/libpgport_shlib.a", pgpkg);
		if (!need(pq, "libpq's static library", "apt-get install libpq-dev") ||
		    !need(common, "PostgreSQL's static support library",
			  "apt-get install postgresql-server-dev-15") ||
		    !need(port, "PostgreSQL's static support library",
			  "apt-get install postgresql-server-dev-15"))
			return false;
		arg(&av, "-O2");
		arg(&av, arena_printf(b->a, "-ffile-prefix-map=%s/=", b->tmp));
		arg(&av, "-DRT_STATIC_BUILD");
		arg(&av, "-static"), arg(&av, "-s"), arg(&av, "-Wl,--build-id=none");
		arg(&av, "-o"), arg(&av, out);
		arg(&av, tmp_path(b, "migrations.o")), arg(&av, tmp_path(b, "buildinfo.o"));
		arg(&av, arena_printf(b->a, "%s/nogss.o", b->libdir));
		arg(&av, arena_printf(b->a, "%s/libretort-static.a", b->libdir));
		arg(&av, pq), arg(&av, common), arg(&av, port);
		arg(&av, "-linih"), arg(&av, "-lssl"), arg(&av, "-lcrypto"), arg(&av, "-lpthread");
	} else {
		arg_env(&av, "CFLAGS", "-O2");
		arg_env(&av, "LDFLAGS", "");
		arg(&av, "-o"), arg(&av, out);
		arg(&av, tmp_path(b, "migrations.o")), arg(&av, tmp_path(b, "buildinfo.o"));
		arg(&av, arena_printf(b->a, "%s/libretort.a", b->libdir));
		/* libcrypto: the runtime's SHA-256 (the log's digest row, runtime/ledger.h). */
		arg(&av, "-lpq"), arg(&av, "-linih"), arg(&av, "-lcrypto");
	}
	const char *log = tmp_path(b, "link.log");
	int rc = run(&av, log);
	show_link_errors(b, log);
	if (rc > 0) {
		fputs("retort: error: linking the migrator failed\n", stderr);
		fprintf(stderr, "hint: retort build needs the C compiler and libraries:"
			" apt-get install gcc libpq-dev libinih-dev libssl-dev%s\n",
			b->is_static ? " postgresql-server-dev-15" : "");
	}
	return rc == 0;
}

static bool run_build(struct build *b)
{
	const char *prefix = prefix_dir(b->a);
	if (!prefix)
		return false;
	b->libdir = arena_printf(b->a, "%s/lib/retort", prefix);
	b->incdir = arena_printf(b->a, "%s/include/retort", prefix);
	const char *lib = arena_printf(b->a, "%s/%s", b->libdir,
				       b->is_static ? "libretort-static.a" : "libretort.a");
	const char *hint = "install retort with 'make install' (PREFIX=...), or set RETORT_PREFIX"
			   " to where it is installed";
	if (!need(lib, "retort's runtime library", hint) ||
	    !need(arena_printf(b->a, "%s/migration.h", b->incdir), "retort's header", hint) ||
	    !need(arena_printf(b->a, "%s/buildinfo.c", b->libdir), "retort's runtime source", hint) ||
	    (b->is_static &&
	     !need(arena_printf(b->a, "%s/nogss.o", b->libdir), "retort's static stand-ins", hint)))
		return false;

	const char *date = build_date(b->a, b->dir, b->is_static);
	if (!date)
		return false;
	char *header = buildinfo_header(b->a, b->release, date);
	if (!header) {
		fputs("retort: error: the release name must be one line of text\n", stderr);
		return false;
	}

	const char *t = getenv("TMPDIR");
	char *tmp = arena_printf(b->a, "%s/retort-build-XXXXXX", t && *t ? t : "/tmp");
	if (!mkdtemp(tmp)) {
		fprintf(stderr, "retort: error: cannot create '%s': %s\n", tmp, strerror(errno));
		return false;
	}
	b->tmp = tmp;

	bool ok = false;
	const char *out_tmp = arena_printf(b->a, "%s.retort-tmp", b->output);
	struct argv av = { .a = b->a };
	arg(&av, "/proc/self/exe"), arg(&av, "compile"), arg(&av, b->dir);
	arg(&av, "-o"), arg(&av, tmp_path(b, "migrations.c"));
	if (run(&av, NULL) != 0)
		goto out;
	if (emit_write_file(tmp_path(b, "buildinfo.h"), header, strlen(header)) != 0)
		goto out;
	if (!compile_c(b, tmp_path(b, "migrations.c"), tmp_path(b, "migrations.o"), NULL) ||
	    !compile_c(b, arena_printf(b->a, "%s/buildinfo.c", b->libdir),
		       tmp_path(b, "buildinfo.o"), tmp_path(b, "buildinfo.h")))
		goto out;
	if (!link_migrator(b, out_tmp))
		goto out;
	if (rename(out_tmp, b->output) != 0) {
		fprintf(stderr, "retort: error: cannot write '%s': %s\n", b->output, strerror(errno));
		goto out;
	}
	ok = true;
out:
	unlink(out_tmp);
	static const char *const files[] = {
		"migrations.c", "migrations.o", "buildinfo.h", "buildinfo.o", "link.log",
	};
	for (size_t i = 0; i < sizeof files / sizeof *files; i++)
		unlink(tmp_path(b, files[i]));
	rmdir(tmp);
	return ok;
}

int build_main(int argc, char **argv, struct arena *a)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "release", required_argument, NULL, 'r' },
		{ "static", no_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct build b = { .a = a, .release = "dev" };
	int c;

	optind = 0;
	opterr = 0;
	while ((c = spec_getopt(argc, argv, ":o:h", opts, NULL, 0)) != -1) {
		switch (c) {
		case 'o': b.output = optarg; break;
		case 'r': b.release = optarg; break;
		case 's': b.is_static = true; break;
		case 'h': fputs(usage_build, stdout); return BUILD_OK;
		case ':': return usage("build", arena_printf(a, "option '%s' needs a value",
							     argv[optind - 1]));
		default: return unknown_option("build", argv[optind - 1], opts);
		}
	}
	if (optind < argc - 1)
		return usage("build", "too many arguments");
	if (!b.output)
		return usage("build", "missing -o FILE");
	b.dir = optind < argc ? argv[optind] : build_default_dir(a);
	if (!b.dir)
		return BUILD_FAILED;
	return run_build(&b) ? BUILD_OK : BUILD_FAILED;
}

/* ---- alembic.ini's script_location ------------------------------------------- */

struct ini_find {
	struct arena *a;
	const char *value;
};

static int on_ini(void *user, const char *section, const char *name, const char *value)
{
	struct ini_find *f = user;
	if (strcmp(section, "alembic") == 0 && strcmp(name, "script_location") == 0)
		f->value = arena_strdup(f->a, value);
	return 1;
}

const char *build_default_dir(struct arena *a)
{
	struct ini_find f = { .a = a };
	FILE *fp = fopen("alembic.ini", "r");
	if (!fp) {
		fputs("retort: error: no DIR given, and no alembic.ini here to find it in\n", stderr);
		fputs("hint: name the migration folder, e.g. 'retort heads alembic'\n", stderr);
		return NULL;
	}
	int line = ini_parse_file(fp, on_ini, &f);
	fclose(fp);
	if (line != 0) {
		fprintf(stderr, "alembic.ini:%d: error: cannot parse this line\n", line);
		return NULL;
	}
	if (!f.value || !*f.value) {
		fputs("retort: error: alembic.ini has no script_location in [alembic]\n", stderr);
		fputs("hint: name the migration folder on the command line\n", stderr);
		return NULL;
	}
	/* %(here)s is alembic.ini's own directory: this one. */
	const char *v = f.value;
	if (strncmp(v, "%(here)s/", 9) == 0)
		v += 9;
	if (strstr(v, "%(") || (strchr(v, ':') && v[0] != '/')) {
		fprintf(stderr, "retort: error: alembic.ini's script_location '%s' is not a plain"
			" directory\n", f.value);
		fputs("detail: retort reads folders, not Python package resources or other"
		      " interpolations\n", stderr);
		fputs("hint: name the migration folder on the command line\n", stderr);
		return NULL;
	}
	return v;
}

/* ---- init ------------------------------------------------------------------- */

/* Empty sections, with what goes in them (docs/python.md). */
static const char init_ini[] =
	"# retort.ini: what retort cannot read from a .py revision\n"
	"\n"
	"# Application types: a type's name or dotted path = the SQL written for it.\n"
	"[types]\n"
	"\n"
	"# env.py's naming_convention, with SQLAlchemy's keys and tokens.\n"
	"[naming_convention]\n"
	"\n"
	"# Application settings a revision decides on: true, false, None, 2, 'text'.\n"
	"[constants]\n";

int init_main(int argc, char **argv, struct arena *a)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	int c;

	optind = 0;
	opterr = 0;
	while ((c = spec_getopt(argc, argv, ":h", opts, NULL, 0)) != -1) {
		if (c == 'h') {
			fputs(usage_init, stdout);
			return BUILD_OK;
		}
		return unknown_option("init", argv[optind - 1], opts);
	}
	if (optind != argc - 1)
		return usage("init", optind == argc ? "missing DIR" : "too many arguments");
	const char *dir = argv[optind];

	if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
		fprintf(stderr, "retort: error: cannot create '%s': %s\n", dir, strerror(errno));
		return BUILD_FAILED;
	}
	struct stat st;
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		fprintf(stderr, "retort: error: '%s' is not a directory\n", dir);
		return BUILD_FAILED;
	}
	const char *versions = arena_printf(a, "%s/versions", dir);
	const char *ini = arena_printf(a, "%s/retort.ini", dir);
	const char *tmpl = arena_printf(a, "%s/script.sql.tmpl", dir);
	/* Never over what is there: a half-written folder would mislead. */
	if (exists(versions) || exists(ini) || exists(tmpl)) {
		fprintf(stderr, "retort: error: '%s' is already a migration folder\n", dir);
		fputs("detail: nothing was written\n", stderr);
		return BUILD_FAILED;
	}
	if (mkdir(versions, 0777) != 0) {
		fprintf(stderr, "retort: error: cannot create '%s': %s\n", versions, strerror(errno));
		return BUILD_FAILED;
	}
	if (emit_write_file(ini, init_ini, strlen(init_ini)) != 0 ||
	    emit_write_file(tmpl, revfile_builtin_template, strlen(revfile_builtin_template)) != 0)
		return BUILD_FAILED;
	printf("%s\n", versions);
	printf("%s\n", ini);
	printf("%s\n", tmpl);
	return BUILD_OK;
}
