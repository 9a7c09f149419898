#ifndef NLSPROBE_CFUZZDRIVER_H
#define NLSPROBE_CFUZZDRIVER_H

#include <stddef.h>
#include <stdint.h>

/// libFuzzer's input callback: one input, 0 to keep going.
typedef int (*nlsprobe_fuzz_callback)(const uint8_t *data, size_t size);

/// Runs libFuzzer's driver (command line as libFuzzer takes it) on `callback`; returns its status.
int nlsprobe_fuzz_main(int argc, char **argv, nlsprobe_fuzz_callback callback);

#endif
