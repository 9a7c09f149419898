import CFuzzDriver
import Foundation
import NLSFuzzing

// libFuzzer on `FuzzTarget.griddConf`: every input is decoded, none is rejected.
exit(
    nlsprobe_fuzz_main(CommandLine.argc, CommandLine.unsafeArgv) { data, size in
        FuzzTarget.griddConf.run(UnsafeRawBufferPointer(start: data, count: size))
        return 0
    })
