import torch

def sin_activation(x):
    return x * torch.sin(x)

# 示例
x = torch.tensor([1.0, -1.0, 0.0, 2.0, -2.0])
output = sin_activation(x)
print(output)
