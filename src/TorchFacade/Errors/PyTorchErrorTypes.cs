namespace TorchFacade;

/// <summary>The Python exception classes PyTorch raises, as <see cref="TorchException.PyTorchType"/> names them.</summary>
public static class PyTorchErrorTypes
{
    /// <summary><c>RuntimeError</c>: LibTorch's <c>c10::Error</c> (<c>TORCH_CHECK</c>), the default kind.</summary>
    public const string RuntimeError = nameof(RuntimeError);

    /// <summary><c>ValueError</c>: LibTorch's <c>c10::ValueError</c> (<c>TORCH_CHECK_VALUE</c>) and Python-side argument checks.</summary>
    public const string ValueError = nameof(ValueError);

    /// <summary><c>IndexError</c>: LibTorch's <c>c10::IndexError</c> (<c>TORCH_CHECK_INDEX</c>): a dimension or index out of range.</summary>
    public const string IndexError = nameof(IndexError);

    /// <summary><c>TypeError</c>: LibTorch's <c>c10::TypeError</c> (<c>TORCH_CHECK_TYPE</c>) and wrong argument types.</summary>
    public const string TypeError = nameof(TypeError);

    /// <summary><c>NotImplementedError</c>: LibTorch's <c>c10::NotImplementedError</c>: no kernel for this dtype, layout or backend.</summary>
    public const string NotImplementedError = nameof(NotImplementedError);

    /// <summary><c>OverflowError</c>: Python's own error for <c>int(x.item())</c> of an infinite value (no LibTorch kind).</summary>
    public const string OverflowError = nameof(OverflowError);
}
