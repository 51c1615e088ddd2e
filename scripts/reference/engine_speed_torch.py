"""Reference side of the engine-speed benchmark: the same UNet3D (unet3d_torch.py), patch, batch and thread count
in eager PyTorch. Times one training step (KL + squared Dice, backward, AdamW) and one sliding-window inference
(50% overlap, last window aligned to the end, windows in batches, uniform averaging, argmax), and prints JSON.

Called by org.mnseg.bench.EngineSpeedBenchmark so that both engines are measured in one run on the same machine.
"""
import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import torch
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).resolve().parent))
from unet3d_torch import UNet3D, train_step  # noqa: E402


def window_starts(size, patch, stride):
	if size <= patch:
		return [0]
	starts = list(range(0, size - patch + 1, stride))
	if starts[-1] != size - patch:
		starts.append(size - patch)
	return starts


def sliding_window(model, volume, patch, batch):
	"""volume: 1 x C x D x H x W, patch (D, H, W). Returns the argmax label volume."""
	_, _, D, H, W = volume.shape
	stride = [max(1, p // 2) for p in patch]
	windows = [(z, y, x) for z in window_starts(D, patch[0], stride[0]) for y in window_starts(H, patch[1], stride[1])
		for x in window_starts(W, patch[2], stride[2])]
	acc = None
	count = torch.zeros(1, 1, D, H, W)
	with torch.no_grad():
		for i in range(0, len(windows), batch):
			chunk = windows[i:i + batch]
			x = torch.cat([volume[:, :, z:z + patch[0], y:y + patch[1], x:x + patch[2]] for z, y, x in chunk])
			logits = model(x)
			if acc is None:
				acc = torch.zeros(1, logits.shape[1], D, H, W)
			for k, (z, y, x0) in enumerate(chunk):
				acc[:, :, z:z + patch[0], y:y + patch[1], x0:x0 + patch[2]] += logits[k:k + 1]
				count[:, :, z:z + patch[0], y:y + patch[1], x0:x0 + patch[2]] += 1
	return (acc / count).argmax(1)


def main():
	ap = argparse.ArgumentParser()
	ap.add_argument("--patch", type=int, nargs=3, required=True, metavar=("D", "H", "W"))
	ap.add_argument("--volume", type=int, nargs=3, required=True, metavar=("D", "H", "W"))
	ap.add_argument("--batch", type=int, default=2)
	ap.add_argument("--window-batch", type=int, default=8)
	ap.add_argument("--classes", type=int, default=3)
	ap.add_argument("--levels", type=int, default=4)
	ap.add_argument("--base", type=int, default=16)
	ap.add_argument("--threads", type=int, default=2)
	ap.add_argument("--warmup", type=int, default=2)
	ap.add_argument("--steps", type=int, default=5)
	ap.add_argument("--inference-repeats", type=int, default=2)
	args = ap.parse_args()
	torch.set_num_threads(args.threads)
	torch.set_num_interop_threads(1)
	torch.manual_seed(101)
	model = UNet3D(1, args.classes, args.levels, args.base)
	opt = torch.optim.AdamW(model.parameters(), lr=1e-4, weight_decay=0.01)
	x = torch.randn(args.batch, 1, *args.patch)
	labels = torch.randint(0, args.classes, (args.batch, *args.patch))
	target = F.one_hot(labels, args.classes).movedim(-1, 1).float()
	for _ in range(args.warmup):
		train_step(model, opt, x, target)
	times = []
	for _ in range(args.steps):
		t0 = time.perf_counter()
		train_step(model, opt, x, target)
		times.append(time.perf_counter() - t0)
	model.eval()
	volume = torch.randn(1, 1, *args.volume)
	sliding_window(model, volume, args.patch, args.window_batch)  # warm-up
	inf = []
	for _ in range(args.inference_repeats):
		t0 = time.perf_counter()
		sliding_window(model, volume, args.patch, args.window_batch)
		inf.append(time.perf_counter() - t0)
	print(json.dumps({"engine": "torch " + torch.__version__, "threads": args.threads, "train_step_s": statistics.median(times),
		"train_step_all_s": times, "inference_s": statistics.median(inf), "inference_all_s": inf}))


if __name__ == "__main__":
	main()
