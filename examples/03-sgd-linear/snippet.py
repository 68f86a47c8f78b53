import torch

# 假设有一个简单的模型
model = torch.nn.Linear(10, 2)

# 使用 SGD 优化器
optimizer = torch.optim.SGD(model.parameters(), lr=0.001)
