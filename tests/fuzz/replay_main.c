/* replay_main.c - main() of a replay program: runs the fuzz target it is
 * included after (tests/tools/replay_*.c) on each file named on the
 * command line, without libFuzzer, so that saved inputs (tests/fuzz/corpus,
 * tests/fuzz/regress) are tested by every build, sanitised or not.
 *
 * As under `make fuzz`, an input fails by crashing or aborting (a broken
 * invariant), by running longer than REPLAY_TIMEOUT seconds (default 10;
 * libFuzzer allows 2 to an ASan build), or by taking the process past
 * REPLAY_RSS_MB megabytes of memory (default 512). */
#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

static unsigned long replay_env(const char *name, unsigned long def)
{
    const char *v = getenv(name);
    char *end;
    unsigned long n = v ? strtoul(v, &end, 10) : 0;
    return v && *v && !*end && n > 0 ? n : def;
}

/* The whole file, in a buffer of exactly its size (as libFuzzer hands it). */
static uint8_t *replay_read(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return NULL;
    }
    size_t cap = 4096, n = 0;
    uint8_t *buf = malloc(cap);
    for (;;) {
        if (!buf) {
            fclose(f);
            return NULL;
        }
        n += fread(buf + n, 1, cap - n, f);
        if (n < cap)
            break;
        cap *= 2;
        uint8_t *grown = realloc(buf, cap);
        if (!grown)
            free(buf);
        buf = grown;
    }
    int err = ferror(f);
    fclose(f);
    if (err) {
        fprintf(stderr, "%s: read error\n", path);
        free(buf);
        return NULL;
    }
    uint8_t *exact = malloc(n ? n : 1);
    if (exact && n)
        memcpy(exact, buf, n);
    free(buf);
    *size = n;
    return exact;
}

int main(int argc, char **argv)
{
    unsigned long timeout = replay_env("REPLAY_TIMEOUT", 10);
    unsigned long rss_mb = replay_env("REPLAY_RSS_MB", 512);
    LLVMFuzzerInitialize(&argc, &argv);
    int rc = 0;
    for (int i = 1; i < argc; i++) {
        size_t size = 0;
        uint8_t *data = replay_read(argv[i], &size);
        if (!data) {
            rc = 1;
            continue;
        }
        /* SIGALRM's default action ends the process: a hang is a failure. */
        alarm((unsigned)timeout);
        LLVMFuzzerTestOneInput(data, size);
        alarm(0);
        free(data);
        struct rusage ru;
        if (getrusage(RUSAGE_SELF, &ru) == 0 && (unsigned long)ru.ru_maxrss / 1024 > rss_mb) {
            fprintf(stderr, "%s: used %ld MB of memory (limit %lu)\n", argv[i],
                    ru.ru_maxrss / 1024, rss_mb);
            rc = 1;
            break;
        }
    }
    return rc;
}
