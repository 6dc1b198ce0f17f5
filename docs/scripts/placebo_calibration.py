"""How often the placebo's verdict alarms on one configuration, and why a set's count clusters.

Trains one configuration (a URL-hash query, as in tests/fixtures/diagnosis_*.json) natively on
many seeds with the release CLI, then:
- the means of groups of 20 consecutive seeds at eight starts (0-19 are the experiments' seeds,
  2^30 + 0-19 the placebo's);
- the lag-1 autocorrelation of the final loss over consecutive seeds, and the variance of the
  group means against what their standard errors say (1 when seeds are independent);
- the false-alarm rate of the verdict's rule (effect.rs: Student's t 98.75% line, standard
  error floored at a fifth of the smallest change that counts) on pairs of seed groups drawn
  from those runs, on 5, 10 and 20 seeds. It leaves out the rule's rarer clauses (chance,
  ceiling, a loss that speaks against the accuracy), which only remove alarms.

Usage (after `cargo build --release`):
  python3 docs/scripts/placebo_calibration.py QUERY [RUNS] [VALIDATION_ROWS]
docs/diagnosis.md, "The placebo's alarms", has what it printed for fresh-2 5, 7 and 19.
"""
import json, random, statistics, subprocess, sys
from concurrent.futures import ThreadPoolExecutor

CLI = "target/release/plateau"
T = {4: 4.315, 9: 3.111, 14: 2.864, 19: 2.744}  # effect.rs's verdict_line


def flags(query):
    out = []
    for kv in query.split("&"):
        k, v = kv.split("=")
        if k == "seed":
            continue
        if k in ("distort", "standardize"):
            out.append(f"--{k}" if v == "true" else f"--no-{k}")
        else:
            out += [f"--{k}", v]
    return out


def finals(f, seed):
    """Final validation accuracy and loss: means of the last 5 epochs, as effect.rs."""
    run = [CLI, "run", *f, "--seed", str(seed), "--seeds", "0", "--json"]
    h = json.loads(subprocess.run(run, capture_output=True, text=True, check=True).stdout)["history"]
    return statistics.mean(h["val_accuracy"][-5:]), statistics.mean(h["val_loss"][-5:])


def direction(d, floor):
    n, m = len(d), statistics.mean(d)
    se = max(statistics.stdev(d) / n**0.5, 0.2 * floor)
    line = max(T[n - 1] * se, floor)
    return 1 if m >= line else -1 if m <= -line else 0


def main():
    query = sys.argv[1]
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 600
    val_rows = int(sys.argv[3]) if len(sys.argv) > 3 else 40
    f = flags(query)
    pool = ThreadPoolExecutor(2)
    for start in [0, 20, 1000, 123456, 2**30, 2**30 + 20, 2**31, 3 * 2**30]:
        loss = [l for _, l in pool.map(lambda s: finals(f, start + s), range(20))]
        print(f"seeds {start:>10}+0-19: final loss {statistics.mean(loss):.4f} ± {statistics.stdev(loss) / 20**0.5:.4f}")
    all_runs = list(pool.map(lambda s: finals(f, s), range(runs)))
    loss = [l for _, l in all_runs]
    m, v = statistics.mean(loss), statistics.variance(loss)
    lag1 = sum((loss[i] - m) * (loss[i + 1] - m) for i in range(runs - 1)) / (v * (runs - 1))
    groups = [loss[i : i + 20] for i in range(0, runs - runs % 20, 20)]
    ratio = statistics.variance([statistics.mean(g) for g in groups]) / statistics.mean(
        [statistics.variance(g) / 20 for g in groups]
    )
    print(f"lag-1 autocorrelation {lag1:+.3f}; variance of group means / SE^2 {ratio:.2f}")
    acc_floor = max(100 / val_rows, 1.0)
    rnd = random.Random(1)
    for n in (5, 10, 20):
        acc = only_loss = 0
        trials = 20000
        for _ in range(trials):
            s = rnd.sample(all_runs, 2 * n)
            base, placebo = s[:n], s[n:]
            if direction([100 * (p[0] - b[0]) for b, p in zip(base, placebo)], acc_floor):
                acc += 1
            elif direction([p[1] - b[1] for b, p in zip(base, placebo)], 0.02):
                only_loss += 1
        print(f"{n:>2} seeds: false alarms {100 * (acc + only_loss) / trials:.2f}% "
              f"(accuracy {100 * acc / trials:.2f}%, the loss alone {100 * only_loss / trials:.2f}%)")


if __name__ == "__main__":
    main()
