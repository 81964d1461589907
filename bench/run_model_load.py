"""Driver of the model-load benchmark: boto-glib against boto3, cold processes.

Usage: run_model_load.py BENCH_MODEL_LOAD PYTHON
Runs each side BENCH_RUNS times (default 30), alternating, each in a fresh
process, after one discarded warm-up run of each.
"""

import os
import statistics
import subprocess
import sys
import time

GOAL_MS = 2.0


def run(argv, env=None):
    """Runs argv once; returns (its `key value` lines as a dict, wall ms)."""
    t0 = time.perf_counter_ns()
    try:
        proc = subprocess.run(argv, env=env, stdout=subprocess.PIPE, text=True)
    except OSError as e:
        sys.exit(f"run-model-load: {argv[0]}: {e.strerror}")
    wall = (time.perf_counter_ns() - t0) / 1e6
    if proc.returncode != 0:
        sys.exit(f"run-model-load: {' '.join(argv)} exited with {proc.returncode}")
    figures = dict(line.split() for line in proc.stdout.splitlines() if line.strip())
    return {k: float(v) for k, v in figures.items()}, wall


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: run_model_load.py BENCH_MODEL_LOAD PYTHON")
    bench, python = sys.argv[1:]
    runs = int(os.environ.get("BENCH_RUNS", "30"))
    script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "bench_boto3_ec2.py")
    glib_argv = [bench]
    boto3_argv = [python, script]
    # Credentials and region are given in the script; this only keeps
    # botocore away from the instance metadata service.
    boto3_env = dict(os.environ, AWS_EC2_METADATA_DISABLED="true")

    run(glib_argv)
    run(boto3_argv, boto3_env)

    rows = {k: [] for k in ("glib", "glib-wall", "client", "import+client", "boto3-wall")}
    for _ in range(runs):
        figures, wall = run(glib_argv)
        rows["glib"].append(figures["boto-glib-ec2-load-us"] / 1000)
        rows["glib-wall"].append(wall)
        figures, wall = run(boto3_argv, boto3_env)
        rows["client"].append(figures["boto3-ec2-client-ms"])
        rows["import+client"].append(figures["boto3-import-ms"] + figures["boto3-ec2-client-ms"])
        rows["boto3-wall"].append(wall)

    med = {k: statistics.median(v) for k, v in rows.items()}
    labels = [
        ("glib", "boto-glib  load + lookup (in-process)"),
        ("glib-wall", "boto-glib  whole process (spawn to exit)"),
        ("client", "boto3      client + lookup (in-process)"),
        ("import+client", "boto3      import + client + lookup"),
        ("boto3-wall", "boto3      whole process (spawn to exit)"),
    ]
    print(f"model-load: ec2 model to RunInstances input shape, {runs} cold runs each")
    print(f"{'':42} {'median ms':>10} {'min ms':>10}")
    for key, label in labels:
        print(f"{label:42} {med[key]:10.3f} {min(rows[key]):10.3f}")
    print(f"{'ratio boto3/boto-glib, in-process':42} {med['client'] / med['glib']:9.1f}x")
    print(f"{'ratio boto3/boto-glib, whole process':42} {med['boto3-wall'] / med['glib-wall']:9.1f}x")
    verdict = "met" if med["glib"] <= GOAL_MS else "NOT met"
    print(f"goal: boto-glib in-process median <= {GOAL_MS:g} ms: {verdict}")


if __name__ == "__main__":
    main()
