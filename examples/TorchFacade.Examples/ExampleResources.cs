using System.Reflection;

namespace TorchFacade.Examples;

/// <summary>Reads the files embedded from the example folders (<c>snippet.py</c>, <c>expected-output.txt</c>, checkpoints <c>*.pt</c>).</summary>
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

    /// <summary>An embedded binary file (a checkpoint), or null.</summary>
    /// <param name="logicalName">For example <c>15-resume-pytorch-training/checkpoint.pt</c>.</param>
    /// <returns>Its bytes.</returns>
    public static byte[]? ReadBytes(string logicalName)
    {
        using Stream? stream = typeof(ExampleResources).Assembly.GetManifestResourceStream(logicalName);
        if (stream is null)
        {
            return null;
        }

        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
