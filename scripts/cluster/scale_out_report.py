#!/usr/bin/env python3
"""Writes results/scale-out.json and .md from the timings scripts/bench-scale-out measured (called by that script)."""
import argparse
import gzip
import json
import os
import re
import subprocess
from datetime import datetime, timezone

p = argparse.ArgumentParser()
for name in ["work", "model", "load-start", "load-end", "out"]:
    p.add_argument("--" + name, required=True)
for name in ["volumes", "cores", "others-start", "others-end"]:
    p.add_argument("--" + name, type=int, required=True)
for name in ["t-engine", "t-one", "t-single", "t-slurm", "t-slurm-noop", "t-spark", "t-spark-noop"]:
    p.add_argument("--" + name, type=float, required=True)
a = p.parse_args()
work = a.work


def labels(folder):
    """Decompressed bytes of every output, by name (gzip headers may differ, voxels must not)."""
    out = {}
    for f in sorted(os.listdir(folder)):
        if f.endswith(".nii.gz"):
            with gzip.open(os.path.join(folder, f)) as g:
                out[f] = g.read()
    return out


single, slurm, spark = (labels(os.path.join(work, d)) for d in ("out-single", "out-slurm", "out-spark"))
identical = len(single) == a.volumes and single == slurm == spark


def task_times(jobs_file):
    """(start, end) in seconds of each array task from `scontrol -o show job` (one-second resolution)."""
    times = []
    for line in open(jobs_file):
        s, e = re.search(r"StartTime=(\S+)", line), re.search(r"EndTime=(\S+)", line)
        if s and e:
            t = [datetime.fromisoformat(x.group(1)).timestamp() for x in (s, e)]
            times.append(t[1] - t[0])
    return times


slurm_tasks = task_times(os.path.join(work, "logs", "slurm-jobs.txt"))
noop_tasks = task_times(os.path.join(work, "logs", "slurm-noop-jobs.txt"))


def mean_size(folder):
    files = [os.path.join(folder, f) for f in os.listdir(folder)]
    return sum(os.path.getsize(os.path.realpath(f)) for f in files) / len(files)


bytes_in, bytes_out = mean_size(os.path.join(work, "cohort")), mean_size(os.path.join(work, "out-single"))
V = a.volumes
# per volume at all cores: the single process minus its one-volume start-up run
v_all = (a.t_single - a.t_one) / (V - 1)
# per volume at 1 thread: the array's task time, less each task's start-up and bundle load (t_one less one volume)
v_one = (sum(slurm_tasks) - len(slurm_tasks) * a.t_one) / (V - len(slurm_tasks)) if slurm_tasks else None
bundle_load = a.t_one - a.t_engine - (v_one or v_all)
noop_task = sum(noop_tasks) / len(noop_tasks) if noop_tasks else None
commit = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "unknown")

vpm = lambda t: round(V / t * 60, 1)
result = {
    "benchmark": "scale-out", "date": datetime.now(timezone.utc).isoformat(timespec="seconds"), "commit": commit, "cpu": cpu,
    "cores": a.cores, "volumes": V, "data": "hippocampus test split, repeated", "model": a.model,
    "dnnl_max_cpu_isa": os.environ.get("DNNL_MAX_CPU_ISA"),
    "runs": {
        "single_process": {"threads": a.cores, "seconds": a.t_single, "volumes_per_minute": vpm(a.t_single)},
        "slurm_array": {"tasks": 4, "threads_per_task": 1, "concurrent_tasks": a.cores, "seconds": a.t_slurm,
                        "volumes_per_minute": vpm(a.t_slurm), "task_seconds": slurm_tasks},
        "spark_local2": {"slots": 2, "threads_per_task": 1, "seconds": a.t_spark, "volumes_per_minute": vpm(a.t_spark)},
    },
    "outputs_identical": identical,
    "costs": {
        "jvm_and_engine_start_s": a.t_engine, "one_volume_run_s": a.t_one, "bundle_load_s": round(bundle_load, 2),
        "per_volume_all_cores_s": round(v_all, 3), "per_volume_one_thread_s": None if v_one is None else round(v_one, 3),
        "slurm_rerun_all_done_s": a.t_slurm_noop, "slurm_rerun_task_s": noop_tasks,
        "spark_rerun_all_done_s": a.t_spark_noop,
        "input_bytes_per_volume": round(bytes_in), "output_bytes_per_volume": round(bytes_out),
    },
    "load": {"loadavg_start": a.load_start, "loadavg_end": a.load_end, "other_mn_processes_start": a.others_start,
             "other_mn_processes_end": a.others_end},
}
json.dump(result, open(a.out + ".json", "w"), indent=2)

# on paper: 100 nodes of this machine's kind, a cohort of 100,000 volumes like these
N, C, W = 100, a.cores, 100_000
v1 = v_one or v_all * a.cores
tasks = N * C
per_task = W / tasks
slurm_total = a.t_engine + bundle_load + per_task * v1 + (noop_task or 0)
spark_total = a.t_spark_noop + a.t_engine + bundle_load + per_task * v1
io_rate = tasks / v1 * (bytes_in + bytes_out) / 1e6
r = result["runs"]
md = f"""# Scale-out throughput

`scripts/bench-scale-out` on {V} hippocampus volumes (the test split repeated), {result['date']}, commit `{commit[:10]}`,
{cpu}, {a.cores} cores. Model: the `cpu` preset's 3D UNet (4 levels, 16 filters, patch 32 x 48 x 32). Load average
{a.load_start} at the start and {a.load_end} at the end; {a.others_start} and {a.others_end} other `org.mnseg` processes
(other benchmarks or tests) were running: the machine was shared, so these times are slower than on an idle machine.

| how | parallelism | time (s) | volumes per minute |
|---|---|---|---|
| `mn segment`, one process | {a.cores} threads | {a.t_single:.1f} | {r['single_process']['volumes_per_minute']} |
| SLURM array, `segment-array.sbatch` | 4 tasks x 1 thread ({a.cores} at a time) | {a.t_slurm:.1f} | {r['slurm_array']['volumes_per_minute']} |
| Spark job, `local[2]` | 2 slots x 1 thread | {a.t_spark:.1f} | {r['spark_local2']['volumes_per_minute']} |

Outputs identical voxel for voxel across the three: **{identical}**.

What a task pays besides segmenting (same run):

| cost | seconds |
|---|---|
| JVM and PyTorch engine start (`mn --version`) | {a.t_engine:.2f} |
| bundle load and first-volume set-up (one-volume run less engine start and one volume) | {bundle_load:.2f} |
| one volume, 1 thread (array task times less per-task start-up) | {'n/a' if v_one is None else f'{v_one:.3f}'} |
| one volume, {a.cores} threads (one process) | {v_all:.3f} |
| SLURM re-run with every volume done (4 tasks: start, header scan of {V} files, no model) | {a.t_slurm_noop:.1f} |
| Spark re-run with every volume done (context start, header scan, no model) | {a.t_spark_noop:.1f} |

I/O per volume: {bytes_in / 1e3:.0f} kB read (gzipped NIfTI), {bytes_out / 1e3:.1f} kB written.

## On paper: 100 nodes

From these numbers, for {W:,} volumes like these on {N} nodes of {C} cores ({tasks} single-thread workers):
- **SLURM array** of {tasks} tasks: each task starts a JVM and the engine ({a.t_engine:.1f} s), reads every volume's header to
  compute the plan (the re-run above: {(noop_task or 0):.1f} s per task for {V} files; it grows with the cohort, and a
  shared file system serves {tasks} such scans at once), loads the bundle ({bundle_load:.1f} s), then segments
  {per_task:.0f} volumes ({per_task * v1 / 60:.1f} min at {v1:.2f} s each): about {slurm_total / 60:.1f} min in all,
  start-up under {100 * (a.t_engine + bundle_load) / slurm_total:.1f}% of it. Many small tasks instead (one per volume) would pay
  the {a.t_engine + bundle_load:.1f} s start for every {v1:.2f} s volume: keep tasks at hundreds of volumes each.
- **Spark** ({N} executors of {C} cores): one driver start and header scan ({a.t_spark_noop:.1f} s here, once), one
  engine start and bundle load per executor, then the same per-volume work: about {spark_total / 60:.1f} min. The scan
  runs once instead of once per task, and a lost executor's partitions are re-run automatically (done volumes skipped).
- **One process** does not scale past one machine: {W:,} volumes at {v_all:.2f} s take {W * v_all / 3600:.1f} h.
- **I/O**: {tasks} workers at {v1:.2f} s per volume read and write {io_rate:.1f} MB/s together ({(bytes_in + bytes_out) / 1e3:.0f} kB per volume),
  well within a cluster file system; with volumes 100 times larger (whole-brain MRI, CT) compute and I/O grow together.
"""
open(a.out + ".md", "w").write(md)
print(md)
