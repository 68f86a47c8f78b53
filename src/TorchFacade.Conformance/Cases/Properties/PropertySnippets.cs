namespace TorchFacade.Conformance.Cases.Properties;

/// <summary>How a property writes one of its inputs as code that reproduces it: a C# snippet and a Python (PyTorch) snippet.</summary>
/// <typeparam name="T">The property's input.</typeparam>
/// <param name="CSharp">The input as C# statements (run in tests/TorchFacade.Conformance.Tests, which sees the suite's internals).</param>
/// <param name="Python">The input as a PyTorch 2.x script (the truth the property stands for).</param>
internal sealed record PropertySnippets<T>(Func<T, string> CSharp, Func<T, string> Python);
