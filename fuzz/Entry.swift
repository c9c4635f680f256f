// libFuzzer's entry point, one binary per target: fuzz/run compiles this
// file with the target's checks (a `…FuzzTarget` enum in
// Tests/FuzzTargetTests) and a line naming them `FuzzTarget`. The checks live
// with the unit tests so that FuzzRegressionTests replays every kept crasher
// through the very same function in `make test`.

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let broken = FuzzTarget.check(Array(UnsafeBufferPointer(start: data, count: size)))
    if !broken.isEmpty { fatalError(broken.joined(separator: "\n")) }
    return 0
}
