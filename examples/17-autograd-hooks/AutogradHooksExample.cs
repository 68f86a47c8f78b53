using TorchSharp;

namespace TorchFacade.Examples;

/// <summary>
/// PyTorch's "Backward Hooks execution" rule: a tensor hook runs before the <c>retain_grad</c> hook, so the retained
/// <c>b.grad</c> is the replaced gradient (2 · 2b = 24) and <c>a.grad</c> is 3 · 24 = 72.
/// </summary>
public sealed class AutogradHooksExample : Example
{
    /// <summary>Creates the example.</summary>
    public AutogradHooksExample()
        : base("17-autograd-hooks")
    {
    }

    /// <inheritdoc />
    public override void Run(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        using var scope = torch.NewDisposeScope();

        // import torch
        var a = torch.tensor(2f, requires_grad: true); // a = torch.tensor(2., requires_grad=True)
        var b = a * 3;                                // b = a * 3
        b.RetainGrad();                               // b.retain_grad()
        b.RegisterHook(grad => grad * 2);             // b.register_hook(lambda grad: grad * 2)
        var c = b * b;                                // c = b * b
        c.Backward();                                 // c.backward()
        output.WriteLine(b.Grad!.ToPyTorchString());  // print(b.grad)
        output.WriteLine(a.Grad!.ToPyTorchString());  // print(a.grad)
    }
}
