using System.Collections.Concurrent;

namespace TorchFacade;

/// <summary>
/// The names of nodes made by <c>AutogradFunction</c>: LibTorch knows them only as TorchSharp's
/// <c>CSharpNode</c>, PyTorch names them after the function class (<c>LegendrePolynomial3Backward</c>). Keyed by the
/// node's address; an entry is replaced when a later node reuses the address, and removed when the function's node is
/// released.
/// </summary>
internal static class CustomNodeNames
{
    private static readonly ConcurrentDictionary<IntPtr, string> Names = new();

    /// <summary>Whether any custom node exists (lets <see cref="GradFnNative.NameOf"/> skip the lookup).</summary>
    private static volatile bool any;

    /// <summary>Records the name of a node.</summary>
    internal static void Set(IntPtr node, string name)
    {
        Names[node] = name;
        any = true;
    }

    /// <summary>Forgets a node that was released.</summary>
    internal static void Remove(IntPtr node) => Names.TryRemove(node, out _);

    /// <summary>The custom name of a node, if it has one.</summary>
    internal static bool TryGet(IntPtr node, out string? name)
    {
        if (!any)
        {
            name = null;
            return false;
        }

        return Names.TryGetValue(node, out name);
    }
}
