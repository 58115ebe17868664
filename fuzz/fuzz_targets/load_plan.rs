//! Arbitrary bytes (as lossy UTF-8) into the Terraform plan loader (`terraform show -json`
//! output): it must never panic, overflow the stack or run away in time or memory, whatever the
//! input (invalid JSON, other JSON, unsupported format versions, odd shapes, deep nesting).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let loaded = warden_tf::load_plan("fuzz/plan.json", &text);
    // Touch the result so nothing is optimised away.
    std::hint::black_box(&loaded);
    if !loaded.is_template {
        assert!(loaded.inventory.functions.is_empty());
    }
});
