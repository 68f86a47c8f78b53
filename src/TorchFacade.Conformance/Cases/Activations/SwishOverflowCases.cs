namespace TorchFacade.Conformance.Cases.Activations;

/// <summary>
/// Swish with β = 1.5 in float32 where β·x overflows (|x| &gt; 2.27e38): PyTorch's autograd of <c>x * torch.sigmoid(1.5 * x)</c>
/// gives 1 (and 0 for −x), where σ(βx)(1 + βx(1 − σ(βx))) computed naively is inf·0 = NaN. Found by the properties
/// group; the kernel uses the largest finite βx there.
/// </summary>
internal sealed class SwishOverflowCases : ICaseSource
{
    /// <inheritdoc />
    public IEnumerable<ConformanceCase> Cases()
    {
        ActivationSpec spec = ActivationSpecs.Get("swish-1.5");
        Tolerance tol = Tolerance.For(ScalarType.Float32);
        return CaseKit.PerDevice(
            CaseGroup.Activations,
            device => $"activation/swish-1.5/float32/{device}/beta-x-overflow",
            "Where 1.5·x overflows float32 (x = ±2.3e38, ±3.4e38), the reference swish-1.5 backward equals PyTorch's autograd of x * torch.sigmoid(1.5 * x) (1 for +x, 0 for −x).",
            "reference analytic backward vs LibTorch autograd of the composition",
            device =>
            {
                Tensor x = torch.tensor(new float[] { 2.3e38f, 3.4e38f, -2.3e38f, -3.4e38f }, device: device);
                Tensor g = torch.ones_like(x);
                return Compare.Close(ActivationCheck.GradOf(spec.Create().call, x, g), ActivationCheck.GradOf(spec.LibTorch, x, g), tol, x, "backward");
            },
            ScalarType.Float32,
            tol);
    }
}
