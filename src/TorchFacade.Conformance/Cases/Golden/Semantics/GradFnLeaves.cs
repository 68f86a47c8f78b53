namespace TorchFacade.Conformance.Cases.Golden;

/// <summary>The leaves every grad_fn expression reads (make_semantics_golden.py's <c>leaves()</c>): x, w (2×3), v (3), b (2).</summary>
internal sealed record GradFnLeaves(Tensor X, Tensor W, Tensor V, Tensor B)
{
    /// <summary>Fresh leaves requiring grad on <paramref name="device"/>.</summary>
    /// <param name="device">The device.</param>
    /// <returns>The leaves.</returns>
    public static GradFnLeaves On(Device device)
    {
        Tensor Leaf(float[] values, params long[] shape)
        {
            Tensor t = tensor(values, shape, device: device);
            t.RequiresGrad = true;
            return t;
        }

        return new GradFnLeaves(
            Leaf([1f, 2f, 3f, 4f, 5f, 6f], 2, 3),
            Leaf([0.5f, -1f, 2f, 3f, 0.25f, -2f], 2, 3),
            Leaf([1f, 2f, 3f], 3),
            Leaf([0.1f, 0.2f], 2));
    }
}
