//! `plateau bench` on a tiny setting: it runs every workload and reports every figure the
//! bench promises. Never a timing: the suite runs on busy machines.

use std::process::Command;

#[test]
fn bench_json_has_every_workload_and_figure() {
    let out = Command::new(env!("CARGO_BIN_EXE_plateau"))
        .args(["bench", "--json", "--repeat", "1", "--epochs", "2"])
        .output()
        .expect("the plateau binary runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.trim().lines().count(), 1, "one JSON line: {text}");
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let workloads = v["workloads"].as_array().expect("workloads");
    let names: Vec<&str> = workloads
        .iter()
        .map(|w| w["name"].as_str().unwrap())
        .collect();
    let expected: Vec<&str> = plateau::config::BENCH_WORKLOADS
        .iter()
        .map(|w| w.0)
        .collect();
    assert_eq!(names, expected);
    for w in workloads {
        assert!(w["epochs"].as_u64().unwrap() <= 2, "--epochs caps: {w}");
        for key in ["train_ms", "prep_ms", "flops", "gflops"] {
            let x = w[key].as_f64().unwrap_or(-1.0);
            assert!(x.is_finite() && x >= 0.0, "{key} in {w}");
        }
        assert!(w["flops"].as_f64().unwrap() > 0.0);
        // The query the browser side will run is a complete, clean one.
        let (_, problems) = plateau::Config::from_query(w["query"].as_str().unwrap());
        assert!(problems.is_empty(), "{problems:?}");
    }
    let sub = &v["subnormal"];
    assert_eq!(sub["name"], plateau::bench::SUBNORMAL_WORKLOAD.0);
    assert_eq!(sub["epoch_ms"].as_array().unwrap().len(), 2);
    assert!(sub["last_20_over_first_20"].as_f64().unwrap() > 0.0);
    assert!(v["peak_gflops"].as_f64().unwrap() > 0.0);
    assert!(v["peak_gflops_fma"].is_null() || v["peak_gflops_fma"].as_f64().unwrap() > 0.0);
}

#[test]
fn bench_rejects_a_bad_epoch_cap() {
    let out = Command::new(env!("CARGO_BIN_EXE_plateau"))
        .args(["bench", "--epochs", "0"])
        .output()
        .expect("the plateau binary runs");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--epochs"));
}
