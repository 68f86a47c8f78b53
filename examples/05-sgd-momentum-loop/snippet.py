import torch
import torch.optim as optim

# 创建一个 requires_grad=True 的 Tensor
x = torch.ones(2, 2, requires_grad=True)

# 创建优化器并设置动量
optimizer = optim.SGD([x], lr=0.1, momentum=0.9)


# 定义一个简单的损失函数
def loss_function(x):
    y = x + 2
    z = y * y * 3
    return z.mean()


# 进行多次迭代，观察动量的影响
for epoch in range(1, 6):
    optimizer.zero_grad()  # 每次迭代前清零梯度
    out = loss_function(x)  # 计算损失
    out.backward()  # 反向传播，计算梯度

    print(f"Epoch {epoch}:")
    print(f"  x.grad = {x.grad}")  # 打印当前的梯度
    print(f"  x = {x}")  # 打印当前的参数

    optimizer.step()  # 更新参数
    print(f"  Updated x = {x}\n")
