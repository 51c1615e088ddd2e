<<<<<<< HEAD
"""Fixture for StrideHeadTest: M&N's head (features concatenated with the input sampled every s pixels, then
ConvTranspose2d(k=s, stride=s)) in PyTorch. Odd sizes and s=4 so that layout mistakes show.
Usage: /usr/bin/python3 scripts/reference/make_stride_head_fixture.py > src/test/resources/fixtures/nn2d/stride_head.json"""
import json
import torch

torch.set_num_threads(1)
torch.manual_seed(7)
s, classes, feat_ch, in_ch = 4, 3, 5, 3
x = torch.randn(2, in_ch, 12, 20)
features = torch.randn(2, feat_ch, 3, 5)
head = torch.nn.ConvTranspose2d(feat_ch + in_ch, classes, kernel_size=s, stride=s)
with torch.no_grad():
    out = head(torch.cat([features, x[:, :, ::s, ::s]], dim=1))
print(json.dumps({
    "stride": s, "classes": classes,
    "x_shape": list(x.shape), "x": x.flatten().tolist(),
    "features_shape": list(features.shape), "features": features.flatten().tolist(),
    "weight": head.weight.detach().flatten().tolist(), "bias": head.bias.detach().flatten().tolist(),
    "out_shape": list(out.shape), "out": out.flatten().tolist(),
}))
=======
"""Fixture for StrideHeadTorchTest: M&N's head, torch.cat([features, x[:, :, ::4, ::4]]) then
nn.ConvTranspose2d(259, C, kernel_size=4, stride=4), on random tensors.
Usage: /usr/bin/python3 scripts/reference/make_stride_head_fixture.py src/test/resources/fixtures/nn2d/segformer
Writes stride_head.json (shapes and float offsets) and stride_head.f32 (little-endian float32)."""
import json, os, sys
import numpy as np
import torch

torch.set_num_threads(1)
torch.manual_seed(11)
out_dir = sys.argv[1]
features = torch.randn(2, 256, 3, 2)          # decoder features at stride 4
image = torch.randn(2, 3, 12, 8)              # the 3-channel input (H, W multiples of 4)
head = torch.nn.ConvTranspose2d(259, 3, kernel_size=4, stride=4)
with torch.no_grad():
    head.bias.copy_(torch.randn(3))           # a visible bias
    logits = head(torch.cat([features, image[:, :, ::4, ::4]], dim=1))
tensors = {"features": features, "image": image, "weight": head.weight.detach(), "bias": head.bias.detach(),
           "logits": logits}
index, chunks, offset = {}, [], 0
for name, t in tensors.items():
    a = t.numpy().astype("<f4").ravel()
    index[name] = {"shape": list(t.shape), "offset": offset}
    chunks.append(a)
    offset += a.size
with open(os.path.join(out_dir, "stride_head.json"), "w") as f:
    json.dump({"tensors": index}, f, indent=1)
np.concatenate(chunks).tofile(os.path.join(out_dir, "stride_head.f32"))
>>>>>>> feat/segformer
