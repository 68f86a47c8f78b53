# Walking the graph: grad_fn and next_functions (as torchviz's make_dot does to draw it)
import torch
x = torch.ones(2, 3, requires_grad=True)
w = torch.ones(3, requires_grad=True)
loss = torch.tanh(x * w).sum()
def walk(fn, depth=0):
    print("  " * depth + type(fn).__name__)
    for f, nr in fn.next_functions:
        if f is not None: walk(f, depth + 1)
walk(loss.grad_fn)
