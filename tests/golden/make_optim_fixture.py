#!/usr/bin/env python3
"""A PyTorch 2.6 optimizer checkpoint for TorchFacade's resume test: AdamW (amsgrad) over two groups, 3 steps,
torch.save({"optimizer": opt.state_dict(), "params": [...], "next": [...]}) where "next" are the parameters after one
more step with the gradient g = 0.5 * p + 0.1. Writes tests/fixtures/optim/adamw_two_groups.pt."""
import copy
import os
import torch

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "optim", "adamw_two_groups.pt")
torch.manual_seed(7)
a = torch.randn(4, dtype=torch.float64, requires_grad=True)
b = torch.randn(2, 3, dtype=torch.float64, requires_grad=True)
opt = torch.optim.AdamW([{"params": [a]}, {"params": [b], "lr": 0.05, "weight_decay": 0.1}], lr=0.01, amsgrad=True)
sched = torch.optim.lr_scheduler.StepLR(opt, step_size=2)  # writes initial_lr into the groups, as real checkpoints have


def grads():
    with torch.no_grad():
        for p in (a, b):
            p.grad = p.detach().mul(0.5).add(0.1)


for _ in range(3):
    grads()
    opt.step()
    sched.step()
saved = {"optimizer": copy.deepcopy(opt.state_dict()), "params": [a.detach().clone(), b.detach().clone()]}
grads()
opt.step()
saved["next"] = [a.detach().clone(), b.detach().clone()]
torch.save(saved, out)
print("wrote", out)
