// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * mpt-xen create: xl integration.
 *
 * An xl domain configuration may carry mpt keys:
 *	mpt_device = [ "mgpu", "mgpu" ]     devices at 00:01.0, 00:02.0, ...
 *	mpt_snapshot = "frame.png"          as --snapshot
 * xl does not know them, so they are stripped into a private copy of the
 * configuration, and then:
 *	xl create -p COPY          the domain exists, paused
 *	mpt-xen run --domid N ...  the model (a child process), until it
 *	                           says it serves the domain
 *	xl unpause N
 *	wait for the model to end (the guest wrote the exit port, or the
 *	timeout) or the domain to go (shut down, crashed, destroyed: the
 *	model is then stopped with SIGTERM)
 *	xl destroy N               if it is still there
 * The exit status is the model's: the guest's exit-port value, or one of
 * mpt_xen.h's statuses.  A failure at any step destroys the domain.
 */
#define __XEN_TOOLS__ 1
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <xenctrl.h>

#include "mpt_xen.h"

#define MAX_CFG (256 * 1024)

struct create_ctx {
	char *devices[MPTRUN_MAX_DEVICES];
	unsigned int nr_devices;
	char *snapshot;
	const char *stats_file;
	char name[128];
	char tmp[64];
	unsigned int timeout;
	bool deprivilege;
	long domid;
};

static int fail(const char *fmt, const char *arg)
{
	fprintf(stderr, "mpt-xen: create: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n");
	return XEN_STATUS_USAGE;
}

/* The quoted strings of @val, into @out (at most @max). */
static int quoted_list(char *val, char **out, unsigned int max,
		       unsigned int *nr, const char *key)
{
	char *p = val, *q;

	*nr = 0;
	while ((p = strchr(p, '"'))) {
		q = strchr(p + 1, '"');
		if (!q)
			return fail("%s: unterminated string", key);
		if (*nr == max)
			return fail("%s: too many entries", key);
		*q = 0;
		out[(*nr)++] = strdup(p + 1);
		p = q + 1;
	}
	return 0;
}

static int mpt_key(struct create_ctx *c, char *key, char *val)
{
	unsigned int n;
	int ret;

	if (!strcmp(key, "mpt_device")) {
		ret = quoted_list(val, c->devices, MPTRUN_MAX_DEVICES,
				  &c->nr_devices, key);
		if (!ret && !c->nr_devices)
			return fail("%s: no device type given", key);
		return ret;
	}
	if (!strcmp(key, "mpt_snapshot")) {
		char *one[1];

		ret = quoted_list(val, one, 1, &n, key);
		if (!ret && n != 1)
			return fail("%s: want one file name", key);
		if (!ret && !c->snapshot)
			c->snapshot = one[0];
		return ret;
	}
	return fail("unknown mpt key '%s'", key);
}

/* "name = value" on one line: key into @key, trimmed; value after '='. */
static char *split_key(char *line, char *key, size_t max)
{
	char *eq = strchr(line, '='), *s = line, *e;
	size_t n;

	if (!eq)
		return NULL;
	while (*s == ' ' || *s == '\t')
		s++;
	for (e = eq; e > s && (e[-1] == ' ' || e[-1] == '\t'); e--)
		;
	n = (size_t)(e - s);
	if (!n || n >= max)
		return NULL;
	memcpy(key, s, n);
	key[n] = 0;
	return eq + 1;
}

/*
 * Copy the configuration to c->tmp without its mpt keys (whose values may
 * span lines, up to the closing bracket), and learn the domain's name.
 */
static int strip_config(struct create_ctx *c, const char *path)
{
	FILE *in = fopen(path, "r"), *out;
	char line[4096], key[64], val[4096];
	int fd, ret = 0;

	if (!in) {
		fprintf(stderr, "mpt-xen: create: %s: %s\n", path, strerror(errno));
		return XEN_STATUS_USAGE;
	}
	strcpy(c->tmp, "/tmp/mpt-xen-XXXXXX.cfg");
	fd = mkstemps(c->tmp, 4);
	out = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!out) {
		fclose(in);
		c->tmp[0] = 0;
		return fail("cannot write a temporary file (%s)", strerror(errno));
	}
	while (!ret && fgets(line, sizeof(line), in)) {
		char *v = split_key(line, key, sizeof(key));

		if (!v || strncmp(key, "mpt_", 4)) {
			if (v && !strcmp(key, "name"))
				sscanf(v, " \"%127[^\"]\"", c->name);
			fputs(line, out);
			continue;
		}
		snprintf(val, sizeof(val), "%s", v);
		while (strchr(val, '[') && !strchr(val, ']') &&
		       fgets(line, sizeof(line), in))
			strncat(val, line, sizeof(val) - strlen(val) - 1);
		ret = mpt_key(c, key, val);
	}
	fclose(in);
	if (fclose(out) && !ret)
		ret = fail("cannot write %s", c->tmp);
	if (!ret && !c->name[0])
		ret = fail("%s: no name = \"...\" (xl needs one)", path);
	if (!ret && !c->nr_devices)
		ret = fail("%s: no mpt_device = [ \"TYPE\", ... ]", path);
	return ret;
}

/* The signal mask create runs with, and what its children get back. */
static sigset_t saved_mask;

/*
 * Run a program, its stdout on @out_fd (-1: on our stderr), its stderr on
 * /dev/null if @quiet; its exit status, or -1.  No shell is involved.
 */
static int run_prog(char *const argv[], int out_fd, bool quiet)
{
	pid_t pid = fork();
	int st;

	if (pid < 0)
		return -1;
	if (!pid) {
		int null = open("/dev/null", O_WRONLY);

		sigprocmask(SIG_SETMASK, &saved_mask, NULL);
		dup2(out_fd >= 0 ? out_fd : STDERR_FILENO, STDOUT_FILENO);
		if (quiet && null >= 0)
			dup2(null, STDERR_FILENO);
		execvp(argv[0], argv);
		fprintf(stderr, "mpt-xen: cannot run %s: %s\n", argv[0],
			strerror(errno));
		_exit(127);
	}
	if (out_fd >= 0)
		close(out_fd);
	if (waitpid(pid, &st, 0) < 0)
		return -1;
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int spawn(char *const argv[])
{
	return run_prog(argv, -1, false);
}

/* xl domid NAME, without a shell; the domid or -1. */
static long domid_of(const char *name)
{
	char *argv[] = { "xl", "domid", (char *)name, NULL };
	char buf[32] = "";
	int fds[2];
	ssize_t n;
	long id;

	if (pipe(fds))
		return -1;
	if (run_prog(argv, fds[1], true)) {
		close(fds[0]);
		return -1;
	}
	n = read(fds[0], buf, sizeof(buf) - 1);
	close(fds[0]);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	id = strtol(buf, NULL, 10);
	return id > 0 ? id : -1;
}

/* Whether the domain exists and has not shut down. */
static bool domain_running(xc_interface *xch, long domid)
{
	xc_dominfo_t info;

	if (xc_domain_getinfo(xch, (u32)domid, 1, &info) != 1 ||
	    (long)info.domid != domid)
		return false;
	return !info.shutdown && !info.dying;
}

static bool domain_exists(long domid)
{
	xc_interface *xch = xc_interface_open(NULL, NULL, 0);
	xc_dominfo_t info;
	bool ret = true; /* when in doubt, destroy */

	if (xch) {
		ret = xc_domain_getinfo(xch, (u32)domid, 1, &info) == 1 &&
		      (long)info.domid == domid;
		xc_interface_close(xch);
	}
	return ret;
}

static void xl_domid_cmd(const char *verb, long domid)
{
	char id[24];
	char *argv[] = { "xl", (char *)verb, id, NULL };

	snprintf(id, sizeof(id), "%ld", domid);
	spawn(argv);
}

/* Start the model; its pid, or -1 when it failed before serving. */
static pid_t start_model(struct create_ctx *c, const char *self, int *status)
{
	char domid[24], fd_arg[16], *argv[2 * MPTRUN_MAX_DEVICES + 16];
	unsigned int n = 0, i;
	int fds[2], st;
	char buf[8] = "";
	pid_t pid;

	if (pipe(fds))
		return -1;
	snprintf(domid, sizeof(domid), "%ld", c->domid);
	snprintf(fd_arg, sizeof(fd_arg), "%d", fds[1]);
	argv[n++] = (char *)self;
	argv[n++] = "run";
	argv[n++] = "--domid";
	argv[n++] = domid;
	argv[n++] = "--ready-fd";
	argv[n++] = fd_arg;
	for (i = 0; i < c->nr_devices; i++) {
		argv[n++] = "--device";
		argv[n++] = c->devices[i];
	}
	if (c->snapshot) {
		argv[n++] = "--snapshot";
		argv[n++] = c->snapshot;
	}
	if (c->stats_file) {
		argv[n++] = "--stats-file";
		argv[n++] = (char *)c->stats_file;
	}
	if (!c->deprivilege)
		argv[n++] = "--no-deprivilege";
	argv[n++] = "--timeout";
	snprintf(buf, sizeof(buf), "%u", c->timeout);
	argv[n++] = buf;
	argv[n] = NULL;
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		close(fds[0]);
		sigprocmask(SIG_SETMASK, &saved_mask, NULL);
		execv(self, argv);
		fprintf(stderr, "mpt-xen: cannot run %s: %s\n", self,
			strerror(errno));
		_exit(XEN_STATUS_HOST);
	}
	close(fds[1]);
	memset(buf, 0, sizeof(buf));
	if (read(fds[0], buf, 6) != 6 || strncmp(buf, "ready\n", 6)) {
		close(fds[0]);
		waitpid(pid, &st, 0);
		*status = WIFEXITED(st) ? WEXITSTATUS(st) : XEN_STATUS_HOST;
		return -1;
	}
	close(fds[0]);
	return pid;
}

/*
 * Wait for the model to end, stopping it if the domain goes first, or if
 * we are told to stop (SIGINT, SIGTERM: blocked since xen_create() began,
 * so that the domain is destroyed whatever happens).
 */
static int supervise(struct create_ctx *c, pid_t pid)
{
	xc_interface *xch = xc_interface_open(NULL, NULL, 0);
	sigset_t pending;
	int st;

	for (;;) {
		pid_t r = waitpid(pid, &st, WNOHANG);

		if (r == pid)
			break;
		sigpending(&pending);
		if (sigismember(&pending, SIGINT) ||
		    sigismember(&pending, SIGTERM) ||
		    (xch && !domain_running(xch, c->domid))) {
			kill(pid, SIGTERM);
			waitpid(pid, &st, 0);
			break;
		}
		usleep(200 * 1000);
	}
	if (xch)
		xc_interface_close(xch);
	return WIFEXITED(st) ? WEXITSTATUS(st) : XEN_STATUS_HOST;
}

static int parse(struct create_ctx *c, int argc, char **argv,
		 const char **cfg)
{
	enum { O_SNAPSHOT = 256, O_STATS, O_TIMEOUT, O_NODEPRIV };
	static const struct option opts[] = {
		{ "snapshot", required_argument, NULL, O_SNAPSHOT },
		{ "stats-file", required_argument, NULL, O_STATS },
		{ "timeout", required_argument, NULL, O_TIMEOUT },
		{ "no-deprivilege", no_argument, NULL, O_NODEPRIV },
		{ NULL, 0, NULL, 0 },
	};
	u64 v;
	int o;

	c->timeout = 0;
	c->deprivilege = true;
	opterr = 0;
	optind = 1;
	while ((o = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
		switch (o) {
		case O_SNAPSHOT:
			c->snapshot = optarg;
			break;
		case O_STATS:
			c->stats_file = optarg;
			break;
		case O_TIMEOUT:
			if (!mptrun_parse_uint(optarg, 0, 86400, &v))
				return fail("--timeout %s: want 0 to 86400", optarg);
			c->timeout = (unsigned int)v;
			break;
		case O_NODEPRIV:
			c->deprivilege = false;
			break;
		default:
			return fail("unknown or incomplete option '%s'",
				    argv[optind - 1]);
		}
	}
	if (optind != argc - 1)
		return fail("%s", "want one CONFIG.cfg");
	*cfg = argv[optind];
	return 0;
}

int xen_create(int argc, char **argv, const char *self)
{
	struct create_ctx c = { .domid = -1 };
	char *xl_create[] = { "xl", "create", "-p", c.tmp, NULL };
	char exe[4096];
	const char *cfg;
	sigset_t stop;
	unsigned int tries;
	ssize_t n;
	int st;
	pid_t pid;
	int status;

	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	sigprocmask(SIG_BLOCK, &stop, &saved_mask);
	status = parse(&c, argc, argv, &cfg);
	if (!status)
		status = strip_config(&c, cfg);
	if (status)
		goto out;
	if (access("/dev/xen/privcmd", F_OK)) {
		fprintf(stderr, "mpt-xen: Xen is not running (no /dev/xen/privcmd):"
			" run this in dom0 of a Xen host\n");
		status = XEN_STATUS_HOST;
		goto out;
	}
	/* The model is this very program: find it whatever argv[0] says. */
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = 0;
		self = exe;
	}
	/*
	 * xl 4.17 under TCG sometimes aborts on a mutex assertion
	 * (___pthread_mutex_lock: mutex->__data.__owner == 0) right after
	 * another domain was torn down: a toolstack crash, not a bad
	 * configuration.  Clean up what it left and try once more.
	 */
	st = spawn(xl_create);
	if (st > 128) {
		char *xl_destroy[] = { "xl", "destroy", c.name, NULL };

		fprintf(stderr, "mpt-xen: xl create died of signal %d; retrying"
			" once\n", st - 128);
		run_prog(xl_destroy, -1, true);
		sleep(1);
		st = spawn(xl_create);
	}
	if (st) {
		fprintf(stderr, "mpt-xen: xl create -p %s failed (status %d)\n",
			cfg, st);
		status = XEN_STATUS_HOST;
		goto out;
	}
	/* xl's name lookup reads xenstore, which may lag behind: retry. */
	for (tries = 0; tries < 20 && c.domid < 0; tries++) {
		if (tries)
			usleep(250 * 1000);
		c.domid = domid_of(c.name);
	}
	if (c.domid < 0) {
		char *xl_list[] = { "xl", "list", NULL };

		char *xl_destroy[] = { "xl", "destroy", c.name, NULL };

		fprintf(stderr, "mpt-xen: domain '%s' not found after xl create;"
			" xl list says:\n", c.name);
		spawn(xl_list);
		/* Do not leave it behind if it is there after all. */
		spawn(xl_destroy);
		status = XEN_STATUS_HOST;
		goto out;
	}
	status = XEN_STATUS_HOST;
	pid = start_model(&c, self, &status);
	if (pid < 0) {
		fprintf(stderr, "mpt-xen: the device model for domain %ld did not"
			" start (status %d)\n", c.domid, status);
		goto out;
	}
	xl_domid_cmd("unpause", c.domid);
	status = supervise(&c, pid);
out:
	/* Unless the toolstack destroyed it already (on_poweroff). */
	if (c.domid > 0 && domain_exists(c.domid))
		xl_domid_cmd("destroy", c.domid);
	/*
	 * Return once it is gone: a domain being torn down by xl's watcher
	 * while the next xl create runs made that create fail.
	 */
	for (tries = 0; c.domid > 0 && tries < 100 && domain_exists(c.domid);
	     tries++)
		usleep(100 * 1000);
	if (c.tmp[0])
		unlink(c.tmp);
	return status;
}
