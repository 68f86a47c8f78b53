namespace TorchFacade.Cli.Tour;

/// <summary>
/// One Python snippet of the seed notes, ported to C#: <c>torchfacade tour</c> prints its name, the Python source it
/// ports, and what the C# port prints (the same output as the Python program), and checks that output against the
/// expected one when there is one.
/// </summary>
internal interface ITourSnippet
{
    /// <summary>A short name, unique in the tour (e.g. <c>01-autograd-mean-grad</c>).</summary>
    string Name { get; }

    /// <summary>The Python file it ports, relative to the repository root (e.g. <c>examples/01-autograd-mean-grad/snippet.py</c>).</summary>
    string PythonSource { get; }

    /// <summary>What the Python program prints, or <see langword="null"/> when there is nothing to check against.</summary>
    string? ExpectedOutput => null;

    /// <summary>The Python program's text; by default read from <see cref="PythonSource"/> in the repository.</summary>
    /// <returns>The text, or <see langword="null"/> when it cannot be found.</returns>
    string? ReadPythonSource() => RepositoryFiles.TryRead(PythonSource);

    /// <summary>Runs the port, writing exactly what the Python program prints.</summary>
    /// <param name="output">Where to print.</param>
    void Run(TextWriter output);
}
