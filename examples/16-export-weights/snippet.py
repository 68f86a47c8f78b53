import torch
from safetensors.torch import load_file

# The Python side of ExportWeightsExample.cs: load the weights C# trained and saved, in both formats.
# (Run the C# example with TORCHFACADE_EXPORT_DIR=some/folder to keep its files, then run this script in that folder.)
model = torch.nn.Sequential(torch.nn.Linear(2, 4), torch.nn.ReLU(), torch.nn.Linear(4, 1))
model.load_state_dict(torch.load("weights.pt", weights_only=True))
model.load_state_dict(load_file("weights.safetensors"))
x = torch.tensor([[1.0, 2.0], [3.0, -1.0]])
print(model(x).detach())
