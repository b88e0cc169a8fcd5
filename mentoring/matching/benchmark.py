"""Speed and quality of the matching engine on seeded synthetic pools (``make bench``).

Run ``python -m mentoring.matching.benchmark --sizes 200,2000,10000,100000 --seed 1``.
Each size runs in a fresh subprocess, so its peak memory (``ru_maxrss``: the pool, the
interpreter and the run) is its own. Per size it prints the wall time of :func:`match`,
peak memory, the total, the certified upper bound and their ratio, the worst pair, pairs
under 50, the unmatched, whether every hard rule holds (checked independently by
:func:`verify.rule_violations`), and up to ``--exact-limit`` people the ratio to the exact
optimum (rustworkx, every allowed pair, most pairs first) and the ratio of greedy (heaviest
allowed pair first). ``worst``/``<50`` count every pair, the directors' pins included;
``free`` gives the same two figures for the pairs the engine chose. A second table gives
the time of each phase.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time

from mentoring.matching.engine import match
from mentoring.matching.hierarchy import Hierarchy
from mentoring.matching.synthetic import synthetic_pool
from mentoring.matching.verify import exact_total, greedy_total, rule_violations

PHASES = ("features", "candidates", "assignment", "improvement", "odd", "bound", "reasons")


def measure(n: int, seed: int, exact: bool) -> dict:
    """Generate a pool of ``n``, match it, and check and compare the result."""
    pool = synthetic_pool(n, seed)
    hierarchy = Hierarchy()
    started = time.perf_counter()
    result = match(pool.applicants, hierarchy, pool.rules, seed=seed)
    seconds = time.perf_counter() - started
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    violations = rule_violations(pool.applicants, hierarchy, pool.rules, result)
    row = {
        "n": n,
        "seconds": seconds,
        "peak_mib": peak_mib,
        "total": result.total,
        "bound": result.upper_bound,
        "ratio": result.ratio,
        "worst": result.worst_pair,
        "below_50": result.pairs_below_50,
        "worst_free": result.stats["worst_unpinned"],
        "below_50_free": result.stats["unpinned_below_50"],
        "unmatched": result.unmatched_count,
        "triads": len(result.triads),
        "violations": len(violations),
        "phases": {phase: result.timings.get(phase, 0.0) for phase in PHASES},
        "stats": result.stats,
    }
    if exact:
        optimum = exact_total(pool.applicants, hierarchy, pool.rules)
        greedy, greedy_unmatched = greedy_total(pool.applicants, hierarchy, pool.rules)
        row.update(
            exact=optimum,
            exact_ratio=result.total / optimum if optimum else 1.0,
            greedy_ratio=greedy / optimum if optimum else 1.0,
            greedy_unmatched=greedy_unmatched,
        )
    return row


def _run_in_subprocess(n: int, seed: int, exact: bool) -> dict:
    command = [sys.executable, "-m", "mentoring.matching.benchmark", "--worker", str(n)]
    command += ["--seed", str(seed)] + ([] if exact else ["--no-exact"])
    completed = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(completed.stdout.strip().splitlines()[-1])


def _table(rows: list[dict]) -> str:
    header = (
        f"{'n':>7} {'time s':>7} {'peak MiB':>8} {'total':>11} {'bound':>11} {'/bound':>8} "
        f"{'worst':>5} {'<50':>4} {'free':>9} {'unm':>3} {'tri':>3} {'rules':>5} {'/exact':>8} "
        f"{'greedy':>8} {'g-unm':>5}"
    )
    lines = [header, "-" * len(header)]
    for r in rows:
        exact = f"{100 * r['exact_ratio']:7.3f}%" if "exact_ratio" in r else f"{'-':>8}"
        greedy = f"{100 * r['greedy_ratio']:7.3f}%" if "greedy_ratio" in r else f"{'-':>8}"
        greedy_unmatched = f"{r['greedy_unmatched']:5d}" if "greedy_unmatched" in r else "    -"
        worst = f"{r['worst']:5.1f}" if r["worst"] is not None else "    -"
        free = (
            f"{r['worst_free']:5.1f}/{r['below_50_free']:<3d}"
            if r["worst_free"] is not None
            else "        -"
        )
        lines.append(
            f"{r['n']:7d} {r['seconds']:7.2f} {r['peak_mib']:8.0f} {r['total']:11.1f} "
            f"{r['bound']:11.1f} {100 * r['ratio']:7.3f}% {worst} {r['below_50']:4d} {free} "
            f"{r['unmatched']:3d} {r['triads']:3d} {'ok' if not r['violations'] else 'FAIL':>5} "
            f"{exact} {greedy} {greedy_unmatched}"
        )
    return "\n".join(lines)


def _phase_table(rows: list[dict]) -> str:
    header = f"{'n':>7} " + " ".join(f"{phase:>11}" for phase in PHASES)
    lines = [header, "-" * len(header)]
    for r in rows:
        lines.append(f"{r['n']:7d} " + " ".join(f"{r['phases'][p]:11.2f}" for p in PHASES))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="200,2000,10000,100000")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-exact", action="store_true", help="skip the exact optimum")
    parser.add_argument("--exact-limit", type=int, default=2000)
    parser.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker is not None:
        print(json.dumps(measure(args.worker, args.seed, not args.no_exact)))
        return 0
    rows = []
    for n in (int(size) for size in args.sizes.split(",")):
        exact = not args.no_exact and n <= args.exact_limit
        rows.append(_run_in_subprocess(n, args.seed, exact))
        print(f"n={n} done in {rows[-1]['seconds']:.2f} s", file=sys.stderr, flush=True)
    print(_table(rows))
    print()
    print("seconds per phase")
    print(_phase_table(rows))
    failed = [r["n"] for r in rows if r["violations"]]
    print()
    print(
        "hard rules: all hold at every size"
        if not failed
        else f"hard rules: BROKEN at n = {', '.join(map(str, failed))}"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
