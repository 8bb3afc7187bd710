/* cjson_baseline.c - the floor for saving and loading a status file with
 * cJSON alone.
 *
 *   cjson_baseline STATUS.json REPEATS
 *
 * load: read the file, cJSON_Parse it, walk "items" once into a flat array
 * (id, done, at, by), delete the tree.  save: build a cJSON tree of those
 * entries, print it, write it to a temporary file beside STATUS.json,
 * fsync, rename it over a copy (STATUS.json.baseline, never the input), and
 * fsync the folder - what an atomic save needs at the least.  Prints the
 * median and the largest time of each, in milliseconds:
 *   save_ms MEDIAN MAX load_ms MEDIAN MAX entries N bytes B */
#include <cjson/cJSON.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

typedef struct {
    char *id, *at, *by;
    int done;
} entry;

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static void *must(void *p)
{
    if (!p) {
        perror("cjson_baseline");
        exit(1);
    }
    return p;
}

static char *read_file(const char *path, size_t *len)
{
    int fd = open(path, O_RDONLY);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) < 0) {
        perror(path);
        exit(1);
    }
    char *b = must(malloc((size_t)st.st_size + 1));
    size_t n = 0;
    while (n < (size_t)st.st_size) {
        ssize_t r = read(fd, b + n, (size_t)st.st_size - n);
        if (r <= 0) {
            perror(path);
            exit(1);
        }
        n += (size_t)r;
    }
    close(fd);
    b[n] = '\0';
    *len = n;
    return b;
}

static char *dup_or_null(const cJSON *s)
{
    return cJSON_IsString(s) ? must(strdup(s->valuestring)) : NULL;
}

/* Read, parse, walk once into v (no per-id lookups), drop the tree. */
static entry *load(const char *path, size_t *n_out)
{
    size_t len;
    char *text = read_file(path, &len);
    cJSON *root = cJSON_ParseWithLength(text, len);
    free(text);
    if (!root) {
        fprintf(stderr, "%s: cJSON cannot parse it\n", path);
        exit(1);
    }
    const cJSON *items = cJSON_GetObjectItemCaseSensitive(root, "items");
    size_t n = (size_t)cJSON_GetArraySize(items);
    entry *v = must(calloc(n ? n : 1, sizeof *v));
    size_t i = 0;
    for (const cJSON *e = items ? items->child : NULL; e && i < n; e = e->next, i++) {
        v[i].id = must(strdup(e->string));
        for (const cJSON *f = e->child; f; f = f->next) {
            if (strcmp(f->string, "done") == 0)
                v[i].done = cJSON_IsTrue(f);
            else if (strcmp(f->string, "at") == 0)
                v[i].at = dup_or_null(f);
            else if (strcmp(f->string, "by") == 0)
                v[i].by = dup_or_null(f);
        }
    }
    cJSON_Delete(root);
    *n_out = i;
    return v;
}

/* Build, print, write, fsync, rename, fsync the folder. */
static size_t save(const char *path, const char *dir, const entry *v, size_t n)
{
    cJSON *root = must(cJSON_CreateObject());
    cJSON_AddNumberToObject(root, "version", 1);
    cJSON *items = must(cJSON_AddObjectToObject(root, "items"));
    for (size_t i = 0; i < n; i++) {
        cJSON *e = must(cJSON_CreateObject());
        cJSON_AddBoolToObject(e, "done", v[i].done);
        if (v[i].at)
            cJSON_AddStringToObject(e, "at", v[i].at);
        if (v[i].by)
            cJSON_AddStringToObject(e, "by", v[i].by);
        cJSON_AddItemToObject(items, v[i].id, e);
    }
    char *text = must(cJSON_PrintBuffered(root, (int)(n * 90 + 64), 0));
    cJSON_Delete(root);
    size_t len = strlen(text);
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0666);
    if (fd < 0) {
        perror(tmp);
        exit(1);
    }
    size_t off = 0;
    while (off < len) {
        ssize_t w = write(fd, text + off, len - off);
        if (w <= 0) {
            perror(tmp);
            exit(1);
        }
        off += (size_t)w;
    }
    if (fsync(fd) < 0 || close(fd) < 0 || rename(tmp, path) < 0) {
        perror(tmp);
        exit(1);
    }
    int dfd = open(dir, O_RDONLY | O_DIRECTORY);
    if (dfd >= 0) {
        fsync(dfd);
        close(dfd);
    }
    free(text);
    return len;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    if (argc != 3 || atoi(argv[2]) < 1) {
        fprintf(stderr, "usage: cjson_baseline STATUS.json REPEATS\n");
        return 2;
    }
    int reps = atoi(argv[2]);
    char out[4096], dir[4096];
    snprintf(out, sizeof out, "%s.baseline", argv[1]);
    snprintf(dir, sizeof dir, "%s", argv[1]);
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
    else
        snprintf(dir, sizeof dir, ".");
    double *ts = must(calloc((size_t)reps, sizeof *ts));
    double *tl = must(calloc((size_t)reps, sizeof *tl));
    size_t n = 0, bytes = 0;
    for (int r = 0; r < reps; r++) {
        double t0 = now_ms();
        entry *v = load(argv[1], &n);
        double t1 = now_ms();
        bytes = save(out, dir, v, n);
        double t2 = now_ms();
        tl[r] = t1 - t0;
        ts[r] = t2 - t1;
        for (size_t i = 0; i < n; i++) {
            free(v[i].id);
            free(v[i].at);
            free(v[i].by);
        }
        free(v);
    }
    unlink(out);
    qsort(ts, (size_t)reps, sizeof *ts, cmp_double);
    qsort(tl, (size_t)reps, sizeof *tl, cmp_double);
    printf("save_ms %.2f %.2f load_ms %.2f %.2f entries %zu bytes %zu\n", ts[reps / 2],
           ts[reps - 1], tl[reps / 2], tl[reps - 1], n, bytes);
    free(ts);
    free(tl);
    return 0;
}
