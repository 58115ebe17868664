//! Arbitrary bytes (as lossy UTF-8) into the Serverless Framework loader: YAML errors, odd
//! shapes, variable cycles and expansions must never panic or run away.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let loaded = warden_serverless::load("fuzz/serverless.yml", &text);
    std::hint::black_box(&loaded);
});
