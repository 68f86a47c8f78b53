# PyTorch docs, "Autograd mechanics" → "Backward Hooks execution": a hook on a non-leaf runs before its retained grad
import torch
a = torch.tensor(2., requires_grad=True)
b = a * 3
b.retain_grad()
b.register_hook(lambda grad: grad * 2)
c = b * b
c.backward()
print(b.grad)
print(a.grad)
