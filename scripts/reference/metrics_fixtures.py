#!/usr/bin/env python3
"""Reference values for org.mnseg.metrics, computed independently with numpy/scipy the way medpy does it.

Writes src/test/resources/fixtures/metrics/scipy_cases.json: small multi-class label volumes (smoothed random
fields, so classes have several components, holes and border contact) with anisotropic spacing, and for each
foreground class the expected dice, jaccard, hd95, asd, assd in voxels and mm.

Surfaces: mask ^ binary_erosion(mask, 6-connectivity, border_value=0) (medpy __surface_distances);
distances: distance_transform_edt(~other_surface, sampling=spacing) read at this surface; hd95 = numpy.percentile
(linear) of both directions pooled; asd = mean of prediction->truth; assd = mean of both pooled.
Empty masks follow the Java policy (both empty: 1, 1, 0; one empty: 0, 0, image diagonal).

Labels are stored base64-encoded, one unsigned byte per voxel, X fastest (numpy order='F' on [x, y, z] arrays).
Run from the repository root: /usr/bin/python3 scripts/reference/metrics_fixtures.py
"""
import base64
import json
import os

import numpy as np
from scipy import ndimage

OUT = os.path.join("src", "test", "resources", "fixtures", "metrics", "scipy_cases.json")
SIX = ndimage.generate_binary_structure(3, 1)


def surface(mask):
    return mask ^ ndimage.binary_erosion(mask, structure=SIX, iterations=1, border_value=0)


def directed(a, b, spacing):
    """Distances from each surface voxel of a to the nearest surface voxel of b."""
    dt = ndimage.distance_transform_edt(~surface(b), sampling=spacing)
    return dt[surface(a)]


def class_metrics(pred, truth, spacing):
    shape = np.array(pred.shape, dtype=float)
    p, t = pred.sum(), truth.sum()
    out = {}
    if p == 0 or t == 0:
        both_empty = p == 0 and t == 0
        out["dice"] = out["jaccard"] = 1.0 if both_empty else 0.0
        for unit, sp in (("vox", (1.0, 1.0, 1.0)), ("mm", spacing)):
            d = 0.0 if both_empty else float(np.sqrt(np.sum((shape * np.array(sp)) ** 2)))
            for k in ("hd95", "asd", "assd"):
                out[k + "_" + unit] = d
        out["empty"] = "both" if both_empty else ("prediction" if p == 0 else "truth")
        return out
    inter = np.logical_and(pred, truth).sum()
    out["dice"] = float(2.0 * inter / (p + t))
    out["jaccard"] = float(inter / (p + t - inter))
    for unit, sp in (("vox", (1.0, 1.0, 1.0)), ("mm", spacing)):
        pt = directed(pred, truth, sp)
        tp = directed(truth, pred, sp)
        both = np.hstack((pt, tp))
        out["hd95_" + unit] = float(np.percentile(both, 95))
        out["asd_" + unit] = float(pt.mean())
        out["assd_" + unit] = float(both.mean())
    out["empty"] = "none"
    return out


def labels_from_field(field, level):
    lab = np.zeros(field.shape, dtype=np.uint8)
    lab[field > level] = 1
    lab[field < -level] = 2
    return lab


def make_case(rng, case_id, shape, spacing, sigma, level, noise, drop_pred_class=None):
    base = ndimage.gaussian_filter(rng.standard_normal(shape), sigma)
    base /= base.std()
    wobble = ndimage.gaussian_filter(rng.standard_normal(shape), sigma)
    wobble /= wobble.std()
    truth = labels_from_field(base, level)
    pred = labels_from_field(base + noise * wobble, level)
    if drop_pred_class is not None:
        pred[pred == drop_pred_class] = 0
    classes = {str(c): class_metrics(pred == c, truth == c, spacing) for c in (1, 2)}
    encode = lambda a: base64.b64encode(a.flatten(order="F").tobytes()).decode("ascii")
    return {
        "id": case_id,
        "shape": list(shape),
        "spacing": list(spacing),
        "num_classes": 3,
        "prediction": encode(pred),
        "truth": encode(truth),
        "classes": classes,
    }


def main():
    rng = np.random.default_rng(20240611)
    cases = [
        make_case(rng, "aniso", (23, 19, 13), (0.8, 1.3, 2.5), 2.0, 0.8, 0.5),
        make_case(rng, "fine", (17, 21, 16), (1.0, 0.7, 1.1), 1.5, 0.6, 0.8),
        make_case(rng, "missing_class_2", (15, 14, 12), (1.2, 1.2, 3.0), 2.0, 0.7, 0.4, drop_pred_class=2),
    ]
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        json.dump({"generator": "scripts/reference/metrics_fixtures.py", "scipy": __import__("scipy").__version__,
                   "numpy": np.__version__, "cases": cases}, f, indent=1)
        f.write("\n")
    for c in cases:
        print(c["id"], {k: (round(v["dice"], 3), round(v["hd95_mm"], 3), v["empty"]) for k, v in c["classes"].items()})


if __name__ == "__main__":
    main()
