import torch
import torch.optim as optim

# 定义初始变量
x = torch.ones(2, 2, requires_grad=True)

# 定义优化器，这里使用 SGD（随机梯度下降）
optimizer = optim.SGD([x], lr=0.1)  # 学习率设置为 0.1

# 进行前向传播
y = x + 2
z = y * y * 3
out = z.mean()

# 清空梯度
optimizer.zero_grad()

# 反向传播
out.backward()

# 打印梯度
print("梯度 (x.grad):")
print(x.grad)

# 执行一步优化器的参数更新
optimizer.step()

# 打印更新后的参数值
print("更新后的参数值 (x):")
print(x)
