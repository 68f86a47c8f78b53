import torch

# 假设有一个简单的模型
model = torch.nn.Linear(10, 2)

# 使用 Adam 优化器（没有显式设置 weight_decay）
optimizer = torch.optim.Adam(model.parameters(), lr=0.001)
