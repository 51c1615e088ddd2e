"""Writes the reference values that the org.mnseg.nn tests compare against (torch, CPU, float32).

Each group is two files in src/test/resources/fixtures/nn/: <group>.json (for every tensor its shape and its
offset, in floats, into the raw file; plus scalar values) and <group>.f32 (little-endian float32, C order).

    /usr/bin/python3 scripts/reference/make_nn_fixtures.py
"""
import json
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import unet3d_torch as ref  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "src", "test", "resources", "fixtures", "nn")


class Group:
	def __init__(self, name):
		self.name = name
		self.tensors = {}
		self.scalars = {}

	def put(self, key, t):
		self.tensors[key] = t.detach().to(torch.float32).clone().contiguous().numpy()  # a copy: params change in place

	def scalar(self, key, v):
		self.scalars[key] = float(v)

	def write(self):
		index, chunks, offset = {}, [], 0
		for key, a in self.tensors.items():
			index[key] = {"shape": list(a.shape), "offset": offset}
			chunks.append(a.astype("<f4").ravel())
			offset += a.size
		data = np.concatenate(chunks) if chunks else np.zeros(0, "<f4")
		data.tofile(os.path.join(OUT, self.name + ".f32"))
		with open(os.path.join(OUT, self.name + ".json"), "w") as f:
			json.dump({"tensors": index, "scalars": self.scalars, "torch": torch.__version__}, f, indent=1)


def ops():
	g = Group("ops")
	x = torch.randn(2, 3, 5, 4, 3) * 3 + 1
	g.put("instance_norm.in", x)
	g.put("instance_norm.out", F.instance_norm(x, eps=1e-5))
	for tag, shape in (("even", (1, 2, 4, 4, 4)), ("odd", (1, 2, 3, 5, 7))):
		u = torch.randn(*shape)
		g.put("trilinear.%s.in" % tag, u)
		g.put("trilinear.%s.out" % tag, F.interpolate(u, scale_factor=2, mode="trilinear", align_corners=False))
	b = torch.randn(2, 2, 3, 5)
	g.put("bilinear.in", b)
	g.put("bilinear.out", F.interpolate(b, scale_factor=2, mode="bilinear", align_corners=False))
	p = torch.randn(1, 2, 4, 6, 5)
	g.put("maxpool.in", p)
	g.put("maxpool.out", F.max_pool3d(p, 2))
	c = torch.randn(1, 2, 5, 4, 3)
	w = torch.randn(3, 2, 3, 3, 3)
	bias = torch.randn(3)
	g.put("conv3d.in", c)
	g.put("conv3d.weight", w)
	g.put("conv3d.bias", bias)
	g.put("conv3d.out", F.conv3d(c, w, bias, padding=1))
	t = torch.randn(2, 3, 2, 3, 4)
	tw = torch.randn(3, 2, 2, 2, 2)
	tb = torch.randn(2)
	g.put("convtranspose.in", t)
	g.put("convtranspose.weight", tw)
	g.put("convtranspose.bias", tb)
	g.put("convtranspose.out", F.conv_transpose3d(t, tw, tb, stride=2))
	g.write()


def losses():
	g = Group("losses")
	logits = torch.randn(2, 3, 4, 5, 3, requires_grad=True)
	soft = F.softmax(torch.randn(2, 3, 4, 5, 3) * 2, dim=1)
	soft[0, :, 0, 0, 0] = torch.tensor([1.0, 0.0, 0.0])  # exact zeros exercise 0 * log 0 = 0
	labels = torch.randint(0, 3, (2, 4, 5, 3))
	hard = F.one_hot(labels, 3).movedim(-1, 1).float()
	g.put("logits", logits)
	g.put("soft", soft)
	g.put("labels", labels.float())
	g.put("onehot", hard)
	for tag, target in (("soft", soft), ("hard", hard)):
		g.scalar("kl.%s" % tag, ref.kl_div_loss(logits, target))
		g.scalar("dice.%s" % tag, ref.squared_dice_loss(logits, target))
		g.scalar("ce.%s" % tag, ref.cross_entropy_loss(logits, target))
	loss = ref.kl_div_loss(logits, soft) + ref.squared_dice_loss(logits, soft)
	loss.backward()
	g.put("grad.kl_plus_dice.soft", logits.grad)
	g.write()


def unet():
	g = Group("unet3d")
	net = ref.UNet3D(in_channels=1, num_classes=3, levels=3, base_filters=4)
	x = torch.randn(1, 1, 8, 8, 8)
	target = F.softmax(torch.randn(1, 3, 8, 8, 8) * 2, dim=1)
	g.put("input", x)
	g.put("target", target)
	for name, p in net.named_parameters():
		g.put("param." + name, p)
	logits = net(x)
	g.put("logits", logits)
	loss = ref.kl_div_loss(logits, target) + ref.squared_dice_loss(logits, target)
	g.scalar("loss", loss)
	loss.backward()
	for name, p in net.named_parameters():
		g.put("grad." + name, p.grad)
	g.write()


def adamw():
	"""Two AdamW steps on given gradients (injected as d/dp sum(p * g)); 'unused' never gets a gradient."""
	g = Group("adamw")
	lr, wd = 0.01, 0.01
	a = torch.randn(3, 4, requires_grad=True)
	b = torch.randn(5, requires_grad=True)
	unused = torch.randn(2, requires_grad=True)
	g.put("a.0", a)
	g.put("b.0", b)
	g.put("unused.0", unused)
	opt = torch.optim.AdamW([a, b, unused], lr=lr, weight_decay=wd, betas=(0.9, 0.999), eps=1e-8)
	for step in (1, 2):
		ga, gb = torch.randn(3, 4), torch.randn(5) * 1e-3
		g.put("a.grad%d" % step, ga)
		g.put("b.grad%d" % step, gb)
		opt.zero_grad(set_to_none=False)
		((a * ga).sum() + (b * gb).sum()).backward()
		opt.step()
		g.put("a.%d" % step, a)
		g.put("b.%d" % step, b)
	g.put("a.exp_avg", opt.state[a]["exp_avg"])
	g.put("a.exp_avg_sq", opt.state[a]["exp_avg_sq"])
	g.scalar("lr", lr)
	g.scalar("weight_decay", wd)
	g.write()


def main():
	torch.set_num_threads(1)
	torch.manual_seed(101)
	os.makedirs(OUT, exist_ok=True)
	ops()
	losses()
	unet()
	adamw()
	total = sum(os.path.getsize(os.path.join(OUT, f)) for f in os.listdir(OUT))
	print("wrote %s (%d bytes)" % (os.path.normpath(OUT), total))


if __name__ == "__main__":
	main()
