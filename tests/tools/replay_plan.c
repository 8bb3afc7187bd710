/* replay_plan - fuzz_plan's LLVMFuzzerTestOneInput on the files named on the
 * command line (tests/fuzz/replay.sh). */
#include "../fuzz/fuzz_plan.c"
#include "../fuzz/replay_main.c"
