/* replay_import - fuzz_import's LLVMFuzzerTestOneInput on the files named on
 * the command line (tests/fuzz/replay.sh). */
#include "../fuzz/fuzz_import.c"
#include "../fuzz/replay_main.c"
