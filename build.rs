//! Embeds the shipped workouts in `profiles/` so that the binary can list
//! and play them from anywhere (`treadbeat profiles`, `treadbeat run NAME`).

use std::{env, fs, path::Path};

fn main() {
    println!("cargo:rerun-if-changed=profiles");
    let dir = Path::new(&env::var("CARGO_MANIFEST_DIR").unwrap()).join("profiles");
    let mut names: Vec<String> = fs::read_dir(&dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".toml"))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    let mut code =
        String::from("/// (stem, file text) of every shipped profile, sorted by name.\n");
    code.push_str("pub const SHIPPED: &[(&str, &str)] = &[\n");
    for name in &names {
        let path = dir.join(name);
        println!("cargo:rerun-if-changed={}", path.display());
        code.push_str(&format!(
            "    ({:?}, include_str!({:?})),\n",
            name.trim_end_matches(".toml"),
            path.display().to_string()
        ));
    }
    code.push_str("];\n");
    let out = Path::new(&env::var("OUT_DIR").unwrap()).join("shipped_profiles.rs");
    fs::write(out, code).unwrap();
}
