import CFuzzDriver
import Foundation
import NLSFuzzing

// libFuzzer on `FuzzTarget.token`: every input is decoded, none is rejected.
exit(
    nlsprobe_fuzz_main(CommandLine.argc, CommandLine.unsafeArgv) { data, size in
        FuzzTarget.token.run(UnsafeRawBufferPointer(start: data, count: size))
        return 0
    })
