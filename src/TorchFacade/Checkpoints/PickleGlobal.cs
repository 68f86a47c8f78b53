namespace TorchFacade;

/// <summary>
/// A global a weights-only pickle may name (<c>GLOBAL module name</c>): only ever a marker the unpickler interprets
/// itself; nothing named by a pickle is looked up, constructed or called.
/// </summary>
/// <param name="Module">The module (<c>torch._utils</c>).</param>
/// <param name="Name">The name (<c>_rebuild_tensor_v2</c>).</param>
/// <param name="Kind">What the unpickler does with it.</param>
/// <param name="Value">For dtypes, the <see cref="TorchSharp.torch.ScalarType"/>; for storage classes, their dtype (null for untyped).</param>
internal sealed record PickleGlobal(string Module, string Name, PickleGlobalKind Kind, object? Value = null)
{
    /// <summary>The global's dotted name.</summary>
    public string FullName => $"{Module}.{Name}";

    /// <summary>How Python prints the object, for messages (<c>&lt;class 'torch.Size'&gt;</c>, <c>&lt;function ...&gt;</c>).</summary>
    public override string ToString() => Kind switch
    {
        PickleGlobalKind.DType => FullName,
        PickleGlobalKind.OrderedDict or PickleGlobalKind.Counter or PickleGlobalKind.Size or PickleGlobalKind.Set or PickleGlobalKind.Complex
            or PickleGlobalKind.ByteArray or PickleGlobalKind.Device or PickleGlobalKind.TensorType or PickleGlobalKind.ParameterType
            or PickleGlobalKind.Storage => $"<class '{FullName}'>",
        _ => $"<function {Name}>",
    };
}
