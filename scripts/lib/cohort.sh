# Shared by the cohort benchmarks (bench-scale-out, bench-soak); source it from the repository root.
#   make_cohort DATA FOLDER N   links N volumes into FOLDER: the data set's test split, repeated, each link a name of its own
#   small_model DATA WORK CORES prints a bundle to segment with: MODEL when set, else the cpu preset's labeled-only UNet
#                               trained for 2 epochs on 4 training cases (inference cost depends on the network and patch
#                               size, not on the weights); its files go to WORK/train and WORK/model, its log to WORK/train.log

make_cohort() {
	local data="$1" folder="$2" n="$3" i id
	local abs
	abs="$(cd "$data" && pwd)"
	mapfile -t ids < <(python3 -c "import json; print('\n'.join(json.load(open('$data/dataset.json'))['split']['test']))")
	mkdir -p "$folder"
	for ((i = 0; i < n; i++)); do
		id="${ids[$((i % ${#ids[@]}))]}"
		ln -s "$abs/imagesTr/$id.nii.gz" "$folder/$(printf '%s_r%02d' "$id" $((i / ${#ids[@]}))).nii.gz"
	done
}

small_model() {
	local data="$1" work="$2" cores="$3" id abs
	if [[ -n "${MODEL:-}" ]]; then
		echo "$MODEL"
		return
	fi
	abs="$(cd "$data" && pwd)"
	mkdir -p "$work/train/images" "$work/train/labels"
	for id in $(python3 -c "import json; print('\n'.join(json.load(open('$data/dataset.json'))['split']['train'][:4]))"); do
		ln -s "$abs/imagesTr/$id.nii.gz" "$work/train/images/"
		ln -s "$abs/labelsTr/$id.nii.gz" "$work/train/labels/"
	done
	scripts/mn train --dataset "$work/train" --labeled 4 --method labeled-only --preset cpu --epochs 2 --iterations-per-epoch 2 \
		--out "$work/model" --threads "$cores" >"$work/train.log" 2>&1 || { cat "$work/train.log" >&2; return 1; }
	echo "$work/model/model.mnmodel"
}
