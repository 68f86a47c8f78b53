import torch

# Train three epochs in PyTorch, save a checkpoint, and (in C#, ResumePyTorchTrainingExample.cs) resume it.
torch.manual_seed(1)
model = torch.nn.Sequential(torch.nn.Linear(3, 8), torch.nn.Tanh(), torch.nn.Linear(8, 1))
x = torch.randn(16, 3)
y = torch.randn(16, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=2, gamma=0.5)


def train_one_epoch():
    optimizer.zero_grad()
    loss = ((model(x) - y) ** 2).mean()
    loss.backward()
    optimizer.step()
    scheduler.step()
    return loss.item()


for epoch in range(3):
    train_one_epoch()
torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(), "scheduler": scheduler.state_dict(),
            "epoch": 3, "x": x, "y": y}, "checkpoint.pt")

# What resuming prints (the C# port loads checkpoint.pt and prints the same):
checkpoint = torch.load("checkpoint.pt", weights_only=True)
model.load_state_dict(checkpoint["model"])
optimizer.load_state_dict(checkpoint["optimizer"])
scheduler.load_state_dict(checkpoint["scheduler"])
print(f"resuming after epoch {checkpoint['epoch']}, lr {optimizer.param_groups[0]['lr']}")
for epoch in range(checkpoint["epoch"] + 1, checkpoint["epoch"] + 4):
    print(f"epoch {epoch}: loss {train_one_epoch():.6f}, next lr {optimizer.param_groups[0]['lr']}")
