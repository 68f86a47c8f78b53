namespace TorchFacade;

/// <summary>
/// A <c>.npy</c> or <c>.npz</c> file is malformed or holds something TorchFacade cannot load (an object or
/// structured dtype, an unsigned dtype torch lacks, a truncated body, ...). The message names the file (and the archive
/// entry) and says what was wrong; <see cref="Path"/> holds the file name alone.
/// </summary>
public sealed class NpyFormatException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="path">The file (for an archive entry: <c>archive.npz:entry.npy</c>).</param>
    /// <param name="problem">What was wrong.</param>
    /// <param name="inner">The underlying exception, if any.</param>
    public NpyFormatException(string path, string problem, Exception? inner = null)
        : base($"{path}: {problem}", inner)
    {
        Path = path;
        Problem = problem;
    }

    /// <summary>The file (or <c>archive:entry</c>) that could not be read.</summary>
    public string Path { get; }

    /// <summary>What was wrong, without the path.</summary>
    public string Problem { get; }
}
