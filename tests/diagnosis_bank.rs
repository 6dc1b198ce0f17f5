//! Measured agreement of the diagnosis with the truth, where truth is defined by intervention:
//! a bank of configurations across the whole control space (`tests/fixtures/diagnosis_bank.json`)
//! with, for each, what every applicable fix did over training seeds 1000–1009 (seeds no other
//! test uses). The test diagnoses each configuration as the page and the CLI do (the rules on
//! seed 0, then every fix over seeds 0–4), prints both confusion matrices and asserts floors.
//!
//! A second, held-out set (`tests/fixtures/diagnosis_held_out.json`, 20 configurations drawn
//! the same way from another stream of the generator, none a preset or a bank case) was fixed
//! before the rules were tuned on the bank, and is not tuned on: it shows whether the rules
//! carry over to configurations they were not fitted to.
//!
//! Issue 10's targets are 95 % (experiments) and 80 % (rules); measured at this commit:
//! bank 67/70 (96 %) experiments and 58/70 (83 %) rules, held out 20/20 and 15/20 (the same
//! as before an accuracy gain at chance stopped counting, `effect.rs`, which changed 4 of the
//! bank's 372 truth arms and 1 of the held-out 104). Both targets are met and asserted on
//! the bank. The held-out set, a fifth the size (one case is 5 points), asserts the floors
//! 90 % and 70 %. (For scale: always answering "more data" would
//! be right in 49/70.) The three bank cases the experiments still get wrong are borderline
//! truths: a fix whose real effect sits at the smallest change that counts (banks 12 and 61,
//! about one validation sample), or a bigger model that raises accuracy on seeds 0–4 but
//! only the loss, for the worse, on the truth's seeds (bank 65).
//!
//! An answer is right when its kind of fix helps in the truth, or when no fix helps and the
//! answer names no problem ("converged", "noisy validation").
//!
//! Regenerate the truths (minutes, release build):
//! `cargo test --release --test diagnosis_bank -- --ignored --nocapture regenerate`
//! (both files; `regenerate_held_out` for the held-out one alone).

use plateau::diagnose::{
    candidate_fixes, diagnose, rank_experiments, CauseId, Diagnosis, Experiments, Verdict,
};
use plateau::Config;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::rc::Rc;

const BANK: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/diagnosis_bank.json"
);
const HELD_OUT_FILE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/diagnosis_held_out.json"
);
/// How many held-out configurations there are.
const HELD_OUT: usize = 20;

/// Training seeds the truth is measured over: disjoint from the 0–4 every other test uses.
const TRUTH_SEEDS: (u32, usize) = (1000, 10);
/// The seeds the page and the CLI use.
const EXPERIMENT_SEEDS: usize = 5;

#[derive(Serialize, Deserialize, Clone)]
struct TruthArm {
    cause: CauseId,
    fix: Vec<(String, String)>,
    verdict: Verdict,
    val_accuracy_change: f64,
    val_accuracy_se: f64,
    val_loss_change: f64,
    val_loss_se: f64,
}

#[derive(Serialize, Deserialize, Clone)]
struct Case {
    /// Where the case comes from: `issue: …` for the cases named in issue 10, else `bank N`.
    name: String,
    /// The config as a URL-hash query (`Config::from_query`).
    query: String,
    /// What each fix did over `TRUTH_SEEDS`, in the order tested.
    truth: Vec<TruthArm>,
    /// The fix that helped most, ranked as the page ranks them (`rank_experiments`), if any:
    /// the confusion matrices' column.
    best: Option<CauseId>,
}

fn config_of(query: &str) -> Config {
    let (config, problems) = Config::from_query(query);
    assert!(problems.is_empty(), "{query}: {problems:?}");
    config
}

/// Whether `answer` is right against the truth (see the module's doc).
fn right(answer: Option<CauseId>, truth: &[TruthArm]) -> bool {
    let helping: Vec<CauseId> = truth
        .iter()
        .filter(|a| a.verdict == Verdict::Helps)
        .map(|a| a.cause)
        .collect();
    match answer {
        Some(a) if helping.iter().any(|h| h.fix_family() == a.fix_family()) => true,
        Some(a) => helping.is_empty() && !a.is_problem(),
        None => helping.is_empty(),
    }
}

/// The rules on seed 0's run.
fn rules(config: &Config) -> Diagnosis {
    let (mut run, prepared) = config.start().unwrap();
    let status = run.finish();
    diagnose(config, &prepared, run.history(), status)
}

fn label(c: Option<CauseId>) -> &'static str {
    c.map_or("none", |c| c.as_str())
}

/// Rows: the answer; columns: the truth's best fix ("none" when no fix helps).
fn confusion(title: &str, pairs: &[(Option<CauseId>, Option<CauseId>)]) {
    let mut counts: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for (answer, truth) in pairs {
        *counts.entry((label(*answer), label(*truth))).or_default() += 1;
    }
    let mut names: Vec<&str> = CauseId::ALL.iter().map(|c| c.as_str()).collect();
    names.push("none");
    let short = |n: &str| n.chars().take(9).collect::<String>();
    eprint!("\n{title}\n{:<18}", "answer \\ truth");
    for n in &names {
        eprint!("{:>10}", short(n));
    }
    eprintln!();
    for a in &names {
        eprint!("{a:<18}");
        for t in &names {
            match counts.get(&(*a, *t)) {
                Some(n) => eprint!("{n:>10}"),
                None => eprint!("{:>10}", "."),
            }
        }
        eprintln!();
    }
}

fn load(path: &str) -> Vec<Case> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).expect("the bank parses")
}

/// Diagnoses every case as the page does, prints the cases either answer gets wrong and both
/// confusion matrices, and returns how many the rules and the experiments got right.
fn measure(title: &str, bank: &[Case]) -> (usize, usize) {
    let start = std::time::Instant::now();
    let (mut rule_pairs, mut experiment_pairs) = (Vec::new(), Vec::new());
    let (mut rules_right, mut experiments_right) = (0, 0);
    eprintln!("\n==== {title} ====");
    for case in bank {
        let config = config_of(&case.query);
        let d = rules(&config)
            .with_experiments(&config, EXPERIMENT_SEEDS)
            .unwrap();
        let guess = d.top().map(|c| c.id);
        let answer = d.answer();
        let (r, e) = (right(guess, &case.truth), right(answer, &case.truth));
        rules_right += r as usize;
        experiments_right += e as usize;
        rule_pairs.push((guess, case.best));
        experiment_pairs.push((answer, case.best));
        if !(r && e) {
            let helping: Vec<&str> = case
                .truth
                .iter()
                .filter(|a| a.verdict == Verdict::Helps)
                .map(|a| a.cause.as_str())
                .collect();
            eprintln!(
                "{:<28} rules {:<8} {:<17} experiments {:<8} {:<17} helping {helping:?}  [{}]",
                case.name,
                if r { "right" } else { "WRONG" },
                label(guess),
                if e { "right" } else { "WRONG" },
                label(answer),
                case.query
            );
        }
    }
    confusion("Rules alone (seed 0):", &rule_pairs);
    confusion("With experiments (seeds 0-4):", &experiment_pairs);
    let n = bank.len();
    eprintln!(
        "\n{title}: rules right {rules_right}/{n}, experiments right {experiments_right}/{n} \
         ({:.0} s)",
        start.elapsed().as_secs_f64()
    );
    (rules_right, experiments_right)
}

#[test]
fn the_diagnosis_agrees_with_the_truth_by_intervention() {
    let bank = load(BANK);
    assert!(bank.len() >= 60, "the bank has {} cases", bank.len());
    let (rules_right, experiments_right) = measure("bank", &bank);
    let n = bank.len();
    // Issue 10's targets: 95 % with experiments, 80 % for the rules alone. See the top.
    assert!(
        experiments_right * 100 >= 95 * n,
        "experiments right in {experiments_right}/{n}"
    );
    assert!(
        rules_right * 100 >= 80 * n,
        "rules right in {rules_right}/{n}"
    );
}

/// The same measure on configurations the rules were not tuned on.
#[test]
fn the_diagnosis_agrees_on_held_out_configurations() {
    let held_out = load(HELD_OUT_FILE);
    assert_eq!(held_out.len(), HELD_OUT);
    let (rules_right, experiments_right) = measure("held out", &held_out);
    let n = held_out.len();
    assert!(
        experiments_right * 100 >= 90 * n,
        "experiments right in {experiments_right}/{n}"
    );
    assert!(
        rules_right * 100 >= 70 * n,
        "rules right in {rules_right}/{n}"
    );
}

/// Issue 10: "the headline and the causes must never contradict each other (no plateau ⇒
/// 'still learning' leads)", on every configuration of both banks, with the rules on seed 0
/// (`Diagnosis::headline_contradiction` states the rule). Rules only: seconds in release.
#[test]
fn the_headline_and_the_causes_agree_on_every_configuration() {
    let mut unsettled = 0;
    let contradictions: Vec<String> = load(BANK)
        .into_iter()
        .chain(load(HELD_OUT_FILE))
        .filter_map(|case| {
            let d = rules(&config_of(&case.query));
            unsettled += d.plateau_epoch().is_none() as usize;
            d.headline_contradiction()
                .map(|c| format!("{}: {c}\n{d}", case.name))
        })
        .collect();
    assert!(contradictions.is_empty(), "{}", contradictions.join("\n\n"));
    // Many of them end without a plateau: the rule is exercised.
    assert!(
        unsettled >= 20,
        "{unsettled} configurations without a plateau"
    );
}

// ---- The bank's generator ----

/// A small deterministic generator (SplitMix64), so the bank's configurations are reproducible.
struct Pick(u64);

impl Pick {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn one<T: Copy>(&mut self, options: &[T]) -> T {
        options[(self.next() % options.len() as u64) as usize]
    }
}

/// Training cost, roughly: rows × epochs × parameters.
fn cost(c: &Config) -> f64 {
    let params = plateau::diagnose::parameter_count(c.features, &c.hidden);
    c.samples as f64 * c.epochs as f64 * params as f64
}

/// The cases issue 10 names (those cheap enough for CI), then configurations drawn across the
/// control space, kept small enough that the whole bank trains in a couple of minutes.
fn bank_configs() -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = [
        (
            "issue: collapse at lr 0.3",
            "samples=400&hidden=64,64&lr=0.3",
        ),
        (
            "issue: sgd lr 1 tanh",
            "optimizer=sgd&lr=1&activation=tanh&samples=400",
        ),
        (
            "issue: linear, one unit",
            "samples=3000&hidden=1&activation=linear",
        ),
        ("issue: lr 1 with 64,64", "hidden=64,64&lr=1"),
        ("issue: lr 0.5 with 64,64", "hidden=64,64&lr=0.5"),
        ("issue: sgd lr 0.01", "optimizer=sgd&lr=0.01"),
        ("issue: lr 0.0001 at chance", "lr=0.0001"),
    ]
    .iter()
    .map(|(n, q)| (n.to_string(), config_of(q).to_query()))
    .collect();
    let first = out.len();
    out.extend(
        drawn(Pick(10), 70 - first)
            .into_iter()
            .enumerate()
            .map(|(i, q)| (format!("bank {}", first + i), q)),
    );
    out
}

/// The held-out configurations: drawn as the bank's are, from another stream of the generator,
/// after the bank was fixed and before the rules were tuned on it. The rules are never tuned on
/// these: they measure whether what was learned on the bank carries over.
fn held_out_configs() -> Vec<(String, String)> {
    drawn(Pick(2026), HELD_OUT)
        .into_iter()
        .enumerate()
        .map(|(i, q)| (format!("held-out {i}"), q))
        .collect()
}

/// `count` configurations drawn across the control space (as URL-hash queries), none of them a
/// preset, each cheap enough to train (with its four-times-the-rows fix) in milliseconds.
fn drawn(mut pick: Pick, count: usize) -> Vec<String> {
    let presets: Vec<Config> = plateau::config::PRESETS
        .iter()
        .map(|p| Config::preset(p).unwrap())
        .collect();
    let mut out = Vec::new();
    while out.len() < count {
        // Drawn in this order (the bank depends on it): optimizer, activation, depth, widths,
        // rows, rate, epochs, then distortion, scaling and L2.
        let optimizer = pick.one(&[
            plateau::config::OptimizerKind::Adam,
            plateau::config::OptimizerKind::Sgd,
            plateau::config::OptimizerKind::RmsProp,
        ]);
        let activation = pick.one(&[
            plateau::nn::Activation::Relu,
            plateau::nn::Activation::Relu,
            plateau::nn::Activation::Tanh,
            plateau::nn::Activation::Sigmoid,
            plateau::nn::Activation::Linear,
        ]);
        let depth = pick.one(&[0usize, 1, 1, 1, 2, 2, 3]);
        let hidden = (0..depth)
            .map(|_| pick.one(&[1usize, 2, 4, 8, 16, 32, 32, 64, 128]))
            .collect();
        let samples = pick.one(&[100usize, 200, 200, 400, 400, 800, 1000]);
        let learning_rate = pick.one(&[1e-4, 3e-4, 1e-3, 1e-3, 3e-3, 1e-2, 3e-2, 0.1, 0.3, 1.0]);
        let epochs = pick.one(&[30usize, 50, 100, 100, 100]);
        let mut c = Config {
            optimizer,
            activation,
            hidden,
            samples,
            learning_rate,
            epochs,
            ..Config::default()
        };
        if pick.one(&[false, false, false, true]) {
            c.distort = true;
            c.standardize = false;
            c.distortion = pick.one(&[10.0, 100.0, 1000.0]);
        } else if pick.one(&[false, false, false, true]) {
            c.standardize = false;
        }
        c.l2 = pick.one(&[0.0, 0.0, 0.0, 1e-3, 1e-2, 0.1]);
        // Keep every run (and its four-times-the-rows fix) a few milliseconds natively.
        if cost(&c) > 3e7 || presets.contains(&c) {
            continue;
        }
        out.push(c.to_query());
    }
    out
}

/// What each fix does over the truth's seeds, ranked as the page ranks them.
fn truth_of(query: &str) -> (Vec<TruthArm>, Option<CauseId>) {
    let config = config_of(query);
    let base = Rc::new(config.prepare().unwrap());
    let fixes = candidate_fixes(&config, &[], base.train.len());
    let mut experiments = Experiments::new(&config, &fixes, TRUTH_SEEDS.0, TRUTH_SEEDS.1, |c| {
        if c.data_settings() == config.data_settings() {
            Ok(base.clone())
        } else {
            Ok(Rc::new(c.prepare()?))
        }
    })
    .unwrap();
    let report = experiments.run_to_end().unwrap();
    let best = match rank_experiments(&report).first() {
        Some(e) if e.verdict == Verdict::Helps => Some(e.cause),
        _ => None,
    };
    let arms = report
        .into_iter()
        .map(|e| TruthArm {
            cause: e.cause,
            fix: e.fix,
            verdict: e.verdict,
            val_accuracy_change: e.val_accuracy_change,
            val_accuracy_se: e.val_accuracy_se,
            val_loss_change: e.val_loss_change,
            val_loss_se: e.val_loss_se,
        })
        .collect();
    (arms, best)
}

/// Every case's truth, as it is measured.
fn cases(configs: Vec<(String, String)>) -> Vec<Case> {
    configs
        .into_iter()
        .map(|(name, query)| {
            let t = std::time::Instant::now();
            let (truth, best) = truth_of(&query);
            eprintln!(
                "{name:<28} {:>6.1} s  best {:<17} {query}",
                t.elapsed().as_secs_f64(),
                label(best)
            );
            Case {
                name,
                query,
                truth,
                best,
            }
        })
        .collect()
}

fn save(path: &str, bank: &[Case]) {
    let text = serde_json::to_string_pretty(bank).unwrap();
    std::fs::write(path, text + "\n").unwrap();
}

#[test]
#[ignore = "rewrites tests/fixtures/diagnosis_bank.json; minutes in release"]
fn regenerate() {
    save(BANK, &cases(bank_configs()));
}

#[test]
#[ignore = "rewrites tests/fixtures/diagnosis_held_out.json; a minute in release"]
fn regenerate_held_out() {
    save(HELD_OUT_FILE, &cases(held_out_configs()));
}

/// The committed generator draws exactly the bank's configurations (so regenerating changes
/// only the truths, and only if the engine or the statistics changed).
#[test]
fn the_generator_draws_the_bank() {
    let drawn = bank_configs();
    let stored: Vec<(String, String)> = load(BANK).into_iter().map(|c| (c.name, c.query)).collect();
    assert_eq!(drawn, stored);
    let drawn = held_out_configs();
    let stored: Vec<(String, String)> = load(HELD_OUT_FILE)
        .into_iter()
        .map(|c| (c.name, c.query))
        .collect();
    assert_eq!(drawn, stored);
    // Held out means no configuration in common with the bank.
    assert!(drawn
        .iter()
        .all(|(_, q)| !bank_configs().iter().any(|(_, b)| b == q)));
}
