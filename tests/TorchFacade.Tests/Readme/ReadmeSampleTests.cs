using FluentAssertions;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace TorchFacade.Tests.Readme;

/// <summary>
/// The README's C# sample is this file's <see cref="Sample"/> body, character for character (between the markers):
/// the test fails when either drifts, and the sample's claims are asserted on its output.
/// </summary>
public class ReadmeSampleTests
{
    [Fact]
    public void ReadmeShowsThisFilesSample()
    {
        string root = RepoRoot();
        string readme = File.ReadAllText(Path.Combine(root, "README.md"));
        string source = File.ReadAllText(Path.Combine(root, "tests", "TorchFacade.Tests", "Readme", "ReadmeSampleTests.cs"));

        string sample = Between(source, "// README-SAMPLE-BEGIN\n", "        // README-SAMPLE-END");
        string unindented = string.Join('\n', sample.TrimEnd().Split('\n').Select(l => l.Length >= 8 ? l[8..] : l.TrimStart()));

        readme.Should().Contain("```csharp\nusing TorchFacade;\nusing static TorchSharp.torch;\n\n" + unindented + "\n```");
    }

    [Fact]
    public void SamplePrintsWhatTheReadmeSays()
    {
        var output = new StringWriter { NewLine = "\n" };
        Sample(output);

        output.ToString().Should().Be(
            "tensor([[4.5000, 4.5000],\n        [4.5000, 4.5000]])\nAddBackward1\nFalse\nTrue\n7\n");
    }

    private static void Sample(TextWriter Console)
    {
        using var scope = torch.NewDisposeScope();
        // README-SAMPLE-BEGIN
        var x = ones(2, 2).requires_grad_(true);
        var y = x + 2;
        var z = y * y * 3;
        var @out = z.mean();
        @out.Backward();
        Console.WriteLine(x.Grad!.ToPyTorchString()); // tensor([[4.5000, 4.5000], [4.5000, 4.5000]])
        Console.WriteLine(y.GradFn!.Name);            // AddBackward1: TorchSharp calls the scalar overload (Python: AddBackward0)
        using (Torch.NoGrad())
        {
            var w = x * 2;
            Console.WriteLine(w.RequiresGrad);        // False
        }
        var v = x.View(4);
        Console.WriteLine(v.SharesStorageWith(x));    // True
        Span<float> a = x.Detach().AsSpan<float>();   // zero-copy over x's memory
        a[0] = 7;
        Console.WriteLine(x[0, 0].Item<float>());     // 7
        // README-SAMPLE-END
    }

    private static string Between(string text, string start, string end)
    {
        int from = text.IndexOf(start, StringComparison.Ordinal) + start.Length;
        return text[from..text.IndexOf(end, from, StringComparison.Ordinal)];
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "TorchFacade.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("TorchFacade.sln not found above " + AppContext.BaseDirectory);
    }
}
