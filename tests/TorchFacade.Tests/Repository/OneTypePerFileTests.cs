using System.Text.RegularExpressions;
using FluentAssertions;
using Xunit;

namespace TorchFacade.Tests.Repository;

/// <summary>
/// One type per file, named after it, across src/: every .cs file declares at most one top-level type (nested types
/// are free), and the file's name up to its first dot is that type's name (<c>Torch.Interop.cs</c> holds a part of
/// <c>Torch</c>, <c>Simd256.cs</c> holds <c>Simd256&lt;T&gt;</c>). Files are read as text: the sources use file-scoped
/// namespaces, so a top-level declaration starts at column 0.
/// </summary>
public sealed partial class OneTypePerFileTests
{
    [Fact]
    public void EverySourceFileDeclaresOneTopLevelTypeNamedAfterIt()
    {
        string root = RepoRoot();
        var problems = new List<string>();
        int files = 0;
        foreach (string path in Directory.EnumerateFiles(Path.Combine(root, "src"), "*.cs", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(root, path).Replace('\\', '/');
            if (relative.Contains("/obj/", StringComparison.Ordinal) || relative.Contains("/bin/", StringComparison.Ordinal))
            {
                continue;
            }

            files++;
            string[] types = TopLevelTypes(File.ReadAllText(path)).Distinct().ToArray();
            string expected = Path.GetFileName(path).Split('.')[0];
            if (types.Length > 1 || (types.Length == 1 && types[0] != expected))
            {
                problems.Add($"{relative}: [{string.Join(", ", types)}]");
            }
        }

        files.Should().BeGreaterThan(100, "the scan must reach the sources");
        problems.Should().BeEmpty("each type goes in a file of its own name (split the file or rename it)");
    }

    [Fact]
    public void TheScanFindsTypesOfEveryKindAndSkipsNestedOnes()
    {
        const string source = """
            namespace N;

            /// <summary>Doc.</summary>
            [Obsolete]
            public sealed partial class A<T> : B
            {
                private sealed class Nested;
            }

            internal delegate void D<T>(ReadOnlySpan<T> x);

            public sealed record R(int X);

            internal readonly unsafe struct S(int v) : I;

            public interface I;

            public enum E
            {
                One,
            }
            """;
        TopLevelTypes(source).Should().Equal("A", "D", "R", "S", "I", "E");
    }

    private static IEnumerable<string> TopLevelTypes(string source) =>
        Declaration().Matches(source).Select(m => m.Groups["type"].Success ? m.Groups["type"].Value : m.Groups["delegate"].Value);

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "TorchFacade.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("TorchFacade.sln not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"^(?:(?:public|internal|file|private|protected|sealed|static|abstract|readonly|partial|ref|unsafe|new)\s+)*(?:(?:record\s+(?:class\s+|struct\s+)?|class\s+|struct\s+|interface\s+|enum\s+)(?<type>\w+)|delegate\s+[^(]*?\s(?<delegate>\w+)\s*(?:<[^>]*>)?\s*\()", RegexOptions.Multiline)]
    private static partial Regex Declaration();
}
