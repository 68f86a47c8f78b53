namespace TorchFacade.Examples;

/// <summary>Base class of the ported snippets: the name, and the Python source and expected output read from the embedded files.</summary>
public abstract class Example : IExample
{
    /// <summary>Creates the example.</summary>
    /// <param name="name">The folder name under <c>examples/</c>.</param>
    protected Example(string name) => Name = name;

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public string PythonSourcePath => $"examples/{Name}/snippet.py";

    /// <inheritdoc />
    public string PythonSource => ExampleResources.Read($"{Name}/snippet.py")
        ?? throw new InvalidOperationException($"The Python source of example {Name} is not embedded; check examples/{Name}/snippet.py.");

    /// <inheritdoc />
    public string? ExpectedOutput => ExampleResources.Read($"{Name}/expected-output.txt");

    /// <inheritdoc />
    public abstract void Run(TextWriter output);
}
