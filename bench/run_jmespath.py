"""Driver of the JMESPath benchmark: boto-glib against the jmespath package.

Usage: run_jmespath.py BENCH_JMESPATH
Builds the same data as bench-jmespath.c (1,000 EC2 reservations with one
instance each, 1,000 S3 objects) as Python dicts, times jmespath.search()
on each expression (best of 5 rounds of BENCH_ITERATIONS searches, default
2000), runs bench-jmespath on the same expressions, and prints a table of
microseconds per search and the ratio python/boto-glib.
"""

import os
import subprocess
import sys
import time

import jmespath

EXPRESSIONS = [
    "Reservations[].Instances[].InstanceId",
    "Contents[?Size > `100`].Key",
]
GOAL = 20.0
N_ITEMS = 1000


def build_data():
    reservations = []
    for i in range(N_ITEMS):
        reservations.append({
            "ReservationId": "r-%08x" % i,
            "OwnerId": "123456789012",
            "Instances": [{
                "InstanceId": "i-%08x" % i,
                "InstanceType": "t3.micro",
                "State": {"Code": 16, "Name": "running"},
            }],
        })
    contents = []
    for i in range(N_ITEMS):
        contents.append({
            "Key": "photos/%04d.jpg" % i,
            "LastModified": 1700000000000000 + i,
            "ETag": '"d41d8cd98f00b204e9800998ecf8427e"',
            "Size": (i * 37) % 200,
            "StorageClass": "STANDARD",
        })
    return {"Reservations": reservations, "Contents": contents}


def time_python(expression, data, iterations):
    best = None
    result = None
    for _ in range(5):
        t0 = time.perf_counter_ns()
        for _ in range(iterations):
            result = jmespath.search(expression, data)
        elapsed = time.perf_counter_ns() - t0
        best = elapsed if best is None else min(best, elapsed)
    return best / 1000 / iterations, len(result)


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: run_jmespath.py BENCH_JMESPATH")
    bench = sys.argv[1]
    iterations = int(os.environ.get("BENCH_ITERATIONS", "2000"))
    data = build_data()

    try:
        proc = subprocess.run([bench, str(iterations)] + EXPRESSIONS,
                              stdout=subprocess.PIPE, text=True, check=True)
    except (OSError, subprocess.CalledProcessError) as e:
        sys.exit(f"run-jmespath: {bench}: {e}")
    glib = {}
    for line in proc.stdout.splitlines():
        form, us, rest = line.split(" ", 2)
        if form == "compile":
            glib[(form, rest)] = (float(us), None)
        else:
            count, expression = rest.split(" ", 1)
            glib[(form, expression)] = (float(us), int(count))

    print(f"jmespath: {N_ITEMS}-element input, best of 5 rounds of {iterations} searches, "
          f"jmespath {jmespath.__version__}")
    print(f"{'expression':40} {'python us':>10} {'glib tree':>10} {'glib ser.':>10} "
          f"{'ratio':>7} {'ratio ser.':>10} {'compile us':>10}")
    verdict = True
    for expression in EXPRESSIONS:
        py_us, py_count = time_python(expression, data, iterations)
        tree_us, tree_count = glib[("tree", expression)]
        ser_us, ser_count = glib[("serialized", expression)]
        compile_us, _ = glib[("compile", expression)]
        if not (py_count == tree_count == ser_count):
            sys.exit(f"run-jmespath: {expression}: python found {py_count}, "
                     f"boto-glib {tree_count}/{ser_count}")
        ratio = py_us / tree_us
        ratio_ser = py_us / ser_us
        verdict = verdict and min(ratio, ratio_ser) >= GOAL
        print(f"{expression:40} {py_us:10.2f} {tree_us:10.2f} {ser_us:10.2f} "
              f"{ratio:6.1f}x {ratio_ser:9.1f}x {compile_us:10.2f}")
    print(f"goal: python/boto-glib >= {GOAL:g}x for every expression and form: "
          f"{'met' if verdict else 'NOT met'}")


if __name__ == "__main__":
    main()
