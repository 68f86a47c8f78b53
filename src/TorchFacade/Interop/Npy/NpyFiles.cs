namespace TorchFacade;

/// <summary>Opening the files the NumPy readers read, with messages that name the member and what the path is.</summary>
internal static class NpyFiles
{
    /// <summary>Opens <paramref name="path"/> for reading, or throws naming a missing file or a directory for what it is.</summary>
    /// <param name="path">The path.</param>
    /// <param name="member">The public member (messages start with it).</param>
    /// <param name="options">File options.</param>
    /// <param name="share">Sharing mode.</param>
    /// <returns>The stream.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    /// <exception cref="FileNotFoundException">No file or directory at <paramref name="path"/>.</exception>
    /// <exception cref="UnauthorizedAccessException"><paramref name="path"/> is a directory.</exception>
    internal static FileStream OpenRead(string path, string member, FileOptions options = FileOptions.None, FileShare share = FileShare.Read)
    {
        CheckFile(path, member);
        return new FileStream(path, FileMode.Open, FileAccess.Read, share, bufferSize: 4096, options);
    }

    /// <summary>Throws unless <paramref name="path"/> names an existing file.</summary>
    /// <param name="path">The path.</param>
    /// <param name="member">The public member.</param>
    internal static void CheckFile(string path, string member)
    {
        TensorChecks.ThrowIfNull(path, member);
        if (Directory.Exists(path))
        {
            throw new UnauthorizedAccessException(
                $"{member}: '{path}' is a directory, not a file (Python: IsADirectoryError). Pass the path of a file inside it.");
        }

        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                $"{member}: no such file: '{path}' (Python: FileNotFoundError). Check the path; relative paths are resolved against "
                + $"the current directory, {Environment.CurrentDirectory}.", path);
        }
    }
}
