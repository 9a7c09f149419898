import CFuzzDriver
import Foundation
import NLSFuzzing

// libFuzzer on `FuzzTarget.report`: every input is decoded, none is rejected.
exit(
    nlsprobe_fuzz_main(CommandLine.argc, CommandLine.unsafeArgv) { data, size in
        FuzzTarget.report.run(UnsafeRawBufferPointer(start: data, count: size))
        return 0
    })
