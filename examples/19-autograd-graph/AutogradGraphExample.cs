using TorchSharp;

namespace TorchFacade.Examples;

/// <summary>
/// Walks <c>GradFn.NextFunctions</c> from a loss down to the leaves' <c>AccumulateGrad</c> nodes. The console project
/// also writes the graph as Graphviz DOT (<c>Torch.Autograd.ToDot</c>) when given a path: <c>-- graph.dot</c>.
/// </summary>
public sealed class AutogradGraphExample : Example
{
    /// <summary>Creates the example.</summary>
    public AutogradGraphExample()
        : base("19-autograd-graph")
    {
    }

    /// <summary>The DOT text of the example's graph (what <c>torchviz.make_dot(loss)</c> draws).</summary>
    /// <returns>The DOT text.</returns>
    public static string Dot()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.ones(2, 3, requires_grad: true);
        var w = torch.ones(3, requires_grad: true);
        var loss = torch.tanh(x * w).sum();
        return Torch.Autograd.ToDot(loss);
    }

    /// <inheritdoc />
    public override void Run(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        using var scope = torch.NewDisposeScope();

        // import torch
        var x = torch.ones(2, 3, requires_grad: true);   // x = torch.ones(2, 3, requires_grad=True)
        var w = torch.ones(3, requires_grad: true);      // w = torch.ones(3, requires_grad=True)
        var loss = torch.tanh(x * w).sum();              // loss = torch.tanh(x * w).sum()
        Walk(loss.GradFn!, 0, output);                   // walk(loss.grad_fn)
    }

    // def walk(fn, depth=0):
    private static void Walk(GradFn fn, int depth, TextWriter output)
    {
        output.WriteLine(new string(' ', 2 * depth) + fn.Name);  // print("  " * depth + type(fn).__name__)
        foreach (GradEdge edge in fn.NextFunctions)               // for f, nr in fn.next_functions:
        {
            if (edge.Function is { } f)                           // if f is not None:
            {
                Walk(f, depth + 1, output);                       // walk(f, depth + 1)
            }
        }
    }
}
