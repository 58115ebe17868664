//! Arbitrary bytes (as lossy UTF-8) into the Terraform HCL loader, as one `.tf` file of a
//! configuration read without the file system: it must never panic, overflow the stack or run
//! away in time or memory, whatever the input (invalid HCL, unknown functions, deep nesting,
//! self-referencing locals, modules and expressions of every kind).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data).into_owned();
    let loaded = warden_tf::load_hcl(&[("fuzz/main.tf".to_string(), text)]);
    // Touch the result so nothing is optimised away.
    std::hint::black_box(&loaded);
    if !loaded.is_template {
        assert!(loaded.inventory.functions.is_empty());
    }
});
