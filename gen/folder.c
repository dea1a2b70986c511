/*
 * folder.c - list versions/, read each revision file, hand it to its front end
 */
#include "folder.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "offline.h"
#include "py/pyrev.h"
#include "sql/sqlhdr.h"

int folder_slurp(struct arena *a, const char *path, char **text, size_t *len)
{
	int fd = open(path, O_RDONLY);
	struct stat st;

	if (fd < 0)
		return -1;
	if (fstat(fd, &st) != 0) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	/* The size is a hint only: the file may change while we read it. */
	size_t cap = (size_t)st.st_size + 1, n = 0;
	char *buf = xmalloc(cap);
	for (;;) {
		if (n + 1 >= cap)
			buf = xrealloc(buf, cap *= 2);
		ssize_t got = read(fd, buf + n, cap - n - 1);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			int e = errno;
			free(buf);
			close(fd);
			errno = e;
			return -1;
		}
		if (got == 0)
			break;
		n += (size_t)got;
	}
	close(fd);
	*text = arena_strndup(a, buf, n);
	*len = n;
	free(buf);
	return 0;
}

static int cmp_name(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

static int has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

static void sha256(const char *text, size_t len, unsigned char out[32])
{
	unsigned n = 32;
	if (EVP_Digest(text, len, out, &n, EVP_sha256(), NULL) != 1) {
		diag_plain(DIAG_ERROR, NULL, "cannot compute SHA-256");
		exit(1);
	}
}

unsigned folder_read(struct arena *a, const char *dir, struct folder *out)
{
	unsigned errors = 0;
	char *vdir = arena_printf(a, "%s/versions", dir);
	DIR *d = opendir(vdir);

	out->revs = NULL;
	out->n = 0;
	out->failed = NULL;
	out->n_failed = 0;
	out->n_unread = 0;
	if (!d) {
		diag_plain(DIAG_ERROR, NULL, "cannot open '%s': %s", vdir, strerror(errno));
		if (errno == ENOENT)
			diag_hint("a migration folder keeps its revisions in a 'versions' directory");
		return 1;
	}
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' || strcmp(de->d_name, "__pycache__") == 0)
			continue;
		arena_grow(a, &names, &cap, n + 1, sizeof *names);
		names[n++] = arena_strdup(a, de->d_name);
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof *names, cmp_name);

	out->revs = arena_alloc(a, (n + 1) * sizeof *out->revs);
	out->failed = arena_alloc(a, (n + 1) * sizeof *out->failed);
	const struct pyconfig *cfg = NULL;   /* retort.ini, read at the first .py */
	for (size_t i = 0; i < n; i++) {
		const char *rel = arena_printf(a, "versions/%s", names[i]);
		bool py = has_suffix(names[i], ".py");
		if (py && strcmp(names[i], "__init__.py") == 0)
			continue;
		if (!py && !has_suffix(names[i], ".sql"))
			continue;
		const char *full = arena_printf(a, "%s/%s", vdir, names[i]);
		struct stat st;
		if (stat(full, &st) == 0 && !S_ISREG(st.st_mode))
			continue;
		struct src_file *f = arena_alloc(a, sizeof *f);
		char *text;
		/* Editors jump to what the diagnostics show: DIR as typed. */
		f->path = full;
		if (folder_slurp(a, full, &text, &f->len) != 0) {
			diag_plain(DIAG_ERROR, NULL, "cannot read '%s': %s", full, strerror(errno));
			errors++;
			out->n_unread++;
			continue;
		}
		f->text = text;
		struct rev *r = arena_alloc(a, sizeof *r);
		r->file = f;
		r->rel_path = rel;
		sha256(f->text, f->len, r->sha256);
		if (py && !cfg) {
			unsigned before = diag_errors();
			cfg = pyrev_config(a, dir);
			errors += diag_errors() - before;
		}
		unsigned e = py ? pyrev_parse(a, cfg, f, r) : sqlhdr_parse(a, f, r);
		if (py && e)
			offline_hint(a, dir, r);
		errors += e;
		if (!e)
			out->revs[out->n++] = r;
		else if (r->id && r->id[0])
			out->failed[out->n_failed++] = r;
		else
			out->n_unread++;
	}
	return errors;
}

int folder_write_close(int fd, const char *data, size_t len)
{
	size_t done = 0;
	int err = 0;

	while (done < len) {
		ssize_t w = write(fd, data + done, len - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			err = w < 0 ? errno : EIO;
			break;
		}
		done += (size_t)w;
	}
	if (close(fd) != 0 && !err)
		err = errno;
	return err;
}
