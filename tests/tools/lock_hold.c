/* lock_hold - hold the lock a plandash save takes (an OFD write lock on
 * FILE.lock) for the sharing and dashboard tests.
 *
 *   lock_hold LOCKFILE SECONDS [READY]
 *
 * Opens LOCKFILE read-write (creating it), waits for the lock, creates the
 * file READY (if given) once it holds it, and holds it SECONDS seconds or
 * until killed.  Exit: 0, or 2 with a message. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: lock_hold LOCKFILE SECONDS [READY]\n");
        return 2;
    }
    int fd = open(argv[1], O_RDWR | O_CREAT | O_CLOEXEC, 0666);
    if (fd < 0) {
        fprintf(stderr, "lock_hold: %s: %s\n", argv[1], strerror(errno));
        return 2;
    }
    struct flock fl;
    memset(&fl, 0, sizeof fl);
    fl.l_type = F_WRLCK;
    fl.l_whence = SEEK_SET;
    if (fcntl(fd, F_OFD_SETLKW, &fl) < 0) {
        fprintf(stderr, "lock_hold: lock %s: %s\n", argv[1], strerror(errno));
        return 2;
    }
    if (argc > 3) {
        int r = open(argv[3], O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
        if (r >= 0)
            close(r);
    }
    sleep((unsigned)atoi(argv[2]));
    close(fd);
    return 0;
}
