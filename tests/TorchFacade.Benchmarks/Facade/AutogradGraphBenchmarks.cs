using BenchmarkDotNet.Attributes;
using TorchSharp;

namespace TorchFacade.Benchmarks.Facade;

/// <summary>
/// Cost of the autograd surface reached through LibTorch's C++ ABI: a backward pass with and without gradient hooks
/// (the difference divided by the hook count is the cost per hook call), and reading a node's name and edges.
/// Run: <c>dotnet run -c Release -- --filter '*AutogradGraph*' --job short</c>.
/// </summary>
public class AutogradGraphBenchmarks
{
    private const int Hooks = 16;
    private torch.Tensor plain = null!;
    private torch.Tensor hooked = null!;
    private torch.Tensor product = null!;
    private torch.Tensor custom = null!;
    private GradFn node = null!;
    private RemovableHandle[] handles = [];

    [GlobalSetup]
    public void Setup()
    {
        plain = torch.ones(4, requires_grad: true);
        hooked = torch.ones(4, requires_grad: true);
        handles = [.. Enumerable.Range(0, Hooks).Select(_ => hooked.RegisterHook(_ => null))];
        product = plain * hooked;
        node = product.GradFn!;
        custom = Twice.Apply(plain)[0];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (RemovableHandle h in handles)
        {
            h.Remove();
        }

        product.Dispose();
        custom.Dispose();
        plain.Dispose();
        hooked.Dispose();
    }

    /// <summary>Backward through <c>(leaf * 2).sum()</c> on a leaf without hooks.</summary>
    [Benchmark(Baseline = true)]
    public void BackwardNoHooks() => Backward(plain);

    /// <summary>The same on a leaf with 16 hooks that keep the gradient (each call wraps the gradient in a tensor object).</summary>
    [Benchmark]
    public void BackwardSixteenHooks() => Backward(hooked);

    /// <summary><c>GradFn.Name</c> of a fresh <c>GradFn</c> object (virtual <c>Node::name()</c> call, std::string copy).</summary>
    [Benchmark]
    public string? Name() => product.GradFn!.Name;

    /// <summary><c>GradFn.Name</c> of a custom <c>AutogradFunction</c>'s node (<c>TwiceBackward</c>, from the facade's name registry).</summary>
    [Benchmark]
    public string? CustomFunctionName() => custom.GradFn!.Name;

    /// <summary><c>GradFn.NextFunctions</c> of a node with two edges (two <c>GradFn</c> objects made).</summary>
    [Benchmark]
    public int NextFunctions() => node.NextFunctions.Count;

    private static void Backward(torch.Tensor leaf)
    {
        using var scope = torch.NewDisposeScope();
        (leaf * 2).sum().Backward();
        leaf.Grad = null;
    }

    private sealed class Twice : AutogradFunction<Twice>
    {
        protected override torch.Tensor[] Forward(AutogradContext ctx, torch.Tensor[] inputs) => [inputs[0] * 2];

        protected override torch.Tensor?[] Backward(AutogradContext ctx, torch.Tensor[] gradOutputs) => [gradOutputs[0] * 2];
    }
}
