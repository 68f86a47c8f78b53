using TorchFacade.Printing;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace TorchFacade.Examples;

/// <summary>The <c>F.pad</c> docstring examples: the pad tuple runs from the last dimension backwards, two numbers per dimension.</summary>
public sealed class PadSizesExample : Example
{
    /// <summary>Creates the example.</summary>
    public PadSizesExample()
        : base("14-pad-sizes")
    {
    }

    /// <inheritdoc />
    public override void Run(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        using var scope = torch.NewDisposeScope();

        var t4d = torch.empty(3, 3, 4, 2);                                  // t4d = torch.empty(3, 3, 4, 2)
        long[] p1d = [1, 1];                                                // p1d = (1, 1) # pad last dim by 1 on each side
        var @out = F.pad(t4d, p1d, PaddingModes.Constant, 0);               // out = F.pad(t4d, p1d, "constant", 0)  # effectively zero padding
        output.WriteLine(PyTorchFormat.Size(@out.shape));                   // print(out.size())
        long[] p2d = [1, 1, 2, 2];                                          // p2d = (1, 1, 2, 2) # pad last dim by (1, 1) and 2nd to last by (2, 2)
        @out = F.pad(t4d, p2d, PaddingModes.Constant, 0);                   // out = F.pad(t4d, p2d, "constant", 0)
        output.WriteLine(PyTorchFormat.Size(@out.shape));                   // print(out.size())
        t4d = torch.empty(3, 3, 4, 2);                                      // t4d = torch.empty(3, 3, 4, 2)
        long[] p3d = [0, 1, 2, 1, 3, 3];                                    // p3d = (0, 1, 2, 1, 3, 3) # pad by (0, 1), (2, 1), and (3, 3)
        @out = F.pad(t4d, p3d, PaddingModes.Constant, 0);                   // out = F.pad(t4d, p3d, "constant", 0)
        output.WriteLine(PyTorchFormat.Size(@out.shape));                   // print(out.size())
    }
}
