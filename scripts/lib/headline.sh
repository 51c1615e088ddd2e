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
