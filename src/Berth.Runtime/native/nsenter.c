/*
 * nsenter.c: the only C in Berth.
 *
 * A .NET process has several threads from its first instruction, and Linux refuses
 * unshare(CLONE_NEWUSER), unshare(CLONE_NEWNS) and setns() into user and mount namespaces to a
 * multi-threaded process. So, like runc's nsexec, this constructor runs before the .NET runtime
 * starts, while the process still has one thread, enters or creates the container's namespaces,
 * forks once (pid and time namespaces apply to children only) and returns into .NET in the final
 * process. Everything else (mounts, cgroups, capabilities, seccomp, ...) is C#.
 *
 * It is inert unless the environment holds _BERTH_INITPIPE=<fd>, set by berth-runtime when it
 * starts a container's init or exec process. The protocol on that socket is a stream of
 * frames: u32 type, u32 length, payload (native byte order), see the enums below and
 * Berth.Runtime/Init/NsenterProtocol.cs, which must agree with them.
 *
 * Sequence:
 *   runtime -> here : BOOT_* frames ending in BOOT_END
 *   here            : write oom_score_adj; join the cgroup v1 hierarchies (join_cgroups_v1), and the
 *                     v2 one too when a user namespace follows
 *   here            : open every namespace path; setns(user) then the rest but cgroup
 *   here            : if a new user namespace is asked for: unshare it, send SYNC_USERMAP_PLS(pid),
 *                     wait for SYNC_USERMAP_ACK (the runtime has written uid_map/gid_map), become root
 *   here            : unshare the other new namespaces but cgroup, write timens_offsets
 *   here            : clone3(CLONE_PARENT | CLONE_INTO_CGROUP) -> the final process is the runtime's
 *                     child, born in its cgroup v2 directory
 *   intermediate    : send SYNC_CHILD_PID(pid), _exit(0)
 *   final process   : once the intermediate is gone, join or unshare the cgroup namespace (its root
 *                     is the cgroup the process is in at that moment); return from the constructor;
 *                     .NET starts; C# asks berth_nsenter_initpipe()
 * Any failure sends SYNC_ERROR("nsenter: <what>: <strerror>") and exits with status 1.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif
#ifndef CLONE_INTO_CGROUP
#define CLONE_INTO_CGROUP 0x200000000ULL
#endif
#ifndef SYS_clone3
#define SYS_clone3 435
#endif

/* struct clone_args of linux/sched.h up to its cgroup field (CLONE_ARGS_SIZE_VER2). */
struct clone3_args {
	uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls;
	uint64_t set_tid, set_tid_size, cgroup;
};

enum boot_type {
	BOOT_CLONE_FLAGS = 1,   /* u32: namespaces to create */
	BOOT_NS_PATH = 2,       /* u32 clone flag of the namespace, then a NUL-terminated path to join */
	BOOT_TIMENS_OFFSETS = 3,/* text for /proc/self/timens_offsets */
	BOOT_OOM_SCORE_ADJ = 4, /* text for /proc/self/oom_score_adj */
	BOOT_CGROUP_TASKS = 5,  /* a cgroup v1 `tasks` file to join */
	BOOT_CGROUP_V2 = 6,     /* a cgroup v2 directory for the final process */
	BOOT_END = 255,
};

enum sync_type {
	SYNC_USERMAP_PLS = 0x40, /* i32 pid: write my uid_map and gid_map */
	SYNC_USERMAP_ACK = 0x41, /* from the runtime: maps written */
	SYNC_CHILD_PID = 0x42,   /* i32 pid of the final process, as the runtime sees it */
	SYNC_ERROR = 0x4f,       /* text */
};

#define MAX_NS 16
#define MAX_CGROUPS 32
#define MAX_FRAME 65536

static int initpipe = -1;

struct frame {
	uint32_t type;
	uint32_t len;
};

static int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int read_all(int fd, void *buf, size_t len)
{
	char *p = buf;
	while (len > 0) {
		ssize_t n = read(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (n == 0) {
			errno = EPIPE;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int send_frame(uint32_t type, const void *payload, uint32_t len)
{
	struct frame f = { type, len };
	if (write_all(initpipe, &f, sizeof f) < 0)
		return -1;
	return len ? write_all(initpipe, payload, len) : 0;
}

__attribute__((noreturn, format(printf, 1, 2))) static void bail(const char *fmt, ...)
{
	char msg[1024];
	int saved = errno;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	if ((size_t)n >= sizeof msg)
		n = sizeof msg - 1;
	if (saved)
		n += snprintf(msg + n, sizeof msg - (size_t)n, ": %s", strerror(saved));
	if ((size_t)n >= sizeof msg)
		n = sizeof msg - 1;
	send_frame(SYNC_ERROR, msg, (uint32_t)n);
	_exit(1);
}

static void write_file(const char *path, const char *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		bail("nsenter: open %s", path);
	if (write_all(fd, data, len) < 0)
		bail("nsenter: write %s", path);
	close(fd);
}

static const char *ns_name(uint32_t flag)
{
	switch (flag) {
	case CLONE_NEWUSER: return "user";
	case CLONE_NEWNS: return "mount";
	case CLONE_NEWPID: return "pid";
	case CLONE_NEWNET: return "network";
	case CLONE_NEWUTS: return "uts";
	case CLONE_NEWIPC: return "ipc";
	case CLONE_NEWCGROUP: return "cgroup";
	case CLONE_NEWTIME: return "time";
	default: return "unknown";
	}
}

struct join {
	uint32_t flag;
	int fd;
	char path[4096];
};

static struct join joins[MAX_NS];
static int njoins;
static uint32_t clone_flags;
static char timens_offsets[4096];
static char oom_score_adj[32];
static char cgroup_tasks[MAX_CGROUPS][4096];
static int ncgroup_tasks;
static char cgroup_v2[4096];

static void copy_text(char *dst, size_t size, const char *src, const char *what)
{
	size_t len = strlen(src);
	if (len >= size) {
		errno = ENAMETOOLONG;
		bail("nsenter: %s", what);
	}
	memcpy(dst, src, len + 1);
}

static void read_bootstrap(void)
{
	static char buf[MAX_FRAME];
	for (;;) {
		struct frame f;
		if (read_all(initpipe, &f, sizeof f) < 0)
			bail("nsenter: read bootstrap");
		if (f.len >= sizeof buf) {
			errno = E2BIG;
			bail("nsenter: bootstrap frame %u of %u bytes", f.type, f.len);
		}
		if (f.len && read_all(initpipe, buf, f.len) < 0)
			bail("nsenter: read bootstrap");
		buf[f.len] = '\0';
		switch (f.type) {
		case BOOT_CLONE_FLAGS:
			if (f.len != sizeof clone_flags) {
				errno = EINVAL;
				bail("nsenter: clone flags frame");
			}
			memcpy(&clone_flags, buf, sizeof clone_flags);
			break;
		case BOOT_NS_PATH:
			if (njoins == MAX_NS || f.len <= sizeof(uint32_t)) {
				errno = EINVAL;
				bail("nsenter: namespace path frame");
			}
			memcpy(&joins[njoins].flag, buf, sizeof(uint32_t));
			copy_text(joins[njoins].path, sizeof joins[njoins].path, buf + sizeof(uint32_t), "namespace path");
			njoins++;
			break;
		case BOOT_TIMENS_OFFSETS:
			copy_text(timens_offsets, sizeof timens_offsets, buf, "timens offsets");
			break;
		case BOOT_OOM_SCORE_ADJ:
			copy_text(oom_score_adj, sizeof oom_score_adj, buf, "oom_score_adj");
			break;
		case BOOT_CGROUP_TASKS:
			if (ncgroup_tasks == MAX_CGROUPS) {
				errno = EINVAL;
				bail("nsenter: too many cgroup hierarchies");
			}
			copy_text(cgroup_tasks[ncgroup_tasks++], sizeof cgroup_tasks[0], buf, "cgroup path");
			break;
		case BOOT_CGROUP_V2:
			copy_text(cgroup_v2, sizeof cgroup_v2, buf, "cgroup path");
			break;
		case BOOT_END:
			return;
		default:
			errno = EINVAL;
			bail("nsenter: unknown bootstrap frame %u", f.type);
		}
	}
}

/* The cgroup namespace is joined by the final process (join_cgroup_namespace), once it is in its cgroups. */
static int cgroupns_fd = -1;

static void join_namespaces(void)
{
	/* Open every path first: joining the mount namespace changes what later paths mean. */
	for (int i = 0; i < njoins; i++) {
		joins[i].fd = open(joins[i].path, O_RDONLY | O_CLOEXEC);
		if (joins[i].fd < 0)
			bail("nsenter: open %s namespace %s", ns_name(joins[i].flag), joins[i].path);
	}
	/* The user namespace first: it grants the capabilities needed to join the others. */
	for (int pass = 0; pass < 2; pass++) {
		for (int i = 0; i < njoins; i++) {
			int is_user = joins[i].flag == CLONE_NEWUSER;
			if (is_user != (pass == 0))
				continue;
			if (joins[i].flag == CLONE_NEWCGROUP) {
				cgroupns_fd = joins[i].fd;
				continue;
			}
			if (setns(joins[i].fd, (int)joins[i].flag) < 0)
				bail("nsenter: setns %s namespace %s", ns_name(joins[i].flag), joins[i].path);
			close(joins[i].fd);
		}
	}
}

static void await_usermap(void)
{
	int32_t pid = (int32_t)getpid();
	/* The runtime opens /proc/<pid>/uid_map; a non-dumpable process's proc files belong to root,
	   which a rootless runtime is not. */
	prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
	if (send_frame(SYNC_USERMAP_PLS, &pid, sizeof pid) < 0)
		bail("nsenter: ask for user namespace maps");
	struct frame f;
	if (read_all(initpipe, &f, sizeof f) < 0 || f.type != SYNC_USERMAP_ACK || f.len != 0) {
		if (!errno)
			errno = EPROTO;
		bail("nsenter: wait for user namespace maps");
	}
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}

/*
 * Joins the cgroup v1 hierarchies by writing 0 to their `tasks` files: that moves the calling thread
 * only, which is the whole process while it has one thread. Moving a process by pid (cgroup.procs),
 * as the runtime would, takes the kernel's global threadgroup lock for writing, which waits for an
 * RCU grace period: 8 to 15 ms on these machines, the largest single cost of starting a container.
 */
static void join_cgroups_v1(void)
{
	for (int i = 0; i < ncgroup_tasks; i++)
		write_file(cgroup_tasks[i], "0", 1);
}

static int open_cgroup_v2(void)
{
	if (!cgroup_v2[0])
		return -1;
	int fd = open(cgroup_v2, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		bail("nsenter: open cgroup %s", cgroup_v2);
	return fd;
}

/* Moves this process into the cgroup v2 directory by cgroup.procs: the slow way, see join_cgroups_v1. */
static void join_cgroup_v2(int cgroup_fd)
{
	int procs = openat(cgroup_fd, "cgroup.procs", O_WRONLY | O_CLOEXEC);
	if (procs < 0 || write_all(procs, "0", 1) < 0)
		bail("nsenter: join cgroup %s", cgroup_v2);
	close(procs);
}

static int enters_user_namespace(void)
{
	if (clone_flags & CLONE_NEWUSER)
		return 1;
	for (int i = 0; i < njoins; i++)
		if (joins[i].flag == CLONE_NEWUSER)
			return 1;
	return 0;
}

/*
 * The final process, born in the cgroup v2 directory where the kernel can (CLONE_INTO_CGROUP, no
 * migration and so no threadgroup lock), else moved there once born. Returns clone's result.
 */
static pid_t clone_final(int cgroup_fd, int *born_in_cgroup)
{
	*born_in_cgroup = 0;
	if (cgroup_fd >= 0) {
		struct clone3_args args;
		memset(&args, 0, sizeof args);
		args.flags = CLONE_PARENT | CLONE_INTO_CGROUP;
		args.cgroup = (uint64_t)cgroup_fd;
		pid_t child = (pid_t)syscall(SYS_clone3, &args, sizeof args);
		if (child >= 0) {
			*born_in_cgroup = 1;
			return child;
		}
		/* Kernels before 5.7 lack clone3's cgroup field (E2BIG) or clone3 itself (ENOSYS). */
		if (errno != ENOSYS && errno != E2BIG)
			bail("nsenter: start the container's process in cgroup %s", cgroup_v2);
	}
	return (pid_t)syscall(SYS_clone, CLONE_PARENT | SIGCHLD, 0, 0, 0, 0);
}

static void join_cgroup_namespace(int create)
{
	if (cgroupns_fd >= 0) {
		if (setns(cgroupns_fd, CLONE_NEWCGROUP) < 0)
			bail("nsenter: setns cgroup namespace");
		close(cgroupns_fd);
	}
	if (create && unshare(CLONE_NEWCGROUP) < 0)
		bail("nsenter: unshare cgroup namespace");
}

static void enter(void)
{
	/* Keep the container's processes away from this one (and its /proc/<pid>/exe) until execve. */
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	read_bootstrap();

	/* Before the user namespace: lowering it there would need privileges we then lack. */
	if (oom_score_adj[0])
		write_file("/proc/self/oom_score_adj", oom_score_adj, strlen(oom_score_adj));

	/* Host paths: before any namespace changes what they name. */
	join_cgroups_v1();
	int cgroup_fd = open_cgroup_v2();
	/* In a user namespace whose root is an unprivileged host user, the process could no longer
	   place itself in a cgroup the host's root owns: it joins now, while it is still root. */
	if (cgroup_fd >= 0 && enters_user_namespace()) {
		join_cgroup_v2(cgroup_fd);
		close(cgroup_fd);
		cgroup_fd = -1;
	}

	join_namespaces();

	if (clone_flags & CLONE_NEWUSER) {
		if (unshare(CLONE_NEWUSER) < 0)
			bail("nsenter: unshare user namespace");
		await_usermap();
		if (setresgid(0, 0, 0) < 0)
			bail("nsenter: setresgid 0 in the new user namespace");
		if (setresuid(0, 0, 0) < 0)
			bail("nsenter: setresuid 0 in the new user namespace");
	}

	uint32_t rest = clone_flags & ~(uint32_t)(CLONE_NEWUSER | CLONE_NEWCGROUP);
	if (rest && unshare((int)rest) < 0)
		bail("nsenter: unshare namespaces 0x%x", rest);
	if ((rest & CLONE_NEWTIME) && timens_offsets[0])
		write_file("/proc/self/timens_offsets", timens_offsets, strlen(timens_offsets));

	/* The final process speaks on the init pipe only after the intermediate has said its pid and
	   gone: it waits for the end of this pipe, whose write end only the intermediate keeps. */
	int gone[2];
	if (pipe2(gone, O_CLOEXEC) < 0)
		bail("nsenter: pipe");

	/* Enter the new pid and time namespaces (they apply to children only). CLONE_PARENT makes
	   the final process the runtime's own child, so that `run` can wait for it. */
	int born_in_cgroup;
	pid_t child = clone_final(cgroup_fd, &born_in_cgroup);
	if (child < 0)
		bail("nsenter: clone");
	if (child > 0) {
		int32_t pid = (int32_t)child;
		if (send_frame(SYNC_CHILD_PID, &pid, sizeof pid) < 0)
			_exit(1);
		_exit(0);
	}
	close(gone[1]);
	char byte;
	while (read(gone[0], &byte, 1) < 0 && errno == EINTR)
		;
	close(gone[0]);
	if (cgroup_fd >= 0) {
		if (!born_in_cgroup)
			join_cgroup_v2(cgroup_fd);
		close(cgroup_fd);
	}
	join_cgroup_namespace((clone_flags & CLONE_NEWCGROUP) != 0);
}

__attribute__((constructor)) static void berth_nsenter(void)
{
	const char *env = getenv("_BERTH_INITPIPE");
	if (!env || !*env)
		return;
	char *end;
	long fd = strtol(env, &end, 10);
	if (*end != '\0' || fd < 0 || fd > 65535)
		return;
	initpipe = (int)fd;
	/* Nothing the container starts may see the protocol. */
	unsetenv("_BERTH_INITPIPE");
	enter();
}

/* For C#: the init pipe when this process is a container's init or exec process whose namespaces
   have been entered, else -1. */
int berth_nsenter_initpipe(void)
{
	return initpipe;
}
