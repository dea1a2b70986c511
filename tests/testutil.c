/*
 * testutil.c - file and process helpers for the Check suites
 */
#include "testutil.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

char *tu_read_file(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return NULL;
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);
	size_t got;
	while (buf && (got = fread(buf + n, 1, cap - n - 1, fp)) > 0) {
		n += got;
		if (cap - n - 1 == 0)
			buf = realloc(buf, cap *= 2);
	}
	fclose(fp);
	if (!buf)
		return NULL;
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

static void mkdirs(const char *path)
{
	char *p = strdup(path);
	for (char *s = p + 1; *s; s++) {
		if (*s == '/') {
			*s = '\0';
			mkdir(p, 0777);
			*s = '/';
		}
	}
	free(p);
}

void tu_write_file(const char *path, const char *text)
{
	mkdirs(path);
	FILE *fp = fopen(path, "wb");
	if (!fp || fwrite(text, 1, strlen(text), fp) != strlen(text) || fclose(fp) != 0) {
		fprintf(stderr, "tu_write_file: %s: %s\n", path, strerror(errno));
		abort();
	}
}

const char *tu_build_dir(void)
{
	const char *b = getenv("B");
	return b && *b ? b : "build";
}

struct capture {
	int fd;
	char *buf;
	size_t len, cap;
};

static int drain(struct capture *c)
{
	if (c->cap - c->len < 4096) {
		c->cap = c->cap ? c->cap * 2 : 8192;
		c->buf = realloc(c->buf, c->cap);
	}
	ssize_t n = read(c->fd, c->buf + c->len, c->cap - c->len - 1);
	if (n > 0)
		c->len += (size_t)n;
	return n > 0 || (n < 0 && errno == EINTR);
}

int tu_run(char *const argv[], char *const env[], char **out, char **err)
{
	int po[2], pe[2];
	if (pipe(po) != 0 || pipe(pe) != 0)
		abort();
	pid_t pid = fork();
	if (pid < 0)
		abort();
	if (pid == 0) {
		dup2(po[1], 1);
		dup2(pe[1], 2);
		close(po[0]), close(po[1]), close(pe[0]), close(pe[1]);
		int devnull = open("/dev/null", O_RDONLY);
		dup2(devnull, 0);
		for (size_t i = 0; env && env[i]; i++) {
			char *kv = strdup(env[i]);
			char *eq = strchr(kv, '=');
			*eq = '\0';
			if (eq[1])
				setenv(kv, eq + 1, 1);
			else
				unsetenv(kv);
		}
		execv(argv[0], argv);
		fprintf(stderr, "exec %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(po[1]), close(pe[1]);
	struct capture c[2] = { { .fd = po[0] }, { .fd = pe[0] } };
	int open_fds = 2;
	while (open_fds > 0) {
		struct pollfd pfd[2] = { { c[0].fd, POLLIN, 0 }, { c[1].fd, POLLIN, 0 } };
		if (poll(pfd, 2, -1) < 0 && errno != EINTR)
			abort();
		for (int i = 0; i < 2; i++) {
			if (c[i].fd >= 0 && (pfd[i].revents & (POLLIN | POLLHUP))) {
				if (!drain(&c[i])) {
					close(c[i].fd);
					c[i].fd = -1;
					open_fds--;
				}
			}
		}
	}
	int status;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	for (int i = 0; i < 2; i++) {
		if (!c[i].buf)
			c[i].buf = calloc(1, 1);
		c[i].buf[c[i].len] = '\0';
	}
	if (out) *out = c[0].buf; else free(c[0].buf);
	if (err) *err = c[1].buf; else free(c[1].buf);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
