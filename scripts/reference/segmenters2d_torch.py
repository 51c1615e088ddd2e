"""PyTorch twins of this project's 2-D segmenters (org.mnseg.nn2d), with the same structure and the same M&N head,
for the 2-D speed benchmark (speed_2d_torch.py) and as a check that the structure is right.

- StrideHead: M&N's head. The features at stride s are concatenated with the input sampled every s pixels, then a
  ConvTranspose2d(kernel s, stride s) maps them to class logits at the input's size.
- GraphSegmenter: a network given as an operator graph (shared/models/<name>.graph.json, the TFLite graph, with the
  weights in PyTorch layout in the .safetensors beside it). DeepLabV3+ MobileNetV2 ADE20K is one. The classifier is
  dropped, and the features it read (stride 4) go to the head, as in org.mnseg.nn2d.mobilenet.TfliteSegmenter.
- ImageNetUNet: the default partner (MobileNetV2UNet): the ImageNet MobileNetV2 graph as encoder, a UNet decoder and
  the head at stride 2, optionally on slices enlarged by slice_zoom. Its encoder is checked through the original
  classifier's probabilities on the golden ImageNet image.
- SegFormerSegmenter: Hugging Face's SegformerForSemanticSegmentation encoder and all-MLP decoder. The module names
  are HF's state_dict keys. The HF classifier is replaced by the head, as in org.mnseg.nn2d.segformer.SegFormer.
  Training mode has drop path 0.1 and classifier dropout 0.1, and the decoder BatchNorm uses batch statistics.

A 1-channel slice is repeated to 3 channels inside the network and is not scaled (the reference code's default).

    python3 segmenters2d_torch.py --check [--models DIR]

compares the twins' pretrained outputs with the golden files in DIR (default ../shared/models from the repository
root) and prints one JSON line.
"""
import argparse
import json
import math
import struct
import sys
from pathlib import Path

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

DEEPLABV3PLUS_GRAPH = "deeplabv3plus_mnv2_ade20k32.graph.json"
IMAGENET_GRAPH = "mobilenet_v2_1.0_224_imagenet.graph.json"
SEGFORMER_SIZES = {
	# hidden sizes, depths, decoder size. Every preset has heads [1, 2, 5, 8], sr [8, 4, 2, 1], patch [7, 3, 3, 3],
	# strides [4, 2, 2, 2] and mlp ratio 4.
	"b0": ([32, 64, 160, 256], [2, 2, 2, 2], 256),
	"b1": ([64, 128, 320, 512], [2, 2, 2, 2], 256),
	"b2": ([64, 128, 320, 512], [3, 4, 6, 3], 768),
	"b3": ([64, 128, 320, 512], [3, 4, 18, 3], 768),
	"b4": ([64, 128, 320, 512], [3, 8, 27, 3], 768),
	"b5": ([64, 128, 320, 512], [3, 6, 40, 3], 768),
}


def read_safetensors(path):
	"""{name: tensor} from a .safetensors file (F32 and I64 only, which is all the shared models use)."""
	kinds = {"F32": np.float32, "I64": np.int64}
	with open(path, "rb") as f:
		n = struct.unpack("<Q", f.read(8))[0]
		header = json.loads(f.read(n))
		data = f.read()
	out = {}
	for name, info in header.items():
		if name == "__metadata__":
			continue
		start, end = info["data_offsets"]
		array = np.frombuffer(data[start:end], dtype=kinds[info["dtype"]]).reshape(info["shape"])
		out[name] = torch.from_numpy(array.copy())
	return out


class StrideHead(nn.Module):
	"""cat(features, input[:, :, ::s, ::s]) -> ConvTranspose2d(k=s, stride=s) to class logits."""

	def __init__(self, feature_channels, input_channels, num_classes, stride):
		super().__init__()
		self.stride = stride
		self.up = nn.ConvTranspose2d(feature_channels + input_channels, num_classes, stride, stride=stride)

	def forward(self, features, image):
		s = self.stride
		return self.up(torch.cat([features, image[:, :, ::s, ::s]], dim=1))


# ---- networks given as a TFLite operator graph --------------------------------------------------------------------


def same_padding(size, kernel, stride, dilation):
	"""TensorFlow SAME padding along one axis as (before, after); any odd excess goes after the data."""
	out = -(-size // stride)
	total = max((out - 1) * stride + (kernel - 1) * dilation + 1 - size, 0)
	return total // 2, total - total // 2


def resize_matrix(n_in, n_out):
	"""TensorFlow's legacy bilinear resize (align_corners=False, half_pixel_centers=False: src = dst * in / out) as
	an n_out x n_in matrix. PyTorch has no such mode, so the twin resizes with matrices, as the project does."""
	r = torch.zeros(n_out, n_in)
	for o in range(n_out):
		src = o * n_in / n_out
		i0 = min(int(math.floor(src)), n_in - 1)
		i1 = min(i0 + 1, n_in - 1)
		frac = src - i0
		r[o, i0] += 1 - frac
		r[o, i1] += frac
	return r


class GraphConv(nn.Module):
	"""A CONV_2D or DEPTHWISE_CONV_2D with TF padding and a fused activation."""

	def __init__(self, op, weight_shape):
		super().__init__()
		self.weight = nn.Parameter(torch.empty(weight_shape))
		self.bias = nn.Parameter(torch.zeros(weight_shape[0]))
		nn.init.kaiming_uniform_(self.weight, a=math.sqrt(5))
		self.stride = op["stride"]
		self.dilation = op["dilation"]
		self.same = op["padding"] == "SAME"
		self.depthwise = op["op"] == "DEPTHWISE_CONV_2D"
		self.act = op["act"]

	def forward(self, x):
		k_h, k_w = self.weight.shape[2:]
		groups = x.shape[1] if self.depthwise else 1
		ph = same_padding(x.shape[2], k_h, self.stride, self.dilation) if self.same else (0, 0)
		pw = same_padding(x.shape[3], k_w, self.stride, self.dilation) if self.same else (0, 0)
		if ph[0] == ph[1] and pw[0] == pw[1]:
			y = F.conv2d(x, self.weight, self.bias, self.stride, (ph[0], pw[0]), self.dilation, groups)
		else:
			y = F.conv2d(F.pad(x, (pw[0], pw[1], ph[0], ph[1])), self.weight, self.bias, self.stride, 0, self.dilation, groups)
		if self.act == "relu6":
			return F.relu6(y)
		if self.act == "relu":
			return F.relu(y)
		if self.act != "none":
			raise ValueError("unsupported activation " + self.act)
		return y


class GraphNetwork(nn.Module):
	"""Runs the operators of a .graph.json in order, in N x C x H x W layout, up to the tensors asked for."""

	def __init__(self, graph, shapes):
		super().__init__()
		# a (de)quantisation that keeps its input's name is an identity that would hide the tensor's producer
		self.ops = [op for op in graph["ops"] if not (op["op"] in ("QUANTIZE", "DEQUANTIZE") and op["out"] == op["in"][0])]
		self.input = graph["meta"]["input"]
		self.native = {self.input: tuple(graph["meta"]["input_shape_nhwc"][1:3])}
		self.producer = {}
		self.convs = nn.ModuleDict()
		for i, op in enumerate(self.ops):
			self.producer[op["out"]] = i
			if len(op["out_shape_nhwc"]) == 4:
				self.native[op["out"]] = tuple(op["out_shape_nhwc"][1:3])
			if op["op"] in ("CONV_2D", "DEPTHWISE_CONV_2D"):
				name = op["params"][0].split(".")[0]
				self.convs[name] = GraphConv(op, shapes[op["params"][0]])
		self.matrices = {}

	@staticmethod
	def load(graph_json, weights=None):
		"""The graph of a .graph.json with its weights (the .safetensors beside it unless named)."""
		graph = json.loads(Path(graph_json).read_text())
		safetensors = Path(weights) if weights else Path(graph_json).with_name(Path(graph_json).name.replace(".graph.json", ".safetensors"))
		state = read_safetensors(safetensors)
		net = GraphNetwork(graph, {k: v.shape for k, v in state.items()})
		net.convs.load_state_dict(state, strict=True)
		return net

	def train_only(self, order):
		"""Freezes every convolution the operators in `order` do not use (the project freezes the dropped classifier)."""
		used = {self.ops[i]["params"][0].split(".")[0] for i in order if "params" in self.ops[i]}
		for name, conv in self.convs.items():
			conv.requires_grad_(name in used)

	def last_convolution(self):
		"""The output of the graph's last convolution (the original network's logits)."""
		return [op for op in self.ops if op["op"] == "CONV_2D"][-1]["out"]

	def classifier_features(self):
		"""The input of the last convolution (mirrors TfliteSegmenter.classifierFeatures for this graph)."""
		last = [op for op in self.ops if op["op"] == "CONV_2D"][-1]
		return last["in"][0]

	def needed(self, wanted):
		"""Indices of the operators that the wanted tensors depend on, in graph order."""
		needed, stack = set(), list(wanted)
		while stack:
			t = stack.pop()
			p = self.producer.get(t)
			if p is None or p in needed:
				continue
			needed.add(p)
			stack.extend(self.ops[p]["in"])
		return sorted(needed)

	def resize(self, x, h, w):
		if x.shape[2] == 1 and x.shape[3] == 1:
			return x.expand(-1, -1, h, w)
		key = (x.shape[2], x.shape[3], h, w)
		if key not in self.matrices:
			self.matrices[key] = (resize_matrix(x.shape[2], h), resize_matrix(x.shape[3], w).t().contiguous())
		rh, rw_t = self.matrices[key]
		n, c = x.shape[:2]
		along_w = torch.matmul(x.reshape(-1, x.shape[3]), rw_t).reshape(n * c, x.shape[2], w)
		return torch.matmul(rh, along_w).reshape(n, c, h, w)

	def run(self, x, wanted, order=None):
		order = self.needed(wanted) if order is None else order
		last_use = {}
		for i in order:
			for t in self.ops[i]["in"]:
				last_use[t] = i
		values = {self.input: x}
		# actual spatial size of every native size seen so far (constant resize targets follow it)
		actual = {self.native[self.input]: tuple(x.shape[2:])}
		for i in order:
			op = self.ops[i]
			ins = [values[t] for t in op["in"]]
			kind = op["op"]
			if kind in ("CONV_2D", "DEPTHWISE_CONV_2D"):
				y = self.convs[op["params"][0].split(".")[0]](ins[0])
			elif kind == "ADD":
				y = ins[0] + ins[1]
				if op.get("act", "none") != "none":
					raise ValueError("unsupported fused activation on ADD")
			elif kind == "CONCATENATION":
				y = torch.cat(ins, dim=1)
			elif kind == "AVERAGE_POOL_2D" or (kind == "MEAN" and op["const"] == [1, 2]):
				y = ins[0].mean((2, 3), keepdim=True)
			elif kind == "RESIZE_BILINEAR":
				if op["align_corners"] or op["half_pixel_centers"]:
					raise ValueError("only TF's legacy bilinear resize is implemented")
				h, w = actual[tuple(op["const"])]
				y = self.resize(ins[0], h, w)
			elif kind == "QUANTIZE" or kind == "DEQUANTIZE":
				y = ins[0]
			else:
				raise ValueError("unsupported operator " + kind)
			if op["out"] in self.native:
				actual.setdefault(self.native[op["out"]], tuple(y.shape[2:]))
			for t in op["in"]:
				if last_use.get(t) == i and t not in wanted:
					values.pop(t, None)
			values[op["out"]] = y
		return [values[t] for t in wanted]


def native_stride(graph_net, tensor):
	size, feature = graph_net.native[graph_net.input][0], graph_net.native[tensor][0]
	for s in (1, 2, 4, 8, 16, 32, 64):
		if -(-size // s) == feature:
			return s
	raise ValueError(tensor + " is not at a power-of-two stride")


class GraphSegmenter(nn.Module):
	"""A pretrained graph network turned into an M&N segmenter (TfliteSegmenter's twin)."""

	def __init__(self, graph_json, num_classes, weights=None):
		super().__init__()
		self.graph = GraphNetwork.load(graph_json, weights)
		self.features_tensor = self.graph.classifier_features()
		self.feature_order = self.graph.needed([self.features_tensor])
		self.graph.train_only(self.feature_order)
		channels = self.graph.ops[self.graph.producer[self.features_tensor]]["out_shape_nhwc"][3]
		self.head = StrideHead(channels, 3, num_classes, native_stride(self.graph, self.features_tensor))

	def forward(self, x):
		rgb = x.repeat(1, 3, 1, 1) if x.shape[1] == 1 else x
		features = self.graph.run(rgb, [self.features_tensor], self.feature_order)[0]
		return self.head(features, rgb)

	def classifier_logits(self, rgb):
		"""The original network's logits before its final resize (for checks against golden outputs)."""
		return self.graph.run(rgb, [self.graph.last_convolution()])[0]


class ImageNetUNet(nn.Module):
	"""MobileNetV2UNet's twin: the ImageNet MobileNetV2 graph as encoder (its classifier dropped and frozen), features at
	strides 32 (the 1280 channels the pooling reads) and 16, 8, 4, 2 (each stride's last linear block output), a UNet
	decoder (per level: bilinear 2x up with half-pixel centres, concatenation with the skip, twice 3x3 conv + instance
	norm without affine + ReLU; 256, 128, 64, 32 filters) and the stride-2 head. slice_zoom enlarges the slices
	(bilinear, half-pixel) before the network and averages the logits over each zoom x zoom block after it."""

	FILTERS = (256, 128, 64, 32)

	def __init__(self, graph_json, num_classes, slice_zoom=1):
		super().__init__()
		self.graph = GraphNetwork.load(graph_json)
		ops = self.graph.ops
		pool = next(op for op in ops if op["op"] in ("MEAN", "AVERAGE_POOL_2D"))
		self.bottom = pool["in"][0]
		encoder_ops = ops[:ops.index(pool)]
		self.skips = []
		for stride in (16, 8, 4, 2):
			linear = [op["out"] for op in encoder_ops if op["op"] in ("CONV_2D", "ADD") and op.get("act") == "none"
				and op["out"] in self.graph.native and native_stride(self.graph, op["out"]) == stride]
			self.skips.append(linear[-1])
		self.wanted = [self.bottom] + self.skips
		self.order = self.graph.needed(self.wanted)
		self.graph.train_only(self.order)
		channel = lambda t: ops[self.graph.producer[t]]["out_shape_nhwc"][3]
		below, levels = channel(self.bottom), []
		for skip, filters in zip(self.skips, self.FILTERS):
			levels.append(nn.ModuleList([nn.Conv2d(below + channel(skip), filters, 3, padding=1), nn.Conv2d(filters, filters, 3, padding=1)]))
			below = filters
		self.decoder = nn.ModuleList(levels)
		self.head = StrideHead(self.FILTERS[-1], 3, num_classes, 2)
		self.zoom = slice_zoom

	def forward(self, x):
		if self.zoom > 1:
			x = F.interpolate(x, scale_factor=self.zoom, mode="bilinear", align_corners=False)
		rgb = x.repeat(1, 3, 1, 1) if x.shape[1] == 1 else x
		features = self.graph.run(rgb, self.wanted, self.order)
		y = features[0]
		for skip, (conv1, conv2) in zip(features[1:], self.decoder):
			y = torch.cat([F.interpolate(y, size=skip.shape[2:], mode="bilinear", align_corners=False), skip], dim=1)
			y = F.relu(F.instance_norm(conv1(y), eps=1e-5))
			y = F.relu(F.instance_norm(conv2(y), eps=1e-5))
		logits = self.head(y, rgb)
		return F.avg_pool2d(logits, self.zoom) if self.zoom > 1 else logits

	def classifier_probabilities(self, rgb):
		"""The original classifier's softmax (for the check against the golden output)."""
		return torch.softmax(self.graph.run(rgb, [self.graph.last_convolution()])[0].flatten(1), dim=1)


# ---- SegFormer (module names = Hugging Face state_dict keys) ---------------------------------------------------------


class PatchEmbedding(nn.Module):
	def __init__(self, cin, cout, kernel, stride):
		super().__init__()
		self.proj = nn.Conv2d(cin, cout, kernel, stride, padding=kernel // 2)
		self.layer_norm = nn.LayerNorm(cout)

	def forward(self, x):
		e = self.proj(x)
		h, w = e.shape[2:]
		return self.layer_norm(e.flatten(2).transpose(1, 2)), h, w


class EfficientSelfAttention(nn.Module):
	def __init__(self, c, heads, sr):
		super().__init__()
		self.heads = heads
		self.query = nn.Linear(c, c)
		self.key = nn.Linear(c, c)
		self.value = nn.Linear(c, c)
		if sr > 1:
			self.sr = nn.Conv2d(c, c, sr, stride=sr)
			self.layer_norm = nn.LayerNorm(c)
		else:
			self.sr = None

	def split(self, t):
		b, n, c = t.shape
		return t.reshape(b, n, self.heads, c // self.heads).transpose(1, 2)

	def forward(self, x, h, w):
		b, n, c = x.shape
		context = x
		if self.sr is not None:
			image = x.transpose(1, 2).reshape(b, c, h, w)
			context = self.layer_norm(self.sr(image).reshape(b, c, -1).transpose(1, 2))
		q, k, v = self.split(self.query(x)), self.split(self.key(context)), self.split(self.value(context))
		scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(c // self.heads)
		return torch.matmul(scores.softmax(-1), v).transpose(1, 2).reshape(b, n, c)


class SelfOutput(nn.Module):
	def __init__(self, c):
		super().__init__()
		self.dense = nn.Linear(c, c)

	def forward(self, x):
		return self.dense(x)


class Attention(nn.Module):
	def __init__(self, c, heads, sr):
		super().__init__()
		self.self = EfficientSelfAttention(c, heads, sr)
		self.output = SelfOutput(c)

	def forward(self, x, h, w):
		return self.output(self.self(x, h, w))


class DepthwiseConv(nn.Module):
	def __init__(self, c):
		super().__init__()
		self.dwconv = nn.Conv2d(c, c, 3, padding=1, groups=c)

	def forward(self, x, h, w):
		b, n, c = x.shape
		return self.dwconv(x.transpose(1, 2).reshape(b, c, h, w)).flatten(2).transpose(1, 2)


class MixFfn(nn.Module):
	def __init__(self, c, hidden):
		super().__init__()
		self.dense1 = nn.Linear(c, hidden)
		self.dwconv = DepthwiseConv(hidden)
		self.dense2 = nn.Linear(hidden, c)

	def forward(self, x, h, w):
		return self.dense2(F.gelu(self.dwconv(self.dense1(x), h, w)))


def drop_path(x, rate, training):
	"""Stochastic depth: drops the whole residual branch per sample, scaled by 1 / keep."""
	if not training or rate == 0:
		return x
	keep = 1 - rate
	mask = (keep + torch.rand(x.shape[0], 1, 1, dtype=x.dtype)).floor()
	return x.div(keep) * mask


class EncoderLayer(nn.Module):
	def __init__(self, c, heads, sr, mlp_ratio, drop_path_rate):
		super().__init__()
		self.layer_norm_1 = nn.LayerNorm(c)
		self.attention = Attention(c, heads, sr)
		self.layer_norm_2 = nn.LayerNorm(c)
		self.mlp = MixFfn(c, c * mlp_ratio)
		self.drop_path_rate = drop_path_rate

	def forward(self, x, h, w):
		x = x + drop_path(self.attention(self.layer_norm_1(x), h, w), self.drop_path_rate, self.training)
		return x + drop_path(self.mlp(self.layer_norm_2(x), h, w), self.drop_path_rate, self.training)


class MixTransformer(nn.Module):
	def __init__(self, hidden, depths, heads, srs, patches, strides, mlp_ratio, drop_path_rate, channels=3):
		super().__init__()
		self.patch_embeddings = nn.ModuleList(
			[PatchEmbedding(channels if s == 0 else hidden[s - 1], hidden[s], patches[s], strides[s]) for s in range(4)])
		rates = [r.item() for r in torch.linspace(0, drop_path_rate, sum(depths))]
		self.block = nn.ModuleList()
		index = 0
		for s in range(4):
			self.block.append(nn.ModuleList([EncoderLayer(hidden[s], heads[s], srs[s], mlp_ratio, rates[index + j])
				for j in range(depths[s])]))
			index += depths[s]
		self.layer_norm = nn.ModuleList([nn.LayerNorm(c) for c in hidden])

	def forward(self, x):
		"""The stage outputs as images B x C_s x H_s x W_s, after each stage's final LayerNorm."""
		stages = []
		for s in range(4):
			tokens, h, w = self.patch_embeddings[s](x)
			for layer in self.block[s]:
				tokens = layer(tokens, h, w)
			tokens = self.layer_norm[s](tokens)
			x = tokens.transpose(1, 2).reshape(tokens.shape[0], -1, h, w)
			stages.append(x)
		return stages


class SegformerBody(nn.Module):
	def __init__(self, *args, **kwargs):
		super().__init__()
		self.encoder = MixTransformer(*args, **kwargs)


class StageMlp(nn.Module):
	def __init__(self, cin, d):
		super().__init__()
		self.proj = nn.Linear(cin, d)

	def forward(self, image):
		b, _, h, w = image.shape
		return self.proj(image.flatten(2).transpose(1, 2)).transpose(1, 2).reshape(b, -1, h, w)


class DecodeHead(nn.Module):
	def __init__(self, hidden, d, labels):
		super().__init__()
		self.linear_c = nn.ModuleList([StageMlp(c, d) for c in hidden])
		self.linear_fuse = nn.Conv2d(4 * d, d, 1, bias=False)
		self.batch_norm = nn.BatchNorm2d(d)
		self.classifier = nn.Conv2d(d, labels, 1)  # HF's; M&N replaces it by the stride head

	def fuse(self, stages):
		size = stages[0].shape[2:]
		maps = [F.interpolate(mlp(s), size=size, mode="bilinear", align_corners=False) for s, mlp in zip(stages, self.linear_c)]
		return F.relu(self.batch_norm(self.linear_fuse(torch.cat(maps[::-1], dim=1))))


class SegFormerSegmenter(nn.Module):
	def __init__(self, preset, num_classes, labels=150, drop_path_rate=0.1, classifier_dropout=0.1):
		super().__init__()
		hidden, depths, decoder = SEGFORMER_SIZES[preset]
		self.segformer = SegformerBody(hidden, depths, [1, 2, 5, 8], [8, 4, 2, 1], [7, 3, 3, 3], [4, 2, 2, 2], 4, drop_path_rate)
		self.decode_head = DecodeHead(hidden, decoder, labels)
		self.decode_head.classifier.requires_grad_(False)  # not part of the M&N network (no gradient either way)
		self.classifier_dropout = classifier_dropout
		self.head = StrideHead(decoder, 3, num_classes, 4)

	def forward(self, x):
		rgb = x.repeat(1, 3, 1, 1) if x.shape[1] == 1 else x
		fused = self.decode_head.fuse(self.segformer.encoder(rgb))
		return self.head(F.dropout(fused, self.classifier_dropout, self.training), rgb)

	def hf_logits(self, rgb):
		"""HF's evaluation logits at stride 4 (for checks against golden outputs)."""
		return self.decode_head.classifier(self.decode_head.fuse(self.segformer.encoder(rgb)))


def build(network, num_classes, models_dir):
	"""The twin of one of the project's 2-D architectures, by its name in org.mnseg.models.NetworkFactory."""
	if network == "deeplabv3plus-mnv2-ade20k":
		return GraphSegmenter(Path(models_dir) / DEEPLABV3PLUS_GRAPH, num_classes)
	if network.split(":")[0] == "mnv2-imagenet-unet":
		# "mnv2-imagenet-unet:zoom2": the slice zoom the main job uses
		zoom = int(network.split(":zoom")[1]) if ":zoom" in network else 1
		return ImageNetUNet(Path(models_dir) / IMAGENET_GRAPH, num_classes, zoom)
	if network.startswith("segformer-") and network[len("segformer-"):] in SEGFORMER_SIZES:
		return SegFormerSegmenter(network[len("segformer-"):], num_classes)
	raise SystemExit("no PyTorch twin for network " + network)


# ---- checks against the golden outputs --------------------------------------------------------------------------


def golden_rgb(path):
	"""A golden uint8 NHWC image as the TFLite graphs' float input (x - 127) / 127.5, NCHW."""
	u8 = np.load(path)
	return torch.from_numpy((u8.astype(np.float32) - 127) * np.float32(0.007843137718737125)).permute(0, 3, 1, 2)


def compared(actual, expected, tolerance, what=None):
	"""The check's JSON: max |actual - expected|, the largest expected value, and whether every value is within
	tolerance + tolerance * |expected|."""
	diff = np.abs(actual - expected)
	result = {"max_abs_diff": float(diff.max()), "max_abs_logit": float(np.abs(expected).max()),
		"ok": bool(np.all(diff <= tolerance + tolerance * np.abs(expected)))}
	if what:
		result["compared"] = what
	return result


def check_deeplabv3plus(models_dir):
	"""Classifier logits on the golden ADE20K image against the independent float implementation's (every 8th
	pixel of the 512 x 512 output = every 2nd pixel of the 128 x 128 logits under TF's legacy resize)."""
	golden = Path(models_dir) / "golden"
	net = GraphSegmenter(Path(models_dir) / DEEPLABV3PLUS_GRAPH, 3).eval()
	rgb = golden_rgb(golden / "ade20k_ADE_val_00000001.input_uint8_nhwc.npy")
	with torch.no_grad():
		logits = net.classifier_logits(rgb)[:, :, ::2, ::2].permute(0, 2, 3, 1).numpy()
	return compared(logits, np.load(golden / "ade20k_ADE_val_00000001.logits_nhwc_stride8.npy"), 1e-3)


def check_imagenet_encoder(models_dir):
	"""The ImageNet classifier's probabilities on the golden image against the independent float implementation's:
	the twin's encoder is the published network."""
	golden = Path(models_dir) / "golden"
	net = ImageNetUNet(Path(models_dir) / IMAGENET_GRAPH, 3).eval()
	rgb = golden_rgb(golden / "imagenet_sample01.input_uint8_nhwc.npy")
	with torch.no_grad():
		probabilities = net.classifier_probabilities(rgb).numpy()
	return compared(probabilities, np.load(golden / "imagenet_sample01.logits.npy"), 1e-3, "the classifier's probabilities")


def check_segformer_b0(models_dir):
	"""HF logits of the golden b0 weights and input (README's tolerance |a-b| <= 1e-4 + 1e-4 |b|)."""
	golden = Path(models_dir) / "golden" / "segformer"
	net = SegFormerSegmenter("b0", 3).eval()
	state = read_safetensors(golden / "b0.safetensors")
	missing, unexpected = net.load_state_dict(state, strict=False)
	if unexpected or [k for k in missing if not k.startswith("head.")]:
		raise SystemExit("b0.safetensors does not fit the twin: missing %s, unexpected %s" % (missing, unexpected))
	with torch.no_grad():
		logits = net.hf_logits(torch.from_numpy(np.load(golden / "b0.input.npy"))).numpy()
	return compared(logits, np.load(golden / "b0.logits.npy"), 1e-4)


def main():
	ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
	ap.add_argument("--check", action="store_true", help="compare the twins with the golden outputs")
	ap.add_argument("--models", default="../shared/models")
	ap.add_argument("--threads", type=int, default=1)
	args = ap.parse_args()
	if not args.check:
		ap.print_help()
		return
	torch.set_num_threads(args.threads)
	result = {}
	if (Path(args.models) / DEEPLABV3PLUS_GRAPH).is_file():
		result["deeplabv3plus-mnv2-ade20k"] = check_deeplabv3plus(args.models)
	if (Path(args.models) / IMAGENET_GRAPH).is_file():
		result["mnv2-imagenet-unet"] = check_imagenet_encoder(args.models)
	if (Path(args.models) / "golden" / "segformer" / "b0.safetensors").is_file():
		result["segformer-b0"] = check_segformer_b0(args.models)
	print(json.dumps(result))
	sys.exit(0 if all(r["ok"] for r in result.values()) else 1)


if __name__ == "__main__":
	main()
