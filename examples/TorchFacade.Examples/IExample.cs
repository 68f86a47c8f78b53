namespace TorchFacade.Examples;

/// <summary>One Python snippet of the seed notes, ported to C#.</summary>
public interface IExample
{
    /// <summary>The example's folder name under <c>examples/</c>, e.g. <c>01-autograd-mean-grad</c>.</summary>
    string Name { get; }

    /// <summary>The Python source's path relative to the repository root, e.g. <c>examples/01-autograd-mean-grad/snippet.py</c>.</summary>
    string PythonSourcePath { get; }

    /// <summary>The Python source, verbatim from the notes (embedded in this assembly).</summary>
    string PythonSource { get; }

    /// <summary>
    /// What the snippet prints under PyTorch, derived by hand from PyTorch's semantics (<c>expected-output.txt</c>), or
    /// <see langword="null"/> when the snippet prints nothing.
    /// </summary>
    string? ExpectedOutput { get; }

    /// <summary>Runs the port, writing what the Python snippet would print.</summary>
    /// <param name="output">Where to print (the console in the example's own project).</param>
    void Run(TextWriter output);
}
