// libFuzzer's driver started from an ordinary main: SwiftPM gives every executable its own entry
// point, so the executables call LLVMFuzzerRunDriver instead of linking libFuzzer's main.
#include "CFuzzDriver.h"

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

int nlsprobe_fuzz_main(int argc, char **argv, nlsprobe_fuzz_callback callback) {
    return LLVMFuzzerRunDriver(&argc, &argv, callback);
}
