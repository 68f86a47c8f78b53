using TorchSharp;

namespace TorchFacade;

/// <summary>
/// Walks LibTorch's autograd graph (through <see cref="AutogradNative"/>) to answer, before LibTorch is asked to
/// differentiate, which inputs a backward pass from some outputs would reach — PyTorch's "appears to not have been used
/// in the graph" check, done where it cannot abort the process.
/// </summary>
internal static unsafe class AutogradGraph
{
    /// <summary>For each input, whether the graph behind <paramref name="outputs"/> reaches its gradient edge.</summary>
    /// <param name="api">The exports.</param>
    /// <param name="outputs">Outputs that require grad.</param>
    /// <param name="inputs">Inputs that require grad.</param>
    internal static bool[] Reached(AutogradNative.Exports api, IReadOnlyList<torch.Tensor> outputs, IReadOnlyList<torch.Tensor> inputs)
    {
        // An input's gradient edge: its grad_fn and output_nr, or for a leaf its AccumulateGrad (matched by the leaf's TensorImpl).
        var leafInputs = new Dictionary<IntPtr, List<int>>();
        var nodeInputs = new Dictionary<(IntPtr Node, uint InputNr), List<int>>();
        var reached = new bool[inputs.Count];
        for (int i = 0; i < inputs.Count; i++)
        {
            (IntPtr node, _) = AutogradNative.GradFnOf(api, inputs[i]);
            if (node == IntPtr.Zero)
            {
                Add(leafInputs, AutogradNative.ImplOf(inputs[i]), i);
            }
            else
            {
                Add(nodeInputs, (node, (uint)api.OutputNr(inputs[i].Handle)), i);
            }
        }

        var visited = new HashSet<IntPtr>();
        var stack = new Stack<IntPtr>();
        foreach (torch.Tensor output in outputs)
        {
            (IntPtr node, _) = AutogradNative.GradFnOf(api, output);
            if (node == IntPtr.Zero)
            {
                Mark(leafInputs, AutogradNative.ImplOf(output), reached);
                continue;
            }

            Mark(nodeInputs, (node, (uint)api.OutputNr(output.Handle)), reached);
            if (visited.Add(node))
            {
                stack.Push(node);
            }
        }

        while (stack.Count > 0)
        {
            IntPtr node = stack.Pop();
            if (AutogradNative.IsAccumulateGrad(api, node))
            {
                Mark(leafInputs, AutogradNative.VariableImplOf(api, node), reached);
                continue;
            }

            (IntPtr first, int count) = AutogradNative.EdgesOf(api, node);
            for (int e = 0; e < count; e++)
            {
                IntPtr edge = first + (e * AutogradNative.EdgeSize);
                IntPtr next = *(IntPtr*)edge;
                if (next == IntPtr.Zero)
                {
                    continue;
                }

                Mark(nodeInputs, (next, *(uint*)(edge + 16)), reached);
                if (visited.Add(next))
                {
                    stack.Push(next);
                }
            }
        }

        GC.KeepAlive(outputs);
        return reached;
    }

    private static void Add<TKey>(Dictionary<TKey, List<int>> map, TKey key, int index)
        where TKey : notnull
    {
        if (!map.TryGetValue(key, out List<int>? list))
        {
            map[key] = list = [];
        }

        list.Add(index);
    }

    private static void Mark<TKey>(Dictionary<TKey, List<int>> map, TKey key, bool[] reached)
        where TKey : notnull
    {
        if (map.TryGetValue(key, out List<int>? list))
        {
            foreach (int i in list)
            {
                reached[i] = true;
            }
        }
    }
}
