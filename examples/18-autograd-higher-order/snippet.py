# PyTorch docs, torch.autograd.grad with create_graph=True: the gradient is itself differentiable
import torch
x = torch.tensor([1., 2., 3.], requires_grad=True)
y = x ** 3
dy, = torch.autograd.grad(y.sum(), x, create_graph=True)
d2y, = torch.autograd.grad(dy.sum(), x)
print(dy.detach())
print(d2y)
