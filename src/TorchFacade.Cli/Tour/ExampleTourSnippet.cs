using TorchFacade.Examples;

namespace TorchFacade.Cli.Tour;

/// <summary>A ported snippet of <c>examples/</c> (<see cref="IExample"/>) as a tour stop.</summary>
/// <param name="example">The example.</param>
internal sealed class ExampleTourSnippet(IExample example) : ITourSnippet
{
    /// <inheritdoc />
    public string Name => example.Name;

    /// <inheritdoc />
    public string PythonSource => example.PythonSourcePath;

    /// <inheritdoc />
    public string? ExpectedOutput => example.ExpectedOutput;

    /// <inheritdoc />
    public string? ReadPythonSource() => example.PythonSource;

    /// <inheritdoc />
    public void Run(TextWriter output) => example.Run(output);
}
