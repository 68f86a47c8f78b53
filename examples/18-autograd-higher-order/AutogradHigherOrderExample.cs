using TorchSharp;

namespace TorchFacade.Examples;

/// <summary>Second derivatives through <c>Torch.Autograd.Grad(createGraph: true)</c>: d/dx x³ = 3x², d²/dx² x³ = 6x.</summary>
public sealed class AutogradHigherOrderExample : Example
{
    /// <summary>Creates the example.</summary>
    public AutogradHigherOrderExample()
        : base("18-autograd-higher-order")
    {
    }

    /// <inheritdoc />
    public override void Run(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        using var scope = torch.NewDisposeScope();

        // import torch
        var x = torch.tensor(new[] { 1f, 2f, 3f }, requires_grad: true);           // x = torch.tensor([1., 2., 3.], requires_grad=True)
        var y = x.pow(3);                                                         // y = x ** 3
        var dy = Torch.Autograd.Grad([y.sum()], [x], createGraph: true)[0]!;      // dy, = torch.autograd.grad(y.sum(), x, create_graph=True)
        var d2y = Torch.Autograd.Grad([dy.sum()], [x])[0]!;                       // d2y, = torch.autograd.grad(dy.sum(), x)
        output.WriteLine(dy.Detach().ToPyTorchString());                          // print(dy.detach())
        output.WriteLine(d2y.ToPyTorchString());                                  // print(d2y)
    }
}
