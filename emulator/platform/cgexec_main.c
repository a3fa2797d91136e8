/* slipway-cgexec <cgroup dir> -- <program> [args...]
 * Joins the cgroup (writes its own pid to <dir>/cgroup.procs), then execs the program, so a Lambda
 * runtime is inside its memory cgroup before it runs a single instruction of its own. A separate
 * C program rather than a verb of the slipway binary: it starts in a fraction of a millisecond,
 * where loading the daemon's binary added about 4.6 ms to every cold start. The daemon runs it
 * from its own folder and falls back to `slipway __enter-cgroup` when it is missing. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char** argv) {
  if (argc < 4 || strcmp(argv[2], "--") != 0) {
    fprintf(stderr, "usage: slipway-cgexec <cgroup dir> -- <program> [args...]\n");
    return 127;
  }
  char path[4096], pid[32];
  snprintf(path, sizeof path, "%s/cgroup.procs", argv[1]);
  const int len = snprintf(pid, sizeof pid, "%d", (int)getpid());
  const int fd = open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0 || write(fd, pid, (size_t)len) != len) {
    fprintf(stderr, "slipway: cannot enter the environment's cgroup %s: %s\n", argv[1], strerror(errno));
    return 127;
  }
  close(fd);
  execvp(argv[3], argv + 3);
  fprintf(stderr, "slipway: cannot run %s: %s\n", argv[3], strerror(errno));
  return 127;
}
