/* replay_units - fuzz_units's LLVMFuzzerTestOneInput on the files named on the
 * command line (tests/fuzz/replay.sh). */
#include "../fuzz/fuzz_units.c"
#include "../fuzz/replay_main.c"
