namespace TorchFacade.Cli.Tour;

/// <summary>
/// One Python snippet of the seed notes, ported to C#: <c>torchfacade tour</c> prints its name, the Python source it
/// ports, and what the C# port prints (the same output as the Python program).
/// </summary>
public interface ITourSnippet
{
    /// <summary>A short name, unique in the tour (e.g. <c>autograd-worked-example</c>).</summary>
    string Name { get; }

    /// <summary>The Python file it ports, relative to the repository root (e.g. <c>examples/AutogradBasics/autograd_basics.py</c>).</summary>
    string PythonSource { get; }

    /// <summary>Runs the port, writing exactly what the Python program prints.</summary>
    /// <param name="output">Where to print.</param>
    void Run(TextWriter output);
}
