//! wasm-rust: a Rust program using std, built for wasm32-wasi with Debian's rustc. Reads its
//! cartridge's words through std::fs (pre-opened read-only at /cart), counts them in a HashMap,
//! draws a bar chart through the pxos imports and exits with the number of distinct words.
use std::collections::HashMap;

#[path = "../wasm-include/pxos.rs"]
mod pxos;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    println!("Hello from Rust std on pxOS! args = {:?}", args);
    let text = std::fs::read_to_string("/cart/words.txt").expect("read /cart/words.txt");
    let mut counts: HashMap<&str, u32> = HashMap::new();
    for word in text.split_whitespace() {
        *counts.entry(word).or_insert(0) += 1;
    }
    let mut rows: Vec<(&str, u32)> = counts.into_iter().collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    for (word, n) in &rows {
        println!("{:>8} {}", word, "#".repeat(*n as usize));
    }
    match std::fs::write("/cart/out.txt", "x") {
        Ok(_) => println!("writing to /cart: allowed (wrong!)"),
        Err(e) => println!("writing to /cart: refused ({})", e.kind_str()),
    }
    unsafe {
        pxos::gfx_canvas(160, 12 * rows.len() as i32 + 4);
        pxos::gfx_clear(0x202830ffu32 as i32);
        for (i, (word, n)) in rows.iter().enumerate() {
            let y = 2 + 12 * i as i32;
            pxos::gfx_text(2, y + 2, -1, word.as_ptr(), word.len() as i32);
            pxos::gfx_rect(56, y, 10 * *n as i32, 10, 0xf0a040ffu32 as i32);
        }
        pxos::gfx_present();
    }
    std::process::exit(rows.len() as i32);
}

trait KindStr {
    fn kind_str(&self) -> String;
}

impl KindStr for std::io::Error {
    fn kind_str(&self) -> String {
        format!("{:?}", self.kind())
    }
}
