namespace TorchFacade;

/// <summary>The globals a weights-only load interprets (the ones <c>torch.load(weights_only=True)</c> allows).</summary>
internal enum PickleGlobalKind
{
    /// <summary><c>collections.OrderedDict</c>.</summary>
    OrderedDict,

    /// <summary><c>collections.Counter</c> (loads as a dictionary).</summary>
    Counter,

    /// <summary><c>torch.Size</c>.</summary>
    Size,

    /// <summary><c>builtins.set</c>.</summary>
    Set,

    /// <summary><c>builtins.complex</c>.</summary>
    Complex,

    /// <summary><c>builtins.bytearray</c>.</summary>
    ByteArray,

    /// <summary><c>_codecs.encode</c> (how protocol 2 pickles <c>bytes</c>).</summary>
    Encode,

    /// <summary><c>torch.device</c>.</summary>
    Device,

    /// <summary>A dtype such as <c>torch.float32</c>.</summary>
    DType,

    /// <summary>A storage class (<c>torch.FloatStorage</c>, <c>torch.storage.UntypedStorage</c>).</summary>
    Storage,

    /// <summary><c>torch.Tensor</c>.</summary>
    TensorType,

    /// <summary><c>torch.nn.parameter.Parameter</c>.</summary>
    ParameterType,

    /// <summary><c>torch._utils._rebuild_tensor</c>.</summary>
    RebuildTensor,

    /// <summary><c>torch._utils._rebuild_tensor_v2</c>.</summary>
    RebuildTensorV2,

    /// <summary><c>torch._utils._rebuild_tensor_v3</c> (dtypes without a legacy storage class).</summary>
    RebuildTensorV3,

    /// <summary><c>torch._utils._rebuild_parameter</c>.</summary>
    RebuildParameter,

    /// <summary><c>torch._utils._rebuild_parameter_with_state</c>.</summary>
    RebuildParameterWithState,

    /// <summary><c>torch._utils._rebuild_device_tensor_from_cpu_tensor</c>.</summary>
    RebuildDeviceTensorFromCpu,

    /// <summary><c>torch._tensor._rebuild_from_type_v2</c>.</summary>
    RebuildFromTypeV2,

    /// <summary><c>torch.serialization._get_layout</c> (its result, a layout, is a marker of this kind with the layout's name as value).</summary>
    GetLayout,

    /// <summary><c>torch._utils._rebuild_sparse_tensor</c> (sparse COO; the compressed layouts are refused).</summary>
    RebuildSparseTensor,

    /// <summary><c>torch._utils._rebuild_meta_tensor_no_storage</c>.</summary>
    RebuildMetaTensor,

    /// <summary>Allowed by PyTorch but not rebuilt by TorchFacade (quantized, sparse CSR/CSC/BSR/BSC, nested tensors, legacy tensor classes).</summary>
    Unsupported,
}
