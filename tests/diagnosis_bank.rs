//! Measured agreement of the diagnosis with the truth, where truth is defined by intervention:
//! a bank of configurations across the whole control space (`tests/fixtures/diagnosis_bank.json`)
//! with, for each, what every applicable fix did over training seeds 1000–1019 (seeds no other
//! test uses), and the truth's answer: the setup causes whose fixes helped and cannot be told
//! from the best one, as a set (a tie is a set of two or more; none when no setup fix helps).
//! The test diagnoses each configuration as the page and the CLI do (the rules on seed 0, then
//! every fix from seed 0 on, adding seeds until settled), prints the confusion matrices and the
//! placebo's false alarms, and asserts floors.
//!
//! Two more sets: a held-out one (`diagnosis_held_out.json`, 20 configurations drawn the same
//! way from another stream of the generator, none a preset or a bank case), never tuned on; and
//! a healthy one (`diagnosis_healthy.json`), configurations where no setup fix helps, drawn
//! from a stream of sensible settings and kept when their truth says so. The held-out set has
//! since been seen while tuning (its case 1 is cited in a ranking rule), so a third, fresh one
//! (`diagnosis_fresh.json`, 20 more from a third stream) was drawn on 2026-12-04 after every
//! rule and the verdict's line were set, and its truth generated only then. One rule was then
//! made with two of its cases as evidence (`BOTTLENECK_SGD_RATE_FIRST_LR`), so a second fresh
//! set (`diagnosis_fresh_2.json`, a fourth stream) was drawn after that rule, the same way.
//!
//! An answer is right when it is in the truth's set, or when the set is empty and the answer is
//! "converged" (near what the data allows). The figures at this commit are in
//! `docs/diagnosis.md`.
//!
//! Regenerate the truths (minutes, release build):
//! `cargo test --release --test diagnosis_bank -- --ignored --nocapture regenerate`
//! (all five files; `regenerate_held_out`, `regenerate_healthy`, `regenerate_fresh` or
//! `regenerate_fresh_2` for one alone).

use plateau::diagnose::{candidate_fixes, diagnose, CauseId, Diagnosis, Experiments, Verdict};
use plateau::{Config, History, Status};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;

const BANK: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/diagnosis_bank.json"
);
const HELD_OUT_FILE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/diagnosis_held_out.json"
);
const HEALTHY_FILE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/diagnosis_healthy.json"
);
const FRESH_FILE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/diagnosis_fresh.json"
);
const FRESH_2_FILE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/diagnosis_fresh_2.json"
);
/// How many held-out configurations there are.
const HELD_OUT: usize = 20;
/// How many healthy configurations there are.
const HEALTHY: usize = 10;
/// How many fresh configurations there are in each fresh set.
const FRESH: usize = 20;
/// The placebo may alarm in at most this share of a set, in percent: the bar for the
/// bank (the verdict's budget is 2.5% a configuration, `plateau::diagnose::effect`).
const PLACEBO_ALARMS_PCT: usize = 5;

/// Training seeds the truth is measured over: disjoint from the 0–19 the experiments use, and
/// twice as many, so that the truth is surer than the answer it judges. On 20 (the page's
/// most) a fix near the verdict's line came out inconclusive in the truth as often as in the
/// page, and which of the two "knew" was a coin toss: held out 12 and bank 65 turned from
/// underfitting to "no fix helps" under a stricter line, and back on 40.
const TRUTH_SEEDS: (u32, usize) = (1000, 2 * plateau::diagnose::MAX_SEEDS);
/// The seeds the page and the CLI start with.
const EXPERIMENT_SEEDS: usize = plateau::diagnose::FIRST_SEEDS;

#[derive(Serialize, Deserialize, Clone)]
struct TruthArm {
    cause: CauseId,
    fix: Vec<(String, String)>,
    verdict: Verdict,
    val_accuracy_change: f64,
    val_accuracy_se: f64,
    val_loss_change: f64,
    val_loss_se: f64,
    decided_by: plateau::diagnose::Figure,
}

#[derive(Serialize, Deserialize, Clone)]
struct Case {
    /// Where the case comes from: `issue: …` for the cases named in issue 10, else `bank N`.
    name: String,
    /// The config as a URL-hash query (`Config::from_query`).
    query: String,
    /// What each fix did over `TRUTH_SEEDS`, in the order tested (the placebo last).
    truth: Vec<TruthArm>,
    /// The truth's answer: the setup causes whose fixes helped and cannot be told from the
    /// best, best first (`Diagnosis::answers`); empty when no setup fix helps.
    answers: Vec<CauseId>,
}

fn config_of(query: &str) -> Config {
    let (config, problems) = Config::from_query(query);
    assert!(problems.is_empty(), "{query}: {problems:?}");
    config
}

/// Whether `answer` is right against the truth's set (see the module's doc).
fn right(answer: Option<CauseId>, truth: &[CauseId]) -> bool {
    match answer {
        Some(a) if truth.contains(&a) => true,
        Some(a) => truth.is_empty() && a == CauseId::Converged,
        None => truth.is_empty(),
    }
}

/// The truth's column in the confusion matrices: its best cause, or converged.
fn truth_label(truth: &[CauseId]) -> Option<CauseId> {
    Some(truth.first().copied().unwrap_or(CauseId::Converged))
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

/// Rows: the answer; columns: the truth (the answer itself when it is in the truth's set, so
/// that a tie answered by either of its causes is on the diagonal; else the truth's best, or
/// "converged" when no setup fix helps).
fn confusion(title: &str, pairs: &[(Option<CauseId>, Option<CauseId>)]) {
    let mut counts: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for (answer, truth) in pairs {
        *counts.entry((label(*answer), label(*truth))).or_default() += 1;
    }
    // The answers a student can read: the setup causes, and "converged".
    let mut names: Vec<&str> = CauseId::SETUP.iter().map(|c| c.as_str()).collect();
    names.push("converged");
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

/// Each config diagnosed as the page does: the rules on its seed, then the experiments, whose
/// runs are handed out and recorded as the page's workers do (`Experiments::runs`, `record`).
/// On every core, each thread taking the next config left (their costs differ tenfold).
/// Every run's history is kept by its whole config: the presets' seeds 0–9 share most of
/// their experiments' seeds, and a config's seed-0 run is its rules' run.
fn diagnose_all(configs: Vec<Config>) -> Vec<Diagnosis> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::{Arc, Mutex};
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let next = AtomicUsize::new(0);
    let done: Mutex<Vec<Option<Diagnosis>>> = Mutex::new(configs.iter().map(|_| None).collect());
    let kept: Mutex<HashMap<String, Arc<(History, Status)>>> = Mutex::new(HashMap::new());
    let train = |config: &Config| -> Arc<(History, Status)> {
        let key = serde_json::to_string(config).unwrap();
        if let Some(run) = kept.lock().unwrap().get(&key) {
            return run.clone();
        }
        let (mut run, _) = config.start().unwrap();
        let status = run.finish();
        let ended = Arc::new((run.history().clone(), status));
        kept.lock().unwrap().insert(key, ended.clone());
        ended
    };
    std::thread::scope(|scope| {
        for _ in 0..threads.min(configs.len()) {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(config) = configs.get(i) else { break };
                let own = train(config);
                let mut d = diagnose(config, &config.prepare().unwrap(), &own.0, own.1);
                let mut experiments = Experiments::for_diagnosis(config, &d, EXPERIMENT_SEEDS)
                    .unwrap()
                    .trained_elsewhere();
                loop {
                    for (arm, seed, run) in experiments.runs() {
                        let ended = train(&run);
                        experiments.record(arm, seed, run.epochs, Some(&ended.0));
                    }
                    if !experiments.add_seeds() {
                        break;
                    }
                }
                d.experiments = experiments.report();
                done.lock().unwrap()[i] = Some(d);
            });
        }
    });
    done.into_inner()
        .unwrap()
        .into_iter()
        .map(|d| d.expect("every config was diagnosed"))
        .collect()
}

/// What [`measure`] counts.
#[derive(Default)]
struct Agreement {
    n: usize,
    rules_right: usize,
    experiments_right: usize,
    /// The placebo came out helps or hurts (a false alarm of the verdict rule).
    placebo_alarms: usize,
    /// The rules called it near what the data allows.
    rules_converged: usize,
    seeds_used: Vec<usize>,
    /// Words against their figures (see [`contradictions`]).
    contradictions: Vec<String>,
}

/// Diagnoses every case as the page does, prints the cases either answer gets wrong, both
/// confusion matrices and the placebo's false alarms, and returns the counts.
fn measure(title: &str, bank: &[Case]) -> Agreement {
    let start = std::time::Instant::now();
    let (mut rule_pairs, mut experiment_pairs) = (Vec::new(), Vec::new());
    let mut a = Agreement {
        n: bank.len(),
        ..Agreement::default()
    };
    eprintln!("\n==== {title} ====");
    let diagnosed = diagnose_all(bank.iter().map(|c| config_of(&c.query)).collect());
    for (case, d) in bank.iter().zip(&diagnosed) {
        let guess = d.rules_answer();
        let answer = d.answer();
        let (r, e) = (right(guess, &case.answers), right(answer, &case.answers));
        a.rules_right += r as usize;
        a.experiments_right += e as usize;
        a.rules_converged += (guess == Some(CauseId::Converged)) as usize;
        let alarm = d
            .placebo()
            .is_some_and(|p| matches!(p.verdict, Verdict::Helps | Verdict::Hurts));
        a.placebo_alarms += alarm as usize;
        a.seeds_used.push(d.seeds_used());
        a.contradictions.extend(
            contradictions(d)
                .into_iter()
                .map(|c| format!("{}: {c}", case.name)),
        );
        let column = |a: Option<CauseId>, right: bool| {
            if right {
                a
            } else {
                truth_label(&case.answers)
            }
        };
        rule_pairs.push((guess, column(guess, r)));
        experiment_pairs.push((answer, column(answer, e)));
        if !(r && e) || alarm {
            let truth: Vec<&str> = case.answers.iter().map(|c| c.as_str()).collect();
            eprintln!(
                "{:<28} rules {:<8} {:<17} experiments {:<8} {:<17} truth {truth:?}{}  [{}]",
                case.name,
                if r { "right" } else { "WRONG" },
                label(guess),
                if e { "right" } else { "WRONG" },
                label(answer),
                if alarm { " PLACEBO ALARM" } else { "" },
                case.query
            );
        }
    }
    confusion("Rules alone (seed 0):", &rule_pairs);
    confusion(
        "With experiments (from seed 0, adaptive seeds):",
        &experiment_pairs,
    );
    let truth_alarms = bank
        .iter()
        .filter(|c| {
            c.truth.iter().any(|t| {
                t.cause == CauseId::Placebo && matches!(t.verdict, Verdict::Helps | Verdict::Hurts)
            })
        })
        .count();
    let n = a.n;
    let mean_seeds = a.seeds_used.iter().sum::<usize>() as f64 / n.max(1) as f64;
    eprintln!(
        "\n{title}: rules right {}/{n}, experiments right {}/{n}; placebo false alarms {}/{n} \
         (truth's own placebo, {} seeds: {truth_alarms}/{n}); rules said converged {}/{n}; \
         seeds used: mean {mean_seeds:.1}, 5: {}, 20: {} ({:.0} s)",
        a.rules_right,
        a.experiments_right,
        a.placebo_alarms,
        TRUTH_SEEDS.1,
        a.rules_converged,
        a.seeds_used.iter().filter(|&&s| s == 5).count(),
        a.seeds_used.iter().filter(|&&s| s == 20).count(),
        start.elapsed().as_secs_f64()
    );
    a
}

/// No word against its figure, and the placebo (the unchanged settings on fresh seeds) comes
/// out "helps" or "hurts" on at most `max_alarm_pct` of the configurations: the verdict rule's
/// false-alarm rate. The aim is 5%; measured, 2/70 on the bank, 0/20 held out and 0/10
/// healthy, 2% over the three (docs/diagnosis.md; 5/70 on the bank before the verdict's budget
/// went from 5% to 2.5%). The bank's alarms are configurations at chance, where some seeds
/// escape it and others do not.
fn assert_words_and_placebo(a: &Agreement, max_alarm_pct: usize) {
    assert!(
        a.contradictions.is_empty(),
        "{}",
        a.contradictions.join("\n")
    );
    assert!(
        a.placebo_alarms * 100 <= max_alarm_pct * a.n,
        "placebo false alarms in {}/{}",
        a.placebo_alarms,
        a.n
    );
}

/// Floors, in percent of the set: the experiments' answer and the rules' first guess right;
/// then no word against its figure and at most [`PLACEBO_ALARMS_PCT`] placebo alarms.
fn assert_agreement(a: &Agreement, experiments_pct: usize, rules_pct: usize) {
    assert_agreement_with(a, experiments_pct, rules_pct, PLACEBO_ALARMS_PCT);
}

/// [`assert_agreement`] with the set's own placebo allowance, in percent.
fn assert_agreement_with(
    a: &Agreement,
    experiments_pct: usize,
    rules_pct: usize,
    placebo_alarms_pct: usize,
) {
    let n = a.n;
    assert!(
        a.experiments_right * 100 >= experiments_pct * n,
        "experiments right in {}/{n}",
        a.experiments_right
    );
    assert!(
        a.rules_right * 100 >= rules_pct * n,
        "rules right in {}/{n}",
        a.rules_right
    );
    assert_words_and_placebo(a, placebo_alarms_pct);
}

/// [`measure`] on the set in `path`, which has `count` configurations.
fn measure_file(title: &str, path: &str, count: usize) -> Agreement {
    let set = load(path);
    assert_eq!(set.len(), count, "{path}");
    measure(title, &set)
}

#[test]
fn the_diagnosis_agrees_with_the_truth_by_intervention() {
    let bank = load(BANK);
    assert!(bank.len() >= 60, "the bank has {} cases", bank.len());
    let a = measure("bank", &bank);
    // Floors at this commit's measure (67/70 and 54/70); the aims are 97% and 90%, and the
    // gap is in docs/diagnosis.md.
    assert_agreement(&a, 95, 77);
}

/// The same measure on configurations the rules were not tuned on.
#[test]
fn the_diagnosis_agrees_on_held_out_configurations() {
    let a = measure_file("held out", HELD_OUT_FILE, HELD_OUT);
    // Floors at this commit's measure (19/20 and 17/20); the aims are 95% and 85%.
    assert_agreement(&a, 95, 85);
}

/// The same measure on configurations drawn after every rule and line was set (see the
/// module's doc): what the figures are worth on settings nobody had looked at.
#[test]
fn the_diagnosis_agrees_on_fresh_configurations() {
    let a = measure_file("fresh", FRESH_FILE, FRESH);
    // Floors at this commit's measure (20/20 and 13/20). Measured when it was drawn: 20/20
    // and 12/20, the rules' 60% against their 76% on the bank being what tuning on the bank
    // was worth (docs/diagnosis.md); its cases 2 and 18 were then evidence for one rule, which
    // mended 18. The aims are 95% and 85%, as held out.
    assert_agreement(&a, 100, 65);
    let a = measure_file("fresh 2", FRESH_2_FILE, FRESH);
    // Floors at the measure when it was drawn, after every rule (17/20 and 11/20). Its
    // placebo alarmed in 3 of 20 (fresh-2 5, 7 and 19), all narrow networks (2 or 1,1 units):
    // each of the three alarms 1.4-2.1% of the time (20,000 pairs of seed groups drawn from 600
    // runs of its own, within the 2.5% budget), but every configuration compares the same
    // seeds (0-19 against 2^30 + 0-19), so configurations with the same first layer share one
    // seed group's luck, and their alarms come together. docs/diagnosis.md, "The placebo".
    assert_agreement_with(&a, 85, 55, 15);
}

/// Where no setup fix helps, the rules should say so ("near what the data allows"): the aim is
/// 8 of 10 (measured 10 since overfitting needs two parameters a training row to be present);
/// the experiments agree on 9.
#[test]
fn healthy_configurations_are_called_near_what_the_data_allows() {
    let healthy = load(HEALTHY_FILE);
    assert_eq!(healthy.len(), HEALTHY);
    assert!(healthy.iter().all(|c| c.answers.is_empty()));
    let a = measure("healthy", &healthy);
    assert!(
        a.rules_converged >= 8,
        "rules said converged on {}/{}",
        a.rules_converged,
        a.n
    );
    assert!(
        a.experiments_right * 100 >= 90 * a.n,
        "experiments right in {}/{}",
        a.experiments_right,
        a.n
    );
    assert_words_and_placebo(&a, 5);
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

/// The fresh configurations of stream `stream`: drawn as the bank's are, none in the bank, held
/// out or an earlier fresh set (`earlier`); each drawn and measured once the rules it measures
/// were set (see the module's doc).
fn fresh_from(stream: u64, title: &str, earlier: &[(String, String)]) -> Vec<(String, String)> {
    let seen: Vec<String> = bank_configs()
        .into_iter()
        .chain(held_out_configs())
        .chain(earlier.iter().cloned())
        .map(|(_, q)| q)
        .collect();
    drawn(Pick(stream), 2 * FRESH)
        .into_iter()
        .filter(|q| !seen.contains(q))
        .take(FRESH)
        .enumerate()
        .map(|(i, q)| (format!("{title} {i}"), q))
        .collect()
}

fn fresh_configs() -> Vec<(String, String)> {
    fresh_from(20_261_204, "fresh", &[])
}

fn fresh_2_configs() -> Vec<(String, String)> {
    fresh_from(20_261_205, "fresh-2", &fresh_configs())
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

/// What each fix does over the truth's seeds, and the truth's answer set.
fn truth_of(query: &str) -> (Vec<TruthArm>, Vec<CauseId>) {
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
    // The answer set as the page computes it, from the truth's own experiments.
    let mut d = rules(&config);
    d.experiments = report.clone();
    let answers = d.answers();
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
            decided_by: e.decided_by,
        })
        .collect();
    (arms, answers)
}

/// Every case's truth, as it is measured.
fn cases(configs: Vec<(String, String)>) -> Vec<Case> {
    configs
        .into_iter()
        .map(|(name, query)| {
            let t = std::time::Instant::now();
            let (truth, answers) = truth_of(&query);
            let names: Vec<&str> = answers.iter().map(|c| c.as_str()).collect();
            eprintln!(
                "{name:<28} {:>6.1} s  truth {names:?} {query}",
                t.elapsed().as_secs_f64(),
            );
            Case {
                name,
                query,
                truth,
                answers,
            }
        })
        .collect()
}

/// Sensible settings (Adam or RMSprop, standardized, a moderate network, a rate near the
/// defaults), drawn from their own stream: the candidates for the healthy set.
fn healthy_candidates(count: usize) -> Vec<String> {
    let mut pick = Pick(77);
    let mut out = Vec::new();
    while out.len() < count {
        let c = Config {
            optimizer: pick.one(&[
                plateau::config::OptimizerKind::Adam,
                plateau::config::OptimizerKind::Adam,
                plateau::config::OptimizerKind::RmsProp,
            ]),
            activation: pick.one(&[plateau::nn::Activation::Relu, plateau::nn::Activation::Tanh]),
            hidden: vec![pick.one(&[8usize, 16, 32])],
            samples: pick.one(&[400usize, 800, 1000, 2000]),
            learning_rate: pick.one(&[3e-3, 1e-2, 3e-2]),
            epochs: pick.one(&[50usize, 100]),
            l2: pick.one(&[0.0, 1e-3]),
            ..Config::default()
        };
        if cost(&c) <= 6e7 {
            out.push(c.to_query());
        }
    }
    out
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

#[test]
#[ignore = "rewrites tests/fixtures/diagnosis_fresh.json; a minute in release"]
fn regenerate_fresh() {
    save(FRESH_FILE, &cases(fresh_configs()));
}

#[test]
#[ignore = "rewrites tests/fixtures/diagnosis_fresh_2.json; a minute in release"]
fn regenerate_fresh_2() {
    save(FRESH_2_FILE, &cases(fresh_2_configs()));
}

/// The first [`HEALTHY`] candidates whose truth has no setup fix that helps.
#[test]
#[ignore = "rewrites tests/fixtures/diagnosis_healthy.json; minutes in release"]
fn regenerate_healthy() {
    let mut kept = Vec::new();
    for (i, query) in healthy_candidates(60).into_iter().enumerate() {
        let case = cases(vec![(format!("healthy {i}"), query)]).remove(0);
        if case.answers.is_empty() {
            kept.push(case);
        }
        if kept.len() == HEALTHY {
            break;
        }
    }
    assert_eq!(kept.len(), HEALTHY, "too few healthy candidates");
    save(HEALTHY_FILE, &kept);
}

/// The committed generator draws exactly the bank's configurations (so regenerating changes
/// only the truths, and only if the engine or the statistics changed).
#[test]
fn the_generator_draws_the_bank() {
    let stored = |path: &str| -> Vec<(String, String)> {
        load(path).into_iter().map(|c| (c.name, c.query)).collect()
    };
    assert_eq!(bank_configs(), stored(BANK));
    let held_out = held_out_configs();
    assert_eq!(held_out, stored(HELD_OUT_FILE));
    // Held out means no configuration in common with the bank.
    assert!(held_out
        .iter()
        .all(|(_, q)| !bank_configs().iter().any(|(_, b)| b == q)));
    let fresh = fresh_configs();
    assert_eq!(fresh, stored(FRESH_FILE));
    assert_eq!(fresh.len(), FRESH);
    let fresh_2 = fresh_2_configs();
    assert_eq!(fresh_2, stored(FRESH_2_FILE));
    assert_eq!(fresh_2.len(), FRESH);
}

// ---- The answer a student reads ----

/// Every word that judges a figure agrees with it: a fix that helps did not lower the mean
/// validation accuracy and moved its deciding figure the right way; one that hurts did not
/// raise it; the answer's fixes all helped; the data's limit is never in the answer.
fn contradictions(d: &Diagnosis) -> Vec<String> {
    use plateau::diagnose::Figure;
    let mut out = Vec::new();
    for e in d.experiments.iter().filter(|e| e.complete) {
        let row = format!("{e}");
        match e.verdict {
            Verdict::Helps => {
                if e.val_accuracy_change < 0.0 {
                    out.push(format!("helps with a lower mean accuracy: {row}"));
                }
                if e.decided_by == Figure::Loss && e.val_loss_change >= 0.0 {
                    out.push(format!("helps by a loss that did not fall: {row}"));
                }
                // The placebo changes nothing: what its figure moved is noise, and its badge
                // says so.
                let word = if e.cause == CauseId::Placebo {
                    "moved by noise alone"
                } else {
                    "helps"
                };
                if !e.verdict_text.starts_with(word) {
                    out.push(format!("badge {} on a helping row: {row}", e.verdict_text));
                }
            }
            _ if e.verdict_text.contains("within the noise")
                && e.decided_by != Figure::Loss
                && e.effect.accuracy.direction() == 0
                && e.effect.accuracy.mean.abs()
                    >= e.effect.accuracy.significance() * e.effect.accuracy.se =>
            {
                out.push(format!(
                    "'within the noise' beside an accuracy steady beyond it: {row}"
                ));
            }
            _ if e.verdict_text.contains("both within the noise")
                && e.effect.loss.direction() != 0 =>
            {
                out.push(format!(
                    "'within the noise' beside a loss that moved: {row}"
                ));
            }
            Verdict::Hurts if e.val_accuracy_change > 0.0 => {
                out.push(format!("hurts with a higher mean accuracy: {row}"));
            }
            _ => {}
        }
    }
    for id in d.answers() {
        if !id.is_setup() {
            out.push(format!("{id} in the answer is not a setup cause"));
        }
        if d.experiments_done() {
            match d.experiments.iter().find(|e| e.cause == id) {
                Some(e) if e.verdict == Verdict::Helps => {
                    if e.fixed_val_accuracy < e.base_val_accuracy {
                        out.push(format!("the answer {id}'s fix lowered accuracy: {e}"));
                    }
                    let text = d.answer_text().to_lowercase();
                    if !text.contains(&e.description.to_lowercase()) {
                        out.push(format!("the answer text omits {}", e.description));
                    }
                }
                _ => out.push(format!("{id} answered without a helping experiment")),
            }
        }
    }
    let suspects_converged = d.causes.iter().any(|c| c.id == CauseId::Converged);
    if d.experiments_done()
        && !d.answers().is_empty()
        && suspects_converged
        && !d.ruled_out(CauseId::Converged)
    {
        out.push("'near what the data allows' stands beside a setup fix that helped".into());
    }
    // "Nothing is wrong with training" may not sit under a setup cause the rules call present.
    let setup_present = d.causes.iter().any(|c| c.id.is_setup() && c.is_present());
    if setup_present
        && d.causes
            .iter()
            .any(|c| c.explanation.contains("Nothing is wrong"))
    {
        out.push("'Nothing is wrong with training' under a present setup cause".into());
    }
    if let Some(limit) = d.data_limit() {
        // "The data limits this run" only where more rows raised accuracy: a loss that fell
        // beside an accuracy within the noise does not limit what the student asks about.
        let by_accuracy = d
            .experiments
            .iter()
            .any(|e| e.cause == CauseId::MoreData && e.decided_by == Figure::Accuracy);
        let says_limits = limit.text.contains("the data limits");
        if says_limits != (limit.verdict == Verdict::Helps && by_accuracy) {
            out.push(format!(
                "data limit text against its verdict: {}",
                limit.text
            ));
        }
    }
    out
}

/// The article's presets over training seeds 0–9: the answer's causes, counted.
#[test]
fn the_answer_is_the_same_on_every_seed_of_the_presets() {
    let mut failures = Vec::new();
    eprintln!("\npreset     answers over seeds 0-9 (a tie counts for each)      seeds used");
    let configs: Vec<Config> = plateau::config::PRESETS
        .iter()
        .flat_map(|p| {
            (0..10).map(|seed| Config {
                seed,
                ..Config::preset(p).unwrap()
            })
        })
        .collect();
    let diagnosed = diagnose_all(configs);
    for (p, preset) in plateau::config::PRESETS.iter().enumerate() {
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        let mut seeds = Vec::new();
        for (seed, d) in diagnosed[10 * p..10 * p + 10].iter().enumerate() {
            for id in d.answers() {
                *counts.entry(id.as_str()).or_default() += 1;
            }
            if d.answers().is_empty() {
                *counts.entry("converged").or_default() += 1;
            }
            seeds.push(d.seeds_used());
            failures.extend(
                contradictions(d)
                    .into_iter()
                    .map(|c| format!("{preset} seed {seed}: {c}")),
            );
        }
        eprintln!("{preset:<10} {:<50} {seeds:?}", format!("{counts:?}"));
        let stable = counts.values().any(|&n| n >= 9);
        let expected = match *preset {
            "overfit" => Some("overfitting"),
            "unscaled" => Some("unscaled_features"),
            "lr-low" => Some("lr_too_low"),
            _ => None,
        };
        if !stable || expected.is_some_and(|e| counts.get(e).copied().unwrap_or(0) < 9) {
            failures.push(format!("{preset}: {counts:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// For tuning the rules offline: every case's seed-0 run (config, data shape, history), the
/// rules' causes and the truth, one JSON line a case in `target/rules_lab.jsonl`. Seconds:
/// `cargo test --release --test diagnosis_bank -- --ignored rules_lab`.
#[test]
#[ignore = "writes target/rules_lab.jsonl, for tuning the rules"]
fn rules_lab() {
    use std::io::Write;
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/target/rules_lab.jsonl");
    let mut out = std::fs::File::create(path).unwrap();
    for (set, path) in [
        ("bank", BANK),
        ("held", HELD_OUT_FILE),
        ("healthy", HEALTHY_FILE),
        ("fresh", FRESH_FILE),
        ("fresh-2", FRESH_2_FILE),
    ] {
        for case in load(path) {
            let config = config_of(&case.query);
            let (mut run, prepared) = config.start().unwrap();
            let status = run.finish();
            let d = diagnose(&config, &prepared, run.history(), status);
            let line = serde_json::json!({
                "set": set, "name": case.name, "query": case.query,
                "answers": case.answers,
                "truth": case.truth.iter().map(|t| serde_json::json!({"cause": t.cause, "verdict": t.verdict, "acc": t.val_accuracy_change, "se": t.val_accuracy_se, "loss": t.val_loss_change, "fix": t.fix})).collect::<Vec<_>>(),
                "config": config,
                "train_samples": prepared.train.len(), "val_samples": prepared.val.len(),
                "feature_std": prepared.feature_std,
                "history": run.history(),
                "causes": d.causes.iter().map(|c| serde_json::json!({"id": c.id, "conf": c.confidence, "present": c.is_present()})).collect::<Vec<_>>(),
                "rules_answer": d.rules_answer(),
            });
            writeln!(out, "{line}").unwrap();
        }
    }
}
