using System.Numerics;
using System.Runtime.InteropServices;
using CsCheck;

namespace TorchFacade.Conformance.Cases.Properties;

/// <summary>
/// Properties of the interop paths over random dtypes, shapes (0-d and empty included) and values (NaN, ±inf, −0,
/// subnormals): <c>Torch.FromArray</c> aliases the array (<c>torch.from_numpy</c>) and <c>AsSpan</c> writes through
/// (<c>t.numpy()</c>); <c>Torch.Tensor</c> copies (<c>torch.tensor</c>); <c>ToArray</c> of a device copy and of a
/// non-contiguous view gives the elements in C order; <c>Npy.Save</c>/<c>Npy.Load</c> (also memory-mapped) and
/// <c>AsTensorSpan</c>/<c>FromTensor</c> round-trip every bit.
/// </summary>
internal sealed class InteropProperties : ICaseSource
{
    private static readonly torch.ScalarType[] DTypes =
    [
        torch.ScalarType.Float32, torch.ScalarType.Float64, torch.ScalarType.Float16, torch.ScalarType.BFloat16,
        torch.ScalarType.Int8, torch.ScalarType.Byte, torch.ScalarType.Int16, torch.ScalarType.Int32, torch.ScalarType.Int64, torch.ScalarType.Bool,
    ];

    private static readonly Gen<double> Element = Gen.Frequency(
        (4, Gen.Double[-300, 300]),
        (2, Gen.Int[-130, 300].Select(i => (double)i)),
        (1, Gen.OneOf(ActivationProperties.EdgeValues)));

    private static readonly Gen<InteropInput> Inputs =
        from dtype in Gen.OneOf(DTypes)
        from shape in Gen.Int[0, 5].Select(n => (long)n).Array[0, 4]
        from values in Element.Array[(int)shape.Aggregate(1L, (a, b) => a * b)]
        select new InteropInput(dtype, shape, values);

    private static readonly (string Name, string Claim, IElementProperty Property, Func<InteropInput, bool> Applies)[] Properties =
    [
        ("from-array", "Torch.FromArray(a, shape) aliases a (torch.from_numpy): every element reads back bit for bit, a write through AsSpan changes the array and a write to the array changes the tensor; a copy to the device and back (ToArray) has the same bits", new FromArrayProperty(), _ => true),
        ("tensor-copy", "Torch.Tensor(a, shape) copies (torch.tensor): the bits read back, a later write to the array does not reach the tensor, and ToArray of a permuted (non-contiguous) view equals the permuted elements in C order", new TensorCopyProperty(), _ => true),
        ("npy", "(every dtype NumPy has: not bfloat16) Npy.Save then Npy.Load (and Npy.Load with memoryMap: true) give back the dtype, shape and every bit (np.save / np.load)", new NpyProperty(), i => i.DType != torch.ScalarType.BFloat16),
        ("tensor-span", "(rank ≥ 1 and at least one element, dimensions of length 1 included: System.Numerics.Tensors has no 0-d tensor, and the check reads the first and last element) AsTensorSpan views the tensor's elements with its shape and Torch.FromTensor of a System.Numerics.Tensors tensor built from them gives back every bit", new TensorSpanProperty(), i => i.Values.Length > 0 && i.Shape.Length > 0),
    ];

    /// <inheritdoc />
    public IEnumerable<ConformanceCase> Cases()
    {
        foreach ((string name, string claim, IElementProperty property, Func<InteropInput, bool> applies) in Properties)
        {
            foreach (string device in ConformanceDevices.All)
            {
                string id = $"property/interop/{name}/{device}";
                Gen<InteropInput> inputs = Inputs.Where(applies);
                yield return CaseKit.Make(CaseGroup.Properties, id, device, $"For random dtypes, shapes (0-d and empty included) and values (NaN, ±inf, −0, subnormals): {claim}.", "facade interop vs the input's bits, property-based (CsCheck)", () => PropertyCheck.Run(id, inputs, input => Dispatch(input, property, ConformanceDevices.Of(device)), Snippets(name, device)), tolerance: Tolerance.Exact("interop moves bits; it never computes"));
            }
        }
    }

    /// <summary>Whether two arrays hold the same bits.</summary>
    internal static bool SameBits<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b)
        where T : unmanaged => MemoryMarshal.AsBytes(a).SequenceEqual(MemoryMarshal.AsBytes(b));

    private static string? Dispatch(InteropInput input, IElementProperty property, torch.Device device)
    {
        long[] shape = input.Shape;
        torch.Tensor source = torch.tensor(input.Values, dtype: torch.ScalarType.Float64).to(input.DType);
        return input.DType switch
        {
            torch.ScalarType.Float32 => property.Check(source.ToArray<float>(), shape, device),
            torch.ScalarType.Float64 => property.Check(source.ToArray<double>(), shape, device),
            torch.ScalarType.Float16 => property.Check(source.ToArray<Half>(), shape, device),
            torch.ScalarType.BFloat16 => property.Check(source.ToArray<BFloat16>(), shape, device),
            torch.ScalarType.Int8 => property.Check(source.ToArray<sbyte>(), shape, device),
            torch.ScalarType.Byte => property.Check(source.ToArray<byte>(), shape, device),
            torch.ScalarType.Int16 => property.Check(source.ToArray<short>(), shape, device),
            torch.ScalarType.Int32 => property.Check(source.ToArray<int>(), shape, device),
            torch.ScalarType.Int64 => property.Check(source.ToArray<long>(), shape, device),
            torch.ScalarType.Bool => property.Check(source.ToArray<bool>(), shape, device),
            _ => property.Check(source.ToArray<Complex>(), shape, device),
        };
    }

    private static PropertySnippets<InteropInput> Snippets(string name, string device) => new(
        input => $"""
            long[] shape = {PropertyCode.CSharpShape(input.Shape)};
            var source = torch.tensor({PropertyCode.CSharpArray(input.Values)}).to({PropertyCode.CSharpDType(input.DType)});
            // the property '{name}' on source.ToArray<T>() with this shape through {device}: see InteropProperties
            """,
        input => $"""
            import numpy as np, torch, tempfile, os
            a = torch.tensor({PropertyCode.PythonList(input.Values)}, dtype=torch.float64).to({PropertyCode.PythonDType(input.DType)}).reshape({PropertyCode.PythonShape(input.Shape)})
            n = a.numpy() if a.dtype != torch.bfloat16 else None
            t = torch.from_numpy(n) if n is not None else a   # aliases n
            assert torch.equal(t.to('{device}').cpu().view(torch.uint8) if t.numel() else t, t.view(torch.uint8) if t.numel() else t)
            path = os.path.join(tempfile.mkdtemp(), 'x.npy')
            if n is not None:
                np.save(path, n); m = np.load(path); assert m.dtype == n.dtype and m.shape == n.shape and m.tobytes() == n.tobytes()
            """);
}
