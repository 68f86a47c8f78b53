using System.Reflection;
using TorchFacade.Conformance;

namespace TorchFacade.Cli.Conform;

/// <summary>
/// <c>--cases-from &lt;assembly&gt;</c>: the cases of every public <see cref="ICaseSource"/> with a parameterless
/// constructor in another assembly, run alongside the catalog (test fixtures, a user's own cases). They are not part of
/// the shipped catalog.
/// </summary>
internal static class ExternalCases
{
    /// <summary>The cases of the <see cref="ICaseSource"/> types in the assembly at <paramref name="path"/>.</summary>
    /// <param name="path">The assembly's path.</param>
    /// <returns>The cases.</returns>
    /// <exception cref="InvalidOperationException">The file cannot be loaded or has no case source.</exception>
    public static IReadOnlyList<ConformanceCase> Load(string path)
    {
        Assembly assembly;
        try
        {
            assembly = Assembly.LoadFrom(Path.GetFullPath(path));
        }
        catch (Exception ex) when (ex is IOException or BadImageFormatException or ArgumentException)
        {
            throw new InvalidOperationException($"--cases-from: cannot load '{path}': {ex.Message}", ex);
        }

        Type?[] types;
        try
        {
            types = assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException ex)
        {
            types = ex.Types;
        }

        var cases = new List<ConformanceCase>();
        foreach (Type type in types.OfType<Type>()
                     .Where(t => typeof(ICaseSource).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false }
                                 && t.GetConstructor(Type.EmptyTypes) is not null)
                     .OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            cases.AddRange(((ICaseSource)Activator.CreateInstance(type)!).Cases());
        }

        return cases.Count > 0 ? cases : throw new InvalidOperationException($"--cases-from: '{path}' has no public ICaseSource with a parameterless constructor");
    }
}
