//! Training in workers, natively: the page's [`Playground`] writes orders, [`Trainer`]s (one
//! per worker in the page) carry them out, and the messages are passed here by hand, as
//! `www/pool.js` passes them. The promise tested: with workers the page shows bit for bit
//! what it shows without them, and Pause, Step, Stop and changes mean the same.

mod common;

use common::{clock, playground, FakeClock};
use plateau::playground::{Order, Playground, Trainer, Update, BACKGROUND_SLICE_MS};
use plateau::Config;

/// The page's pool, as `www/pool.js` keeps it: each run goes to the worker with the fewest
/// runs, and its later orders to the same worker.
struct Pool {
    trainers: Vec<Trainer>,
    owner: Vec<(u32, usize)>,
    load: Vec<usize>,
}

impl Pool {
    fn new(workers: usize) -> Pool {
        Pool {
            trainers: (0..workers).map(|_| Trainer::new(clock())).collect(),
            owner: Vec::new(),
            load: vec![0; workers],
        }
    }

    fn send(&mut self, orders: Vec<Order>) {
        for order in orders {
            let w = match &order {
                Order::Start { id, .. } => {
                    let w = (0..self.load.len()).min_by_key(|&w| self.load[w]).unwrap();
                    self.owner.push((*id, w));
                    self.load[w] += 1;
                    w
                }
                other => match self.owner.iter().find(|(id, _)| *id == other.id()) {
                    Some(&(_, w)) => w,
                    None => continue, // ended before the order: nothing to do
                },
            };
            self.trainers[w].order(order).unwrap();
        }
    }

    /// One slice of every worker; their reports, in order.
    fn work(&mut self) -> Vec<Update> {
        let mut updates = Vec::new();
        for (w, trainer) in self.trainers.iter_mut().enumerate() {
            for update in trainer.work(20.0) {
                if update.status != plateau::train::Status::Training {
                    self.load[w] -= 1;
                    self.owner.retain(|(id, _)| *id != update.id);
                }
                updates.push(update);
            }
        }
        updates
    }

    fn busy(&self) -> bool {
        self.trainers.iter().any(Trainer::busy)
    }
}

/// The page's frames with workers: send the orders, let each worker work a slice, pass the
/// reports, run a frame. Until nothing is left to do.
fn frames_to_the_end(p: &mut Playground, pool: &mut Pool) {
    for _ in 0..1_000_000 {
        pool.send(p.take_orders());
        for update in pool.work() {
            p.receive(&update);
        }
        p.frame(10.0);
        if !p.wants_frame() && !pool.busy() {
            return;
        }
    }
    panic!("the page never finished");
}

/// The workers train everything they were given while the page runs no frame (as when it is
/// paused): their reports arrive, and nothing is shown yet.
fn workers_run_ahead(p: &mut Playground, pool: &mut Pool) {
    pool.send(p.take_orders());
    while pool.busy() {
        for update in pool.work() {
            p.receive(&update);
        }
    }
}

fn local_to_the_end(p: &mut Playground) {
    while p.wants_frame() {
        p.frame(10.0);
    }
}

fn opened(hash: &str) -> Playground {
    let mut p = playground();
    let notices = p.apply_hash(hash);
    assert!(notices.is_empty(), "{hash}: {notices:?}");
    p
}

/// Everything the page shows about the runs and the diagnosis, as text.
fn shown(p: &Playground) -> String {
    let histories: Vec<_> = p.chart_runs().iter().map(|r| r.histories.clone()).collect();
    format!(
        "{}\n{}\n{}\n{}\n{}\n{}",
        serde_json::to_string(&histories).unwrap(),
        serde_json::to_string(p.instruments()).unwrap(),
        serde_json::to_string(&p.chart_confusions()).unwrap(),
        serde_json::to_string(&p.figures()).unwrap(),
        serde_json::to_string(&p.diagnosis()).unwrap(),
        p.status().text,
    )
}

/// The page with `workers` workers shows bit for bit what it shows training itself, and its
/// experiments run to the end in the workers. One test per hash, so the harness trains them
/// on every core.
fn workers_show_bit_for_bit_what_the_page_trains_itself(hash: &str, workers: usize) {
    let mut local = opened(hash);
    local_to_the_end(&mut local);
    let mut remote = opened(hash);
    remote.use_workers(true).unwrap();
    let mut pool = Pool::new(workers);
    frames_to_the_end(&mut remote, &mut pool);
    assert!(remote.workers());
    assert_eq!(
        remote.instruments().len(),
        remote.figures()[0].epoch,
        "{hash}: the workers' instruments arrived with their epochs"
    );
    assert!(
        remote.chart_confusions().iter().all(Option::is_some),
        "{hash}: every run's confusion matrix arrived with its end"
    );
    assert_eq!(
        shown(&remote),
        shown(&local),
        "{hash} with {workers} workers"
    );
    let experiments = remote.diagnosis().unwrap().experiments;
    assert!(
        experiments.iter().all(|e| e.complete),
        "{hash}: the experiments ran to the end in the workers"
    );
}

#[test]
fn workers_show_an_overfitting_run_bit_for_bit() {
    // Overfits like the `overfit` preset, in a fifth of its arithmetic.
    workers_show_bit_for_bit_what_the_page_trains_itself("#samples=100&hidden=32,16&epochs=50", 1);
}

#[test]
fn workers_show_a_band_of_seeds_bit_for_bit() {
    workers_show_bit_for_bit_what_the_page_trains_itself(
        "#samples=150&hidden=12&epochs=25&seeds=3",
        2,
    );
}

#[test]
fn workers_show_a_comparison_bit_for_bit() {
    workers_show_bit_for_bit_what_the_page_trains_itself("#compare=scaling&seeds=1", 3);
}

#[test]
fn workers_show_dropout_and_early_stopping_bit_for_bit() {
    workers_show_bit_for_bit_what_the_page_trains_itself(
        "#samples=300&hidden=16,8&epochs=40&dropout=0.2&early-stopping=5&lr=0.01&seed=7",
        2,
    );
}

#[test]
fn workers_show_a_diverging_run_bit_for_bit() {
    workers_show_bit_for_bit_what_the_page_trains_itself(
        "#samples=200&hidden=32&lr=1&optimizer=sgd&epochs=30",
        2,
    );
}

#[test]
fn workers_show_a_collapse_bit_for_bit() {
    // A collapse (dead ReLU units): its "more data" fix validates on 320 rows, not the base's
    // 80, and whether its runs count as at chance depends on that (in the workers, the fix's
    // data is not prepared on the page).
    workers_show_bit_for_bit_what_the_page_trains_itself(
        "#samples=400&hidden=64,64&lr=0.3&epochs=15",
        1,
    );
}

#[test]
fn paused_the_page_shows_nothing_new_however_far_the_workers_got() {
    let mut p = opened("#samples=100&hidden=8&epochs=5");
    p.use_workers(true).unwrap();
    p.pause();
    let mut pool = Pool::new(1);
    workers_run_ahead(&mut p, &mut pool);
    for _ in 0..10 {
        p.frame(10.0);
    }
    assert_eq!(p.epoch(), 0, "paused: the worker's epochs wait");
    p.step_epoch();
    while p.wants_frame() {
        p.frame(10.0);
    }
    assert_eq!(p.epoch(), 1, "Step one epoch shows exactly one");
    assert_eq!(p.status().state, "paused");
    p.play();
    frames_to_the_end(&mut p, &mut pool);
    assert_eq!(p.epoch(), 5);
}

#[test]
fn a_stopped_run_in_a_worker_is_the_run_planned_with_that_many_epochs() {
    let hash = "#samples=200&hidden=16&epochs=50&seed=3";
    let mut p = opened(hash);
    p.use_workers(true).unwrap();
    let mut pool = Pool::new(1);
    while p.epoch() < 7 {
        pool.send(p.take_orders());
        for update in pool.work() {
            p.receive(&update);
        }
        p.step_for(10.0, 7);
    }
    p.stop();
    frames_to_the_end(&mut p, &mut pool);
    let stopped = p.figures()[0].epoch;
    assert_eq!(stopped, 8, "the epoch under way ends");
    assert_eq!(p.status().state, "stopped");
    let mut fresh = opened(&format!("{hash}&epochs={stopped}").replace("epochs=50&", ""));
    local_to_the_end(&mut fresh);
    assert_eq!(p.histories(), fresh.histories());
    assert_eq!(p.chart_confusions(), fresh.chart_confusions());
    assert!(p.confusion().is_some());
}

#[test]
fn a_change_cancels_the_runs_given_out_and_never_sends_those_dropped_unsent() {
    let mut p = opened("#samples=100&hidden=8&epochs=20");
    p.use_workers(true).unwrap();
    let first = p.take_orders();
    assert!(
        matches!(first.as_slice(), [Order::Start { .. }]),
        "{first:?}"
    );
    let mut pool = Pool::new(1);
    pool.send(first.clone());
    // A drag passes through two settings before the frame takes the orders.
    p.begin_drag();
    p.set("lr", "0.01").unwrap();
    p.set("lr", "0.02").unwrap();
    p.end_drag();
    let orders = p.take_orders();
    assert_eq!(orders.len(), 2, "{orders:?}");
    assert_eq!(orders[0], Order::Cancel { id: first[0].id() });
    let Order::Start { query, .. } = &orders[1] else {
        panic!("{orders:?}")
    };
    assert!(
        query.contains("lr=0.02"),
        "only the last setting is sent: {query}"
    );
    pool.send(orders);
    assert!(
        pool.trainers[0].busy(),
        "the cancelled run is gone, the new one trains"
    );
    frames_to_the_end(&mut p, &mut pool);
    assert_eq!(p.figures()[0].epoch, 20);
}

#[test]
fn without_workers_the_page_trains_the_same_runs_itself() {
    let hash = "#samples=150&hidden=12&epochs=25&seeds=3";
    let mut local = opened(hash);
    local_to_the_end(&mut local);
    let mut p = opened(hash);
    p.use_workers(true).unwrap();
    let mut pool = Pool::new(1);
    for _ in 0..3 {
        pool.send(p.take_orders());
        for update in pool.work() {
            p.receive(&update);
        }
        p.frame(10.0);
    }
    // The workers fail: the page takes over, and its runs are the same.
    p.use_workers(false).unwrap();
    assert!(p.take_orders().is_empty(), "no orders without workers");
    local_to_the_end(&mut p);
    assert_eq!(shown(&p), shown(&local));
}

#[test]
fn a_worker_works_in_bounded_slices_and_names_a_bad_order() {
    let mut trainer = Trainer::new(clock());
    let config = Config {
        samples: 10_000,
        hidden: vec![64, 64],
        ..Config::default()
    };
    trainer
        .order(Order::Start {
            id: 1,
            query: config.to_query(),
            priority: 0,
            instruments: false,
        })
        .unwrap();
    // Each clock reading is 1 ms, so a 20 ms slice takes a handful of the epoch's 250 steps.
    assert!(trainer.work(20.0).is_empty(), "no epoch within one slice");
    assert!(trainer.busy());
    trainer.order(Order::Cancel { id: 1 }).unwrap();
    assert!(!trainer.busy(), "cancelled");
    let e = trainer
        .order(Order::Start {
            id: 2,
            query: "samples=3&lr=fast".into(),
            priority: 0,
            instruments: false,
        })
        .unwrap_err();
    assert!(e.contains("samples") || e.contains("lr"), "{e}");
}

#[test]
fn a_run_stopped_behind_its_worker_shows_the_confusion_matrix_of_its_shown_epochs() {
    // Paused, the worker trains all 30 epochs while the page shows 6: the worker's network
    // is then 24 epochs past the run the page stops at, so the matrix must come from the
    // epoch the page shows (with restore_best_weights, that epoch's best).
    for hash in [
        "#samples=200&hidden=16&epochs=30&seed=3",
        "#samples=200&hidden=16&epochs=30&seed=3&early-stopping=2&lr=0.05",
    ] {
        let mut p = opened(hash);
        p.use_workers(true).unwrap();
        p.pause();
        let mut pool = Pool::new(1);
        workers_run_ahead(&mut p, &mut pool);
        for _ in 0..6 {
            p.step_epoch();
            while p.wants_frame() {
                p.frame(10.0);
            }
        }
        p.stop();
        frames_to_the_end(&mut p, &mut pool);
        let stopped = p.figures()[0].epoch;
        let mut fresh = opened(&format!("{hash}&epochs={stopped}").replace("epochs=30&", ""));
        local_to_the_end(&mut fresh);
        assert_eq!(p.histories(), fresh.histories(), "{hash}");
        assert!(p.confusion().is_some(), "{hash}: stopped behind the worker");
        assert_eq!(p.chart_confusions(), fresh.chart_confusions(), "{hash}");
    }
}

/// A worker hears a change only between slices, so a student's change waits for the slice
/// under way: slices of experiments alone are short, and a run on the chart that ends is
/// reported at once, not after the rest of its slice has gone to the experiments.
#[test]
fn a_worker_hears_a_change_soon_and_reports_the_charts_run_at_once() {
    let clock = FakeClock::ticking(1.0);
    let mut trainer = Trainer::new(clock.boxed());
    let start = |id, priority, epochs| Order::Start {
        id,
        query: Config {
            epochs,
            ..Config::default()
        }
        .to_query(),
        priority,
        instruments: false,
    };
    let spent = |trainer: &mut Trainer, budget: f64| {
        let t = clock.now.get();
        let updates = trainer.work(budget);
        (clock.now.get() - t, updates)
    };
    // An experiment's run alone: a 25 ms budget is cut to the background's.
    trainer.order(start(1, 1, 100)).unwrap();
    let (ms, _) = spent(&mut trainer, 25.0);
    // One step reads the clock three times (3 ms here): the slice ends within one of them.
    assert!(
        ms <= BACKGROUND_SLICE_MS + 3.0,
        "{ms} ms of a background slice"
    );
    // A run on the chart gets the whole budget.
    trainer.order(start(2, 0, 100)).unwrap();
    let (ms, _) = spent(&mut trainer, 25.0);
    assert!(ms >= 20.0, "{ms} ms of a slice with the chart's run");
    trainer.order(Order::Cancel { id: 2 }).unwrap();
    // A short run on the chart ends inside a long budget: it is reported then, and the
    // experiment has not moved.
    trainer.order(start(3, 0, 2)).unwrap();
    let (_, updates) = spent(&mut trainer, 1e9);
    let ids: Vec<u32> = updates.iter().map(|u| u.id).collect();
    assert_eq!(ids, vec![3], "only the chart's run reported: {ids:?}");
    assert_ne!(updates[0].status, plateau::train::Status::Training);
    assert!(trainer.busy(), "the experiment is left for the next slices");
}

/// A run on the chart that would end within one more slice ends in this one (one report, one
/// drawing); one further from its end keeps its slice, so a change waits at most two.
#[test]
fn a_run_on_the_chart_near_its_end_ends_in_the_slice_under_way() {
    let clock = FakeClock::ticking(1.0);
    let mut trainer = Trainer::new(clock.boxed());
    let start = |id, epochs| Order::Start {
        id,
        query: Config {
            epochs,
            ..Config::default()
        }
        .to_query(),
        priority: 0,
        instruments: false,
    };
    let spent = |trainer: &mut Trainer| {
        let t = clock.now.get();
        let updates = trainer.work(25.0);
        (clock.now.get() - t, updates)
    };
    // Far from its end: the slice ends on its budget.
    trainer.order(start(1, 100)).unwrap();
    let (ms, updates) = spent(&mut trainer);
    assert!(ms <= 25.0 + 3.0, "{ms} ms");
    assert!(updates
        .iter()
        .all(|u| u.status == plateau::train::Status::Training));
    trainer.order(Order::Cancel { id: 1 }).unwrap();
    // Two epochs: more than one slice, less than two, reported ended after one.
    trainer.order(start(2, 2)).unwrap();
    let (ms, updates) = spent(&mut trainer);
    assert!(ms > 25.0 + 3.0 && ms <= 50.0 + 3.0, "{ms} ms");
    assert_eq!(updates.len(), 1);
    assert_ne!(updates[0].status, plateau::train::Status::Training);
    assert_eq!(updates[0].history.epochs(), 2);
}
