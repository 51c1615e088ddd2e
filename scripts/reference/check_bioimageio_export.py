"""Runs a BioImage.IO model exported by `mn export` the way a consumer does, with plain PyTorch, and compares the
result with the model's own test output.

Follows the description (bioimageio.yaml) rather than knowing the model: checks each file's sha256, imports the
architecture's source file, builds the callable with its kwargs, loads the state dict with
torch.load(..., weights_only=True), applies the input's preprocessing steps to the test input, runs the network,
applies the output's postprocessing and prints one JSON line per model with the largest absolute difference to the
test output. Exit code 1 when one exceeds --tolerance or anything does not match.

    /usr/bin/python3 check_bioimageio_export.py MODEL.zip [MODEL2.zip ...] [--tolerance 1e-4]

Needs torch, numpy and PyYAML (Debian: python3-torch, python3-yaml); not bioimageio.core.
"""
import argparse
import hashlib
import importlib.util
import json
import os
import sys
import tempfile
import zipfile

import numpy as np
import torch
import yaml


def sha256(path):
	with open(path, "rb") as f:
		return hashlib.sha256(f.read()).hexdigest()


def checked(folder, file_descr):
	path = os.path.join(folder, file_descr["source"])
	if sha256(path) != file_descr["sha256"]:
		raise SystemExit(f"sha256 of {file_descr['source']} does not match the description")
	return path


def reduce_dims(tensor_descr, axis_ids):
	ids = [a.get("id", a["type"]) for a in tensor_descr["axes"]]
	return tuple(ids.index(a) for a in axis_ids)


def preprocess(x, tensor_descr):
	for step in tensor_descr.get("preprocessing", []):
		kind, kw = step["id"], step.get("kwargs", {})
		if kind == "ensure_dtype":
			x = x.astype(kw["dtype"])
		elif kind == "zero_mean_unit_variance":
			dims = reduce_dims(tensor_descr, kw["axes"]) if kw.get("axes") else None
			mean = x.mean(axis=dims, keepdims=True)
			std = x.std(axis=dims, keepdims=True)
			x = (x - mean) / (std + kw.get("eps", 1e-6))
		elif kind == "clip":
			x = np.clip(x, kw["min"], kw["max"])
		elif kind == "scale_linear":
			x = x * kw.get("gain", 1.0) + kw.get("offset", 0.0)
		else:
			raise SystemExit(f"preprocessing '{kind}' is not implemented by this checker")
	return x.astype(np.float32)


def postprocess(y, tensor_descr):
	for step in tensor_descr.get("postprocessing", []):
		kind, kw = step["id"], step.get("kwargs", {})
		if kind == "softmax":
			dim = reduce_dims(tensor_descr, [kw.get("axis", "channel")])[0]
			y = torch.softmax(y, dim=dim)
		elif kind != "ensure_dtype":
			raise SystemExit(f"postprocessing '{kind}' is not implemented by this checker")
	return y


def check(model):
	"""The largest absolute difference between PyTorch's output and the model's test output, and facts for the log."""
	with tempfile.TemporaryDirectory() as folder:
		with zipfile.ZipFile(model) as z:
			z.extractall(folder)
		with open(os.path.join(folder, "bioimageio.yaml"), encoding="utf-8") as f:
			rdf = yaml.safe_load(f)
		weights = rdf["weights"]["pytorch_state_dict"]
		arch = weights["architecture"]
		spec = importlib.util.spec_from_file_location("exported_architecture", checked(folder, arch))
		module = importlib.util.module_from_spec(spec)
		spec.loader.exec_module(module)
		net = getattr(module, arch["callable"])(**arch.get("kwargs", {}))
		state = torch.load(checked(folder, weights), map_location="cpu", weights_only=True)
		net.load_state_dict(state)
		net.eval()
		(inp,), (out,) = rdf["inputs"], rdf["outputs"]
		x = preprocess(np.load(checked(folder, inp["test_tensor"])), inp)
		expected = np.load(checked(folder, out["test_tensor"]))
		with torch.no_grad():
			y = postprocess(net(torch.from_numpy(x)), out).numpy()
		if y.shape != expected.shape:
			raise SystemExit(f"{model}: output shape {y.shape} differs from the test output's {expected.shape}")
		return float(np.abs(y - expected).max()), {"shape": list(y.shape), "kwargs": arch.get("kwargs", {}), "parameters": len(state)}


def main():
	ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
	ap.add_argument("models", nargs="+")
	ap.add_argument("--tolerance", type=float, default=1e-4)
	ap.add_argument("--threads", type=int, default=2)
	args = ap.parse_args()
	torch.set_num_threads(args.threads)
	worst = 0.0
	for model in args.models:
		diff, facts = check(model)
		worst = max(worst, diff)
		print(json.dumps({"model": model, "max_abs_diff": diff, **facts, "torch": torch.__version__}), flush=True)
	sys.exit(0 if worst <= args.tolerance else 1)


if __name__ == "__main__":
	main()
