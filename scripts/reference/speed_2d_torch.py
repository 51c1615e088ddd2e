"""Reference side of the 2-D speed benchmark. It builds the PyTorch twin of one of the project's 2-D segmenters
(segmenters2d_torch.py) and times two things on a batch of slices with the same threads as the project:
- a forward pass in evaluation mode without gradients;
- one training step (KL + squared Dice as in unet3d_torch.train_step, then backward and AdamW with lr 1e-4 and
  weight decay 0.01);
- the AdamW update alone (the gradients of the last step left in place), the optimiser's share of a step.
Each time is the median of the repeats after the warm-up. Prints one JSON line.

Called by org.mnseg.bench.Speed2dBenchmark, so that both engines are measured in one run on the same machine.
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
from segmenters2d_torch import build  # noqa: E402
from unet3d_torch import train_step  # noqa: E402


def timed(fn, warmup, repeats):
	for _ in range(warmup):
		fn()
	times = []
	for _ in range(repeats):
		t0 = time.perf_counter()
		fn()
		times.append(time.perf_counter() - t0)
	return times


def main():
	ap = argparse.ArgumentParser()
	ap.add_argument("--network", required=True)
	ap.add_argument("--batch", type=int, required=True)
	ap.add_argument("--size", type=int, nargs=2, required=True, metavar=("H", "W"))
	ap.add_argument("--classes", type=int, default=3)
	ap.add_argument("--threads", type=int, default=2)
	ap.add_argument("--warmup", type=int, default=2)
	ap.add_argument("--repeats", type=int, default=5)
	ap.add_argument("--models", default="../shared/models", help="folder with the DeepLabV3+ graph and weights")
	args = ap.parse_args()
	torch.set_num_threads(args.threads)
	torch.set_num_interop_threads(1)
	torch.manual_seed(101)
	model = build(args.network, args.classes, args.models)
	trainable = [p for p in model.parameters() if p.requires_grad]
	opt = torch.optim.AdamW(trainable, lr=1e-4, weight_decay=0.01)
	x = torch.randn(args.batch, 1, *args.size)
	labels = torch.randint(0, args.classes, (args.batch, *args.size))
	target = F.one_hot(labels, args.classes).movedim(-1, 1).float()

	model.eval()

	def forward():
		with torch.no_grad():
			model(x)

	forward_times = timed(forward, args.warmup, args.repeats)
	model.train()
	train_times = timed(lambda: train_step(model, opt, x, target), args.warmup, args.repeats)
	optimizer_times = timed(opt.step, args.warmup, args.repeats)
	print(json.dumps({"engine": "torch " + torch.__version__, "threads": args.threads, "network": args.network,
		"parameters": sum(p.numel() for p in trainable), "forward_s": statistics.median(forward_times),
		"forward_all_s": forward_times, "train_step_s": statistics.median(train_times), "train_step_all_s": train_times,
		"optimizer_step_s": statistics.median(optimizer_times), "optimizer_step_all_s": optimizer_times}))


if __name__ == "__main__":
	main()
