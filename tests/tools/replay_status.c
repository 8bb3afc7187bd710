/* replay_status - fuzz_status's LLVMFuzzerTestOneInput on the files named on the
 * command line (tests/fuzz/replay.sh). */
#include "../fuzz/fuzz_status.c"
#include "../fuzz/replay_main.c"
