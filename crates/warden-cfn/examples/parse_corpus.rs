fn main() {
    let mut ok = 0;
    for path in std::env::args().skip(1) {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        match warden_cfn::tree::parse(&text) {
            Ok(_) => ok += 1,
            Err(e) => println!("{path}:{}:{}: {}", e.pos.line, e.pos.column, e.message),
        }
    }
    println!("ok {ok}");
}
