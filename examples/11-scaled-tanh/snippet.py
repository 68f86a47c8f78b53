import torch

def scaled_tanh(x):
    return x * torch.tanh(x)

# 示例
x = torch.tensor([1.0, -1.0, 0.0, 2.0, -2.0])
output = scaled_tanh(x)
print(output)
