mod support;
use std::time::Instant;
use treadbeat::history::{Begin, Durability, SessionKind, SessionLog, Store};
#[test]
fn timing() {
    let dir = std::path::PathBuf::from("/work/target-history/timing");
    let _ = std::fs::remove_dir_all(&dir);
    let tl = support::timeline("name = \"x\"\n[[step]]\ntime = \"10m\"\ncadence = 170\n");
    let store = Store::open(&dir.join("h.sqlite"), Durability::Synced).unwrap();
    let b = Begin { kind: SessionKind::Run, profile_name: "x", profile_text: "x", timeline: &tl, started: std::time::SystemTime::now(), mic: true };
    let t0 = Instant::now();
    let mut log = SessionLog::begin_in(store, &b, Box::new(std::time::SystemTime::now)).unwrap();
    println!("begin {:?}", t0.elapsed());
    let mut worst = std::time::Duration::ZERO;
    let mut total = std::time::Duration::ZERO;
    for i in 0..200 {
        for k in 0..6 { log.heard_step(i as f64 * 2.0 + k as f64 * 0.35, Some(1.0)).unwrap(); }
        let t = Instant::now();
        log.progress(i as f64 * 2.0).unwrap();
        let e = t.elapsed();
        worst = worst.max(e); total += e;
    }
    println!("progress+6 steps: mean {:?} worst {:?}", total / 200, worst);
    let mut worst = std::time::Duration::ZERO;
    let mut total = std::time::Duration::ZERO;
    for i in 0..200 {
        let t = Instant::now();
        log.warning(i as f64, "x", "y").unwrap();
        let e = t.elapsed();
        worst = worst.max(e); total += e;
    }
    println!("event: mean {:?} worst {:?}", total / 200, worst);
}
