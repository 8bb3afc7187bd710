/* timeit.c - run a command once; print its wall time and peak memory.
 *
 *   timeit [-i IN] [-o OUT] [-e ERR] [-t VAR] CMD [ARG]...
 *
 * runs CMD with stdin from IN, stdout to OUT and stderr to ERR (each
 * /dev/null by default), with VAR (if given) set in its environment to the
 * CLOCK_MONOTONIC time of the start in microseconds, so that the program
 * can tell how long after its start something happened (the dashboard's
 * first frame, PLANDASH_TEST_T0), and prints one line:
 *   WALL_MS MAXRSS_KB EXIT CPU_MS
 * WALL_MS is from fork to the child's exit (CLOCK_MONOTONIC); MAXRSS_KB is
 * the child's peak resident set (wait4's ru_maxrss, as /usr/bin/time %M);
 * EXIT is its exit status, or 128 + the signal that ended it; CPU_MS is
 * its user and system time, which other load on the machine disturbs less
 * than the wall time. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void redirect(const char *path, int fd, int flags)
{
    int f = open(path, flags, 0666);
    if (f < 0 || dup2(f, fd) < 0) {
        perror(path);
        _exit(127);
    }
    close(f);
}

int main(int argc, char **argv)
{
    const char *in = "/dev/null", *out = "/dev/null", *err = "/dev/null", *var = NULL;
    int c;
    while ((c = getopt(argc, argv, "+i:o:e:t:")) != -1) {
        switch (c) {
        case 'i': in = optarg; break;
        case 'o': out = optarg; break;
        case 'e': err = optarg; break;
        case 't': var = optarg; break;
        default:
            fprintf(stderr, "usage: timeit [-i IN] [-o OUT] [-e ERR] [-t VAR] CMD [ARG]...\n");
            return 2;
        }
    }
    if (optind >= argc) {
        fprintf(stderr, "usage: timeit [-i IN] [-o OUT] [-e ERR] [-t VAR] CMD [ARG]...\n");
        return 2;
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (var) {
        char us[32];
        snprintf(us, sizeof us, "%lld", (long long)t0.tv_sec * 1000000 + t0.tv_nsec / 1000);
        setenv(var, us, 1);
    }
    pid_t pid = fork();
    if (pid < 0) {
        perror("fork");
        return 1;
    }
    if (pid == 0) {
        redirect(in, 0, O_RDONLY);
        redirect(out, 1, O_WRONLY | O_CREAT | O_TRUNC);
        redirect(err, 2, O_WRONLY | O_CREAT | O_TRUNC);
        execvp(argv[optind], argv + optind);
        perror(argv[optind]);
        _exit(127);
    }
    int st;
    struct rusage ru;
    while (wait4(pid, &st, 0, &ru) < 0) {
        if (errno != EINTR) {
            perror("wait4");
            return 1;
        }
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
    int rc = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    double cpu = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
                 (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
    printf("%.3f %ld %d %.3f\n", ms, ru.ru_maxrss, rc, cpu);
    return 0;
}
