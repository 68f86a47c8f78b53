using TorchFacade.Printing;
using TorchSharp;
using static TorchSharp.torch;

namespace TorchFacade.Examples;

/// <summary><c>x·sin(x)</c> on five values. (The notes call it "Sine ReLU (SiLU)"; SiLU is <c>x·σ(x)</c> — see docs/errata.md.)</summary>
public sealed class SinActivationExample : Example
{
    /// <summary>Creates the example.</summary>
    public SinActivationExample()
        : base("12-sin-activation")
    {
    }

    /// <summary><c>x·sin(x)</c>.</summary>
    /// <param name="x">The input.</param>
    /// <returns>A new tensor.</returns>
    public static Tensor SinActivation(Tensor x) => x * torch.sin(x);  // def sin_activation(x): return x * torch.sin(x)

    /// <inheritdoc />
    public override void Run(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        using var scope = torch.NewDisposeScope();

        // 示例
        var x = torch.tensor(new[] { 1.0f, -1.0f, 0.0f, 2.0f, -2.0f }); // x = torch.tensor([1.0, -1.0, 0.0, 2.0, -2.0])
        var output1 = SinActivation(x);                                 // output = sin_activation(x)
        output.WriteLine(PyTorchFormat.Format(output1));                 // print(output)
    }
}
