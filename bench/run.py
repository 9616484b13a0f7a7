#!/usr/bin/env python3
"""Build benchmark: groupdir next to Hugo (and Zola, when installed) on the same generated groups.

For each size (100, 1,000, 10,000 groups by default) it generates the corpus with
bench/gen_corpus.py, then times the tools alternately, N runs each, every run into a
fresh output folder as a CI build would do, plus a groupdir rebuild into its own output (the
incremental case, in its steady state: the third build into the same folder). It prints medians
of wall time, CPU time and peak memory (whole process), and the ratios. Exits non-zero when any
run fails.

    python3 bench/run.py                      # 100, 1000, 10000 groups, 5 runs each
    python3 bench/run.py --sizes 1000 --runs 3
    python3 bench/run.py --work /dev/shm/gd   # outputs on tmpfs: the disk taken out

Standard library only. Peak memory is the child's ru_maxrss from wait4().
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TODAY = "2026-11-25"
REBUILD = "groupdir rebuild"
# Figures from bench/README.md (measured on this project's machine) for the tools not installed here.
REFERENCE = {
    "zola (ref)": {100: (0.23, 133), 1000: (0.80, 214), 10000: (11.2, 1024)},
    "hugo (ref)": {100: (0.12, 69), 1000: (0.88, 206), 10000: (8.2, 1724)},
}


def main():
    args = parse_args()
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    binary = groupdir_binary(args)
    tools = {"groupdir": binary}
    for name in ("hugo", "zola"):
        if not args.no_others and shutil.which(name):
            tools[name] = shutil.which(name)
    print(f"load before: {load()}   tools: {', '.join(tools)}   runs: {args.runs}", flush=True)
    results = {}
    failed = False
    try:
        for size in args.sizes:
            sites = {name: corpus(args, work, name, size) for name in tools}
            for name, samples in measure(args, work, tools, sites, size).items():
                results[(name, size)] = samples
                failed |= any(s is None for s in samples)
    finally:
        if not args.keep:
            shutil.rmtree(work / "out", ignore_errors=True)
    print(f"load after: {load()}\n")
    report(results, args.sizes, tools)
    if failed:
        print("FAILED: at least one run exited non-zero (see above)", file=sys.stderr)
        sys.exit(1)


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--sizes", default="100,1000,10000", help="group counts, comma-separated")
    p.add_argument("--runs", type=int, default=5, help="runs per tool and size (median reported)")
    p.add_argument("--work", default="/tmp/groupdir-bench", help="folder for corpora and outputs")
    p.add_argument("--gen", default=str(REPO / "bench/gen_corpus.py"))
    p.add_argument("--binary", help="groupdir binary (default: cargo build --release)")
    p.add_argument("--no-others", action="store_true", help="time groupdir only")
    p.add_argument("--keep", action="store_true", help="keep the output folders")
    args = p.parse_args()
    args.sizes = [int(s) for s in args.sizes.split(",")]
    if args.runs < 1:
        p.error("--runs must be at least 1")
    if not Path(args.gen).is_file():
        p.error(f"no corpus generator at {args.gen}: pass --gen PATH/gen_corpus.py")
    return args


def groupdir_binary(args):
    if args.binary:
        return str(Path(args.binary).resolve())
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=REPO, check=True)
    return str(REPO / "target/release/groupdir")


def corpus(args, work, tool, size):
    """Generates (once) the site for `tool`; groupdir's uses its built-in default theme."""
    flavor = {"groupdir": "groupdir", "hugo": "hugo", "zola": "zola"}[tool]
    site = work / f"{flavor}-{size}"
    stamp = site / ".bench-complete"
    if not stamp.exists():
        gen = subprocess.run(
            [sys.executable, args.gen, "--groups", str(size), "--flavor", flavor,
             "--out", str(site), "--today", TODAY, "--force"],
            capture_output=True, text=True,
        )
        if gen.returncode != 0:
            sys.exit(f"corpus generation failed:\n{gen.stderr}")
        stamp.touch()
    return site


def command(tool, binary, site, out):
    if tool == "groupdir":
        return [binary, "build", "--root", str(site), "--output", str(out), "--now", TODAY]
    if tool == "hugo":
        return [binary, "--quiet", "--source", str(site), "--destination", str(out)]
    return [binary, "--root", str(site), "build", "--output-dir", str(out), "--force"]


def run(cmd):
    """Runs `cmd`; returns (wall s, cpu s, peak MiB), or None when it failed."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    stderr = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        print(f"  run failed ({proc.returncode}): {' '.join(cmd)}\n{stderr.decode()[-2000:]}",
              file=sys.stderr)
        return None
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def measure(args, work, tools, sites, size):
    """Alternates the tools run by run (the order flips each run), each into a new folder.

    Outputs are removed only at the end: on ext4, creating files right after a mass deletion is
    slow for minutes, which would penalise whichever tool runs next.
    """
    samples = {name: [] for name in tools}
    samples[REBUILD] = []
    names = list(tools)
    for i in range(args.runs):
        for name in names if i % 2 == 0 else names[::-1]:
            out = work / "out" / f"{name}-{size}-{i}"
            samples[name].append(run(command(name, tools[name], sites[name], out)))
        # The incremental case: groupdir again on the output it has written, in its steady state
        # (from the third build on, it rewrites the output the second one replaced).
        out = work / "out" / f"groupdir-{size}-{i}"
        rebuild = command("groupdir", tools["groupdir"], sites["groupdir"], out)
        run(rebuild)
        samples[REBUILD].append(run(rebuild))
        print(f"  {size} groups, run {i + 1}/{args.runs} done (load {load()})", flush=True)
    return samples


def report(results, sizes, tools):
    rows = [("groups", "tool", "wall s", "cpu s", "peak MiB", "µs/group", "÷ groupdir")]
    for size in sizes:
        ours = median(results.get(("groupdir", size)), 0)
        others = {name: median(results.get((name, size)), 0) for name in tools if name != "groupdir"}
        for name in ["groupdir", REBUILD, *others]:
            samples = results.get((name, size))
            if not samples:
                continue
            wall, cpu, peak = (median(samples, k) for k in range(3))
            if wall is None:
                continue
            ratio = f"{wall / ours:.1f}" if ours and name not in ("groupdir",) else ""
            rows.append((f"{size:,}", name, f"{wall:.3f}", f"{cpu:.2f}", f"{peak:.0f}",
                         f"{wall * 1e6 / size:.0f}", ratio))
        for name, figures in REFERENCE.items():
            if size in figures and name.split()[0] not in tools:
                wall, peak = figures[size]
                rows.append((f"{size:,}", name, f"{wall:.2f}", "", f"{peak}", "",
                             f"{wall / ours:.1f}" if ours else ""))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for j, row in enumerate(rows):
        print("| " + " | ".join(c.ljust(w) for c, w in zip(row, widths)) + " |")
        if j == 0:
            print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    print("\n÷ groupdir: the row's wall time divided by groupdir's fresh build at that size "
          "(how many times faster groupdir is); (ref) rows are the published figures of "
          "bench/README.md, shown for tools not installed here.")


def median(samples, k):
    values = [s[k] for s in samples or [] if s is not None]
    return statistics.median(values) if values else None


def load():
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


if __name__ == "__main__":
    main()
