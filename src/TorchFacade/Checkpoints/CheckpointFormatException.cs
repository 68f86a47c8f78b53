namespace TorchFacade;

/// <summary>
/// A checkpoint file (<c>.safetensors</c>, a sharded index, or a <c>torch.save</c> zip) is malformed, or holds
/// something a weights-only load refuses (a global other than tensors, storages and plain containers). The message
/// names the file and says what was wrong and what to do; <see cref="Path"/> holds the file alone, <see cref="Problem"/>
/// the description without the path, and <see cref="PyTorchType"/> the exception Python raises for the same file.
/// </summary>
public sealed class CheckpointFormatException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="path">The file (for an archive entry: <c>checkpoint.pt:archive/data.pkl</c>).</param>
    /// <param name="problem">What was wrong, and what to do.</param>
    /// <param name="pyTorchType">The exception type PyTorch or safetensors raises (<c>UnpicklingError</c>, <c>SafetensorError</c>, ...).</param>
    /// <param name="inner">The underlying exception, if any.</param>
    public CheckpointFormatException(string path, string problem, string pyTorchType = "RuntimeError", Exception? inner = null)
        : base($"{path}: {problem}", inner)
    {
        Path = path;
        Problem = problem;
        PyTorchType = pyTorchType;
    }

    /// <summary>The file (or <c>archive:entry</c>) that could not be read.</summary>
    public string Path { get; }

    /// <summary>What was wrong, without the path.</summary>
    public string Problem { get; }

    /// <summary>
    /// The Python exception type PyTorch or safetensors raises for the same input: <c>SafetensorError</c>,
    /// <c>UnpicklingError</c> (what <c>torch.load(weights_only=True)</c> raises for refused globals and bad opcodes),
    /// <c>RuntimeError</c> (zip and storage errors), <c>ValueError</c>.
    /// </summary>
    public string PyTorchType { get; }
}
