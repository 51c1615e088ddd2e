"""The PyTorch side of scripts/bench-adamw: torch.optim.AdamW (one tensor at a time, as on CPU by default) on
parameters of the shapes given, each step after a backward pass of the sum of squares. Prints the seconds of each
update as JSON. Usage: adamw_speed_torch.py SHAPES_JSON STEPS THREADS"""
import json
import sys
import time

import torch

shapes, steps, threads = json.load(open(sys.argv[1])), int(sys.argv[2]), int(sys.argv[3])
torch.set_num_threads(threads)
torch.manual_seed(101)
params = [torch.nn.Parameter(0.1 * torch.randn(*s)) for s in shapes]
opt = torch.optim.AdamW(params, lr=1e-3, weight_decay=0.01, foreach=False)
times = []
for _ in range(steps):
    sum(p.square().sum() for p in params).backward()
    start = time.perf_counter()
    opt.step()
    times.append(time.perf_counter() - start)
    opt.zero_grad(set_to_none=False)
print(json.dumps(times))
