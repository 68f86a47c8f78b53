namespace TorchFacade.Conformance;

/// <summary>Writes a report's files into a folder: <c>report.md</c> and <c>report.json</c>.</summary>
public static class ReportFiles
{
    /// <summary>The Markdown report's file name.</summary>
    public const string MarkdownFileName = "report.md";

    /// <summary>The JSON report's file name.</summary>
    public const string JsonFileName = "report.json";

    /// <summary>Writes <c>report.md</c> and <c>report.json</c> into <paramref name="directory"/>, creating it if needed.</summary>
    /// <param name="report">The report.</param>
    /// <param name="directory">The folder (relative paths are relative to the current directory).</param>
    /// <returns>The full paths of the two files, Markdown first.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="directory"/> is empty.</exception>
    /// <exception cref="IOException">The folder or a file cannot be written.</exception>
    /// <exception cref="UnauthorizedAccessException">The folder or a file is not writable by this user.</exception>
    public static IReadOnlyList<string> Write(ConformanceReport report, string directory)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        string full = Path.GetFullPath(directory);
        Directory.CreateDirectory(full);
        string markdown = Path.Combine(full, MarkdownFileName);
        string json = Path.Combine(full, JsonFileName);
        using (var writer = new StreamWriter(markdown, append: false, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false)))
        {
            MarkdownReportWriter.Write(report, writer);
        }

        using (var stream = File.Create(json))
        {
            JsonReportWriter.Write(report, stream);
        }

        return [markdown, json];
    }
}
