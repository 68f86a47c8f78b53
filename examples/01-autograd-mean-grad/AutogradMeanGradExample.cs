using TorchFacade.Printing;
using TorchSharp;

namespace TorchFacade.Examples;

/// <summary>The notes' first autograd snippet: <c>out = mean(3(x + 2)²)</c>, so <c>x.grad = 1.5(x + 2) = 4.5</c> everywhere.</summary>
public sealed class AutogradMeanGradExample : Example
{
    /// <summary>Creates the example.</summary>
    public AutogradMeanGradExample()
        : base("01-autograd-mean-grad")
    {
    }

    /// <inheritdoc />
    public override void Run(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        using var scope = torch.NewDisposeScope();

        // import torch
        var x = torch.ones(2, 2, requires_grad: true); // x = torch.ones(2, 2, requires_grad=True)
        var y = x + 2;                                 // y = x + 2
        var z = y * y * 3;                             // z = y * y * 3
        var @out = z.mean();                           // out = z.mean()
        @out.backward();                               // out.backward()
        output.WriteLine(PyTorchFormat.Format(x.grad!)); // print(x.grad)
    }
}
