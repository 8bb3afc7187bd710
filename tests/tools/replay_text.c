/* replay_text - fuzz_text's LLVMFuzzerTestOneInput on the files named on the
 * command line (tests/fuzz/replay.sh). */
#include "../fuzz/fuzz_text.c"
#include "../fuzz/replay_main.c"
