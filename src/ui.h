/* ui.h - the interactive dashboard (ncursesw).  Only ui*.c include curses. */
#ifndef PLANDASH_UI_H
#define PLANDASH_UI_H

#include "plan.h"
#include "status.h"
#include "util.h"

/* Run the dashboard on a loaded plan and its status until the user quits.
 * plan_path is shown and watched.  Returns the exit status (0, or 1 after a
 * fatal error that was reported to d; the terminal is restored first).
 * q and Ctrl-C (SIGINT) return 0; SIGTERM and SIGHUP return 128 + signal. */
int ui_run(plan *p, status *s, const char *plan_path, diags *d);

#endif
