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
