using System.Reflection;

namespace TorchFacade.Examples;

/// <summary>Reads the files embedded from the example folders (<c>snippet.py</c>, <c>expected-output.txt</c>).</summary>
internal static class ExampleResources
{
    public static string? Read(string logicalName)
    {
        using Stream? stream = typeof(ExampleResources).Assembly.GetManifestResourceStream(logicalName);
        if (stream is null)
        {
            return null;
        }

        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Replace("\r\n", "\n", StringComparison.Ordinal);
    }
}
