# The headline M&N configuration of one data set and labeled count (issue 13: the one chosen on held-out training
# volumes, results/validation.md), as listed in scripts/lib/headline-rows.tsv. Used by bench-seeds and bench-budget;
# source it from the repository root.
#   headline_configuration DATASET LABELED
#       prints the tag the rows carry and the options of the mn and mn-control rows, tab-separated; fails, saying what
#       to set instead, where the file lists no configuration for them.
headline_configuration() {
	local found
	found="$(awk -F'\t' -v ds="$1" -v n="$2" '$1 == ds && $2 == n { print $3 "\t" $4 }' scripts/lib/headline-rows.tsv)"
	[[ -n "$found" ]] || { echo "${0##*/}: no headline configuration for $1 with $2 labeled in scripts/lib/headline-rows.tsv; set MN_EXTRA and TAG" >&2; return 1; }
	echo "$found"
}

#   headline_options DATASET LABELED
#       sets tag and mn_extra: from the environment's TAG and MN_EXTRA where either is set, else from
#       headline_configuration; returns 0 when they came from the file (the headline rows themselves), 1 when from the
#       environment, 2 when the file lists none.
headline_options() {
	if [[ -n "${MN_EXTRA+set}${TAG+set}" ]]; then
		mn_extra="${MN_EXTRA:-}" tag="${TAG:-}"
		return 1
	fi
	local found
	found="$(headline_configuration "$1" "$2")" || return 2
	IFS=$'\t' read -r tag mn_extra <<< "$found"
}

#   seed_result DATASET ROW LABELED SEED
#       prints where bench-seeds keeps that run's result, without the extension (.json, .metrics.json); bench-budget
#       reads seed 101's from there.
seed_result() {
	echo "results/seeds/$1/$2-labeled$3-seed$4-cpu"
}
