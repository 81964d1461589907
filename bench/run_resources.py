"""Driver of the resource benchmark: iterate a bucket's objects with
boto-glib's collections and with boto3's, on the same moto server, in one
run (started by tests/moto-fixture.py, which exports AWS_ENDPOINT_URL,
fake credentials and the region).

Usage: run_resources.py BENCH_RESOURCES
Fills two buckets (1,000 and 10,000 objects), then iterates each with
`bucket.objects.all()` on both sides in fresh processes, and prints the
client CPU time (getrusage, so the server's time does not count), its
ratio, and the peak RSS (VmHWM) for 1,000 against 10,000 objects.
Environment: BENCH_RUNS (processes per side and bucket, default 3).
"""

import concurrent.futures
import os
import statistics
import subprocess
import sys

import boto3

CPU_GOAL = 10.0

BOTO3_ITERATE = r"""
import resource, sys
start = resource.getrusage(resource.RUSAGE_SELF)
import boto3
n = 0
for obj in boto3.resource('s3').Bucket(sys.argv[1]).objects.all():
    assert obj.key
    n += 1
end = resource.getrusage(resource.RUSAGE_SELF)
cpu = (end.ru_utime + end.ru_stime - start.ru_utime - start.ru_stime) * 1e6
with open('/proc/self/status') as f:
    hwm = [line for line in f if line.startswith('VmHWM:')][0]
print('objects %d' % n)
print('cpu-us %d' % cpu)
print('peak-rss-kib %d' % int(hwm.split()[1]))
"""


def fill(s3, bucket, count):
    s3.create_bucket(Bucket=bucket)
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda i: s3.put_object(Bucket=bucket, Key="objects/%06d" % i, Body=b"x"),
                      range(count)))


def run(argv):
    out = subprocess.run(argv, check=True, capture_output=True, text=True).stdout
    return {key: float(value) for key, value in (line.split() for line in out.splitlines())}


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    bench = sys.argv[1]
    runs = int(os.environ.get("BENCH_RUNS", "3"))
    s3 = boto3.client("s3", config=boto3.session.Config(max_pool_connections=16))
    buckets = {1000: "bench-res-1k", 10000: "bench-res-10k"}
    for count, bucket in buckets.items():
        fill(s3, bucket, count)

    results = {}
    for count, bucket in buckets.items():
        ours = [run([bench, bucket]) for _ in range(runs)]
        theirs = [run([sys.executable, "-c", BOTO3_ITERATE, bucket]) for _ in range(runs)]
        for side in (ours, theirs):
            assert all(r["objects"] == count for r in side), side
        results[count] = (ours, theirs)

    print("resources: bucket.objects.all(), median of %d fresh processes per side" % runs)
    print("%-34s %12s %12s %9s" % ("", "boto3", "boto-glib", "ratio"))
    for count, (ours, theirs) in results.items():
        a = statistics.median(r["cpu-us"] for r in theirs) / 1000
        b = statistics.median(r["cpu-us"] for r in ours) / 1000
        verdict = "met" if a / b >= CPU_GOAL else "not met"
        print("%-34s %12.1f %12.1f %8.1fx  (goal %.0fx: %s)  [ms]"
              % ("client CPU, %d objects" % count, a, b, a / b, CPU_GOAL, verdict))
    for count, (ours, theirs) in results.items():
        print("%-34s %12.0f %12.0f %8.1fx  [KiB]"
              % ("peak RSS, %d objects" % count,
                 statistics.median(r["peak-rss-kib"] for r in theirs),
                 statistics.median(r["peak-rss-kib"] for r in ours),
                 statistics.median(r["peak-rss-kib"] for r in theirs)
                 / statistics.median(r["peak-rss-kib"] for r in ours)))
    small = statistics.median(r["peak-rss-kib"] for r in results[1000][0])
    large = statistics.median(r["peak-rss-kib"] for r in results[10000][0])
    print("boto-glib peak RSS, 10,000 against 1,000 objects: %+.0f KiB (%.2fx)" % (large - small, large / small))


if __name__ == "__main__":
    main()
