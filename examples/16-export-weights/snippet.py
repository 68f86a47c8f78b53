import torch
from safetensors.torch import load_file

# The Python side of ExportWeightsExample.cs: load the weights C# trained and saved, in both formats, and resume
# training from the checkpoint C# wrote (model, optimizer, scheduler, epoch).
# (Run the C# example with TORCHFACADE_EXPORT_DIR=some/folder to keep its files, then run this script in that folder.)
model = torch.nn.Sequential(torch.nn.Linear(2, 4), torch.nn.ReLU(), torch.nn.Linear(4, 1))
model.load_state_dict(torch.load("weights.pt", weights_only=True))
model.load_state_dict(load_file("weights.safetensors"))
x = torch.tensor([[1.0, 2.0], [3.0, -1.0]])
print(model(x).detach())

# Resume C#'s training run: the optimizer and scheduler built as in C#, their state loaded from checkpoint.pt.
optimizer = torch.optim.Adam(model.parameters(), lr=0.05)
scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=50, gamma=0.5)
checkpoint = torch.load("checkpoint.pt", weights_only=True)
model.load_state_dict(checkpoint["model"])
optimizer.load_state_dict(checkpoint["optimizer"])
scheduler.load_state_dict(checkpoint["scheduler"])
group = optimizer.param_groups[0]
print(f"checkpoint.pt: epoch {checkpoint['epoch']}, lr {group['lr']}, initial_lr {group['initial_lr']}, scheduler last_epoch {scheduler.last_epoch}")
