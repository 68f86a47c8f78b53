import torch

# 假设有一个简单的模型
model = torch.nn.Linear(10, 2)

# 使用 RMSprop 优化器
optimizer = torch.optim.RMSprop(model.parameters(), lr=0.001, alpha=0.9) # alpha 是衰减率（滑动平均系数）
