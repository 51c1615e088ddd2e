"""Fixture for Resize2dTest: PyTorch bilinear interpolation, both align_corners settings, odd sizes.
Usage: /usr/bin/python3 scripts/reference/make_resize_fixture.py > src/test/resources/fixtures/nn2d/resize_bilinear.json"""
import torch, json, torch.nn.functional as F
torch.manual_seed(3)
x = torch.randn(2, 3, 5, 7)
out = {"x": x.flatten().tolist()}
for name, ac in [("half_pixel", False), ("align_corners", True)]:
    for (h, w) in [(11, 4), (10, 14), (3, 3)]:
        out[f"{name}_{h}x{w}"] = F.interpolate(x, size=(h, w), mode="bilinear", align_corners=ac).flatten().tolist()
print(json.dumps(out))
