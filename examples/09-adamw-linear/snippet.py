import torch

# 假设有一个简单的模型
model = torch.nn.Linear(10, 2)

# 使用 AdamW 优化器（显式设置 weight_decay）
optimizer = torch.optim.AdamW(model.parameters(), lr=0.001, weight_decay=0.01)
