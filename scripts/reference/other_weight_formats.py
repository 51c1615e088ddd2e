"""What PyTorch can make of an exported BioImage.IO model besides the state dict: TorchScript (trace and script) and
ONNX, each compared with the eager network on the model's own test input where a runtime is available.

    /usr/bin/python3 other_weight_formats.py MODEL.zip

Prints one JSON line. The numbers in the README's export section come from this script on the hippocampus model.
"""
import importlib.util
import io
import json
import os
import sys
import tempfile
import zipfile

import numpy as np
import torch
import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from check_bioimageio_export import preprocess  # noqa: E402


def first_line(error):
	return next((line.strip() for line in str(error).splitlines() if line.strip()), "")


def main():
	torch.set_num_threads(2)
	result = {"torch": torch.__version__}
	with tempfile.TemporaryDirectory() as folder:
		with zipfile.ZipFile(sys.argv[1]) as z:
			z.extractall(folder)
		with open(os.path.join(folder, "bioimageio.yaml"), encoding="utf-8") as f:
			rdf = yaml.safe_load(f)
		weights = rdf["weights"]["pytorch_state_dict"]
		arch = weights["architecture"]
		spec = importlib.util.spec_from_file_location("exported_architecture", os.path.join(folder, arch["source"]))
		module = importlib.util.module_from_spec(spec)
		spec.loader.exec_module(module)
		net = getattr(module, arch["callable"])(**arch["kwargs"])
		net.load_state_dict(torch.load(os.path.join(folder, weights["source"]), weights_only=True))
		net.eval()
		inp = rdf["inputs"][0]
		x = torch.from_numpy(preprocess(np.load(os.path.join(folder, inp["test_tensor"]["source"])), inp))
		with torch.no_grad():
			eager = net(x)
			for kind, make in (("trace", lambda: torch.jit.trace(net, x)), ("script", lambda: torch.jit.script(net))):
				try:
					result[f"torchscript_{kind}_max_abs_diff"] = float((make()(x) - eager).abs().max())
				except Exception as e:  # noqa: BLE001 - the failure is the finding
					result[f"torchscript_{kind}_error"] = f"{type(e).__name__}: {first_line(e)}"
		buffer = io.BytesIO()
		try:
			torch.onnx.export(net, x, buffer, opset_version=13)
			result["onnx_bytes"] = len(buffer.getvalue())
		except Exception as e:  # noqa: BLE001
			result["onnx_error"] = f"{type(e).__name__}: {first_line(e)}"
		try:
			import onnxruntime
			session = onnxruntime.InferenceSession(buffer.getvalue())
			out = session.run(None, {session.get_inputs()[0].name: x.numpy()})[0]
			result["onnx_max_abs_diff"] = float(np.abs(out - eager.numpy()).max())
		except ImportError:
			result["onnx_check"] = "onnxruntime not installed"
	print(json.dumps(result))


if __name__ == "__main__":
	main()
