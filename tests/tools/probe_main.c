/* probe_main.c - runs the Ambiguous-width probe as the dashboard would and
 * prints what it decided, for tests/cli/terminal.sh (inside tests/tools/vt.py).
 * Usage: probe_main [TIMEOUT_MS]
 * Prints, on the row after the probe's:
 *   mode=wide|narrow reason=detected|set|default ms=ELAPSED stray=HEX
 *   label=THE HELP SCREEN'S LINE */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "termprobe.h"

int main(int argc, char **argv)
{
    setlocale(LC_ALL, "");
    int timeout = argc > 1 ? atoi(argv[1]) : TERMPROBE_TIMEOUT_MS;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    termprobe_stray stray;
    termprobe_mode m = termprobe_choose(STDIN_FILENO, STDOUT_FILENO, timeout, &stray);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    long ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
    static const char *const reasons[] = {"default", "detected", "set"};
    printf("\nmode=%s reason=%s ms=%ld stray=", m.wide ? "wide" : "narrow",
           reasons[m.reason], ms);
    for (size_t i = 0; i < stray.n; i++)
        printf("%02x", stray.bytes[i]);
    printf("%s\nlabel=%s\n", m.bad_setting ? " bad-setting" : "", termprobe_label(&m));
    return 0;
}
