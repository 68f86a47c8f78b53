using TorchFacade.Printing;
using TorchSharp;
using static TorchSharp.torch;

namespace TorchFacade.Examples;

/// <summary>
/// <c>x·tanh(x)</c> on five values. (The notes call it "Scaled Tanh"; that name usually means <c>a·tanh(b·x)</c> — see
/// docs/errata.md.)
/// </summary>
public sealed class ScaledTanhExample : Example
{
    /// <summary>Creates the example.</summary>
    public ScaledTanhExample()
        : base("11-scaled-tanh")
    {
    }

    /// <summary><c>x·tanh(x)</c>.</summary>
    /// <param name="x">The input.</param>
    /// <returns>A new tensor.</returns>
    public static Tensor ScaledTanh(Tensor x) => x * torch.tanh(x);   // def scaled_tanh(x): return x * torch.tanh(x)

    /// <inheritdoc />
    public override void Run(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        using var scope = torch.NewDisposeScope();

        // 示例
        var x = torch.tensor(new[] { 1.0f, -1.0f, 0.0f, 2.0f, -2.0f }); // x = torch.tensor([1.0, -1.0, 0.0, 2.0, -2.0])
        var output1 = ScaledTanh(x);                                    // output = scaled_tanh(x)
        output.WriteLine(PyTorchFormat.Format(output1));                 // print(output)
    }
}
