# Shared by the training benchmarks (bench-accuracy, bench-seeds, bench-annotate-next, bench-partner2d, bench-budget);
# source it from the repository root.
#   train_run RUN WHAT MN_TRAIN_OPTIONS...
#       trains into RUN (`scripts/mn train --out RUN MN_TRAIN_OPTIONS...`) unless RUN/result.json is already there.
#       A run that left a checkpoint but no result was interrupted: it resumes (--resume) instead of starting over.
#       The log is RUN.log, appended to under a dated header, so the first part of a resumed run stays readable;
#       /usr/bin/time -v adds the process's peak memory at its end. WHAT names the run in the progress line.
#       Returns 1, after mn's last lines, when training fails.
train_run() {
	local run="$1" what="$2"
	shift 2
	[[ -f "$run/result.json" ]] && return 0
	local resume=()
	[[ -f "$run/checkpoint.mnckpt" ]] && resume=(--resume)
	mkdir -p "$(dirname "$run")"
	echo "$(date -u +%H:%M:%S) training $what -> $run.log"
	echo "== $(date -u +%FT%TZ) ${resume[*]:-start}" >> "$run.log"
	/usr/bin/time -v scripts/mn train --out "$run" "${resume[@]}" "$@" >> "$run.log" 2>&1 && return 0
	echo "  failed: see $run.log"
	sed '/Command being timed/,$d' "$run.log" | tail -n 3 # what mn said last, not time's statistics
	return 1
}

#   accuracy_result DATASET METHOD_AND_TAG LABELED_COUNT
#       prints where bench-accuracy keeps a run's result; bench-budget reads its rows from there.
accuracy_result() {
	echo "results/$1/$2-labeled$3-cpu.json"
}
