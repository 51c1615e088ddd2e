"""PyTorch twin of org.mnseg.nn.UNet3D (same structure, same parameter names).

Used as the reference for the Java fixtures (make_nn_fixtures.py), by speed benchmarks that time one
training step of the same network in eager PyTorch, and as the architecture of BioImage.IO exports (`mn export`
packs this file into the model zip; the build copies it into the jar).

    from unet3d_torch import UNet3D, kl_div_loss, squared_dice_loss, train_step
    net = UNet3D(in_channels=1, num_classes=3, levels=5, base_filters=32)

Run as a script to time a few training steps:  python3 unet3d_torch.py --size 64 64 32 --steps 3
"""
import argparse
import time
import warnings

import torch
import torch.nn as nn
import torch.nn.functional as F


def conv_in_relu(conv, x):
	"""3x3x3 convolution (padding 1), instance norm without affine (eps 1e-5), ReLU."""
	return F.relu(F.instance_norm(conv(x), eps=1e-5))


class Block(nn.Module):
	"""Two conv -> InstanceNorm -> ReLU units."""

	def __init__(self, cin, cout):
		super().__init__()
		self.conv1 = nn.Conv3d(cin, cout, 3, padding=1)
		self.conv2 = nn.Conv3d(cout, cout, 3, padding=1)

	def forward(self, x):
		return conv_in_relu(self.conv2, conv_in_relu(self.conv1, x))


class Up(nn.Module):
	"""Trilinear 2x upsampling (align_corners False), then a conv -> IN -> ReLU that halves the channels."""

	def __init__(self, cin, cout):
		super().__init__()
		self.conv = nn.Conv3d(cin, cout, 3, padding=1)

	def forward(self, x):
		x = F.interpolate(x, scale_factor=2, mode="trilinear", align_corners=False)
		return conv_in_relu(self.conv, x)


class UNet3D(nn.Module):
	"""enc.i (max-pool first for i > 0), up.i + dec.i for levels i = levels-2 .. 0, out: conv to classes.
	Decoder input is cat([skip, upsampled], dim=1)."""

	def __init__(self, in_channels=1, num_classes=2, levels=5, base_filters=32):
		super().__init__()
		self.levels = levels
		f = [base_filters * 2 ** i for i in range(levels)]
		self.enc = nn.ModuleList([Block(in_channels if i == 0 else f[i - 1], f[i]) for i in range(levels)])
		self.up = nn.ModuleList([Up(f[i + 1], f[i]) for i in range(levels - 1)])
		self.dec = nn.ModuleList([Block(2 * f[i], f[i]) for i in range(levels - 1)])
		self.out = nn.Conv3d(f[0], num_classes, 3, padding=1)

	def forward(self, x):
		skips = []
		for i, block in enumerate(self.enc):
			if i > 0:
				x = F.max_pool3d(x, 2)
			x = block(x)
			skips.append(x)
		x = skips[-1]
		for i in reversed(range(self.levels - 1)):
			x = self.dec[i](torch.cat([skips[i], self.up[i](x)], dim=1))
		return self.out(x)


def kl_div_loss(logits, target):
	"""The reference code's 'CE': KL(target || softmax(logits)), mean over every element."""
	with warnings.catch_warnings():  # 'mean' (not 'batchmean') is what the reference code uses, on purpose
		warnings.simplefilter("ignore", UserWarning)
		return F.kl_div(F.log_softmax(logits, dim=1), target, reduction="mean")


def squared_dice_loss(logits, target):
	"""V-Net squared Dice on softmax, per channel pooled over the batch, background included, no smoothing."""
	p = F.softmax(logits, dim=1)
	dims = (0,) + tuple(range(2, p.dim()))
	inter = (p * target).sum(dims)
	denom = (p * p).sum(dims) + (target * target).sum(dims)
	return 1 - (2 * inter / denom.clamp(min=1e-6)).mean()


def cross_entropy_loss(logits, target):
	"""Mean over voxels of -sum_c target * log_softmax(logits)."""
	return -(target * F.log_softmax(logits, dim=1)).sum(1).mean()


def train_step(model, optimizer, x, target):
	"""One labeled step as the Java trainer does it: KL + squared Dice, backward, AdamW step."""
	optimizer.zero_grad()
	logits = model(x)
	loss = kl_div_loss(logits, target) + squared_dice_loss(logits, target)
	loss.backward()
	optimizer.step()
	return loss.item()


def main():
	ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
	ap.add_argument("--size", type=int, nargs=3, default=[64, 64, 32], metavar=("D", "H", "W"))
	ap.add_argument("--batch", type=int, default=1)
	ap.add_argument("--classes", type=int, default=3)
	ap.add_argument("--levels", type=int, default=5)
	ap.add_argument("--base", type=int, default=32)
	ap.add_argument("--steps", type=int, default=3)
	ap.add_argument("--threads", type=int, default=1)
	args = ap.parse_args()
	torch.set_num_threads(args.threads)
	torch.manual_seed(101)
	model = UNet3D(1, args.classes, args.levels, args.base)
	opt = torch.optim.AdamW(model.parameters(), lr=1e-4, weight_decay=0.01)
	x = torch.randn(args.batch, 1, *args.size)
	labels = torch.randint(0, args.classes, (args.batch, *args.size))
	target = F.one_hot(labels, args.classes).movedim(-1, 1).float()
	train_step(model, opt, x, target)  # warm-up
	t0 = time.perf_counter()
	for _ in range(args.steps):
		loss = train_step(model, opt, x, target)
	dt = (time.perf_counter() - t0) / args.steps
	print(f"torch {torch.__version__}, {args.threads} thread(s): {dt:.3f} s per train step, loss {loss:.4f}")


if __name__ == "__main__":
	main()
