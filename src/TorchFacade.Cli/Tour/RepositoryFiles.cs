namespace TorchFacade.Cli.Tour;

/// <summary>Finds files of the repository (the folder holding <c>TorchFacade.sln</c>) from the current or the program's folder.</summary>
internal static class RepositoryFiles
{
    /// <summary>The text of <paramref name="relativePath"/> under the repository root, or <see langword="null"/> when not found.</summary>
    /// <param name="relativePath">A path relative to the repository root.</param>
    /// <returns>The text, or <see langword="null"/>.</returns>
    public static string? TryRead(string relativePath)
    {
        foreach (string start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (DirectoryInfo? dir = new(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "TorchFacade.sln")))
                {
                    string path = Path.Combine(dir.FullName, relativePath);
                    return File.Exists(path) ? File.ReadAllText(path) : null;
                }
            }
        }

        return null;
    }
}
