using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using TorchSharp;
using TensorT = TorchSharp.torch.Tensor;

namespace TorchFacade;

public static partial class Torch
{
    /// <summary>
    /// PyTorch's <c>torch.autograd</c>: <see cref="Grad"/>, <see cref="Backward"/>, anomaly detection and a Graphviz
    /// rendering of the graph (<see cref="ToDot"/>), with PyTorch's defaults and errors and no native call that can abort.
    /// </summary>
    public static class Autograd
    {
        /// <summary>
        /// Whether the autograd members that TorchFacade reads through LibTorch's C++ ABI (hooks, <c>RetainGrad</c>,
        /// <c>Version</c>, <c>IsInference</c>, <c>GradFn.NextFunctions</c>) work on this platform (Linux x64); where
        /// <see langword="false"/>, <see cref="NativeGraphUnavailableReason"/> says why and those members raise
        /// <see cref="PlatformNotSupportedException"/>.
        /// </summary>
        public static bool IsNativeGraphSupported => AutogradNative.Api is not null;

        /// <summary>Why <see cref="IsNativeGraphSupported"/> is <see langword="false"/>, or <see langword="null"/> when it is supported.</summary>
        public static string? NativeGraphUnavailableReason => AutogradNative.UnsupportedReason;

        private const string GradScript = """
            def grad(outputs: List[Tensor], inputs: List[Tensor], grad_outputs: List[Tensor], retain_graph: bool, create_graph: bool, allow_unused: bool) -> List[Tensor]:
                gos: List[Optional[Tensor]] = []
                for g in grad_outputs:
                    gos.append(g)
                grads = torch.autograd.grad(outputs, inputs, gos, retain_graph, create_graph, allow_unused)
                result: List[Tensor] = []
                defined: List[bool] = []
                for g in grads:
                    if g is None:
                        result.append(torch.empty([0]))
                        defined.append(False)
                    else:
                        result.append(g)
                        defined.append(True)
                result.append(torch.tensor(defined))
                return result
            """;

        private const string UnusedMessage =
            "One of the differentiated Tensors appears to not have been used in the graph. Set allow_unused=True if this is the desired behavior.";

        /// <summary>
        /// LibTorch's <c>torch::autograd::grad</c> run by TorchScript's interpreter, whose native entry point catches C++
        /// errors (TorchSharp's own <c>THSAutograd_grad</c> has no <c>try</c>: any error there aborts the process).
        /// </summary>
        private static readonly Lazy<torch.jit.CompilationUnit> GradUnit =
            new(() => torch.jit.compile(GradScript + "\n"), LazyThreadSafetyMode.ExecutionAndPublication);

        /// <summary>
        /// PyTorch's <c>torch.autograd.is_anomaly_enabled()</c>: whether <see cref="DetectAnomaly"/> is in force
        /// (LibTorch's anomaly mode is process-wide).
        /// </summary>
        public static bool IsAnomalyEnabled
        {
            get
            {
                NativeRuntime.EnsureAvailable();
                return AnomalyMode.IsEnabled;
            }
        }

        /// <summary>
        /// PyTorch's <c>with torch.autograd.detect_anomaly(check_nan=True):</c> — while the scope is open, a backward
        /// function that returns NaN raises ("Function 'SqrtBackward0' returned nan values in its 0th output.") instead
        /// of letting NaN flow into the gradients. Slows backward down; for debugging only.
        /// </summary>
        /// <param name="checkNan">Raise on NaN gradients (PyTorch's <c>check_nan</c>).</param>
        /// <returns>The scope; disposing it restores the previous anomaly mode.</returns>
        public static GradModeScope DetectAnomaly(bool checkNan = true)
        {
            NativeRuntime.EnsureAvailable();
            AnomalyMode guard = torch.autograd.detect_anomaly(checkNan);
            return new GradModeScope(checkNan ? "DetectAnomaly" : "DetectAnomaly(checkNan: false)", guard.Dispose);
        }

        /// <summary>
        /// PyTorch's <c>torch.autograd.grad</c>: the gradients of <paramref name="outputs"/> with respect to
        /// <paramref name="inputs"/>, returned (not accumulated into <c>Grad</c>).
        /// </summary>
        /// <param name="outputs">The differentiated outputs.</param>
        /// <param name="inputs">The tensors to differentiate with respect to (leaves or not).</param>
        /// <param name="gradOutputs">The vector of the vector-Jacobian product, one per output; <see langword="null"/>
        /// entries (or the whole list) mean ones for one-element outputs.</param>
        /// <param name="retainGraph">Keep the graph for another backward pass; defaults to <paramref name="createGraph"/>, as in PyTorch.</param>
        /// <param name="createGraph">Record the gradient computation, so the results can be differentiated again (higher-order gradients, gradient penalties).</param>
        /// <param name="allowUnused">Return <see langword="null"/> for an input the outputs do not depend on instead of raising.</param>
        /// <param name="materializeGrads">Return zeros instead of <see langword="null"/> for such inputs (implies <paramref name="allowUnused"/>).</param>
        /// <returns>One gradient per input (<see langword="null"/> only with <paramref name="allowUnused"/> and without <paramref name="materializeGrads"/>).</returns>
        /// <exception cref="ArgumentNullException">A list or a tensor in it is null.</exception>
        /// <exception cref="ObjectDisposedException">A tensor was disposed.</exception>
        /// <exception cref="TorchException">
        /// PyTorch's <c>RuntimeError</c>s, with its text: an output does not require grad ("element 0 of tensors does not
        /// require grad and does not have a grad_fn"), an input does not require grad ("One of the differentiated
        /// Tensors does not require grad"), an input is unused without <paramref name="allowUnused"/> ("One of the
        /// differentiated Tensors appears to not have been used in the graph. Set allow_unused=True if this is the
        /// desired behavior."), a missing gradient for a non-scalar output ("grad can be implicitly created only for
        /// scalar outputs"), or an error LibTorch raises while differentiating (a freed graph, a NaN under
        /// <see cref="DetectAnomaly"/>, ...).
        /// </exception>
        /// <exception cref="ShapeMismatchException">A gradient's shape differs from its output's ("Mismatch in shape: ...").</exception>
        /// <exception cref="PlatformNotSupportedException">Not on Linux x64 (the unused-input check walks the graph through LibTorch's C++ ABI).</exception>
        public static TensorT?[] Grad(
            IReadOnlyList<TensorT> outputs,
            IReadOnlyList<TensorT> inputs,
            IReadOnlyList<TensorT?>? gradOutputs = null,
            bool? retainGraph = null,
            bool createGraph = false,
            bool allowUnused = false,
            bool materializeGrads = false)
        {
            TensorChecks.ThrowIfNull(outputs, nameof(Grad));
            TensorChecks.ThrowIfNull(inputs, nameof(Grad));
            AutogradNative.Exports api = AutogradNative.Require("Torch.Autograd.Grad");
            allowUnused |= materializeGrads;
            CheckTensors(outputs, nameof(outputs), "Grad");
            CheckTensors(inputs, nameof(inputs), "Grad");
            CheckOutputsRequireGrad(outputs, "Grad");
            for (int i = 0; i < inputs.Count; i++)
            {
                if (!NativeTensor.RequiresGradOf(inputs[i]))
                {
                    throw LibTorchErrors.Raise(
                        PyTorchErrorTypes.RuntimeError, "Grad", "One of the differentiated Tensors does not require grad",
                        $"(inputs[{i}]) Set RequiresGrad = true on it before computing the outputs from it.");
                }
            }

            TensorT[] grads = MakeGrads(outputs, gradOutputs, "Grad", out List<TensorT> created);
            bool[] reached = AutogradGraph.Reached(api, outputs, inputs);
            int unused = Array.IndexOf(reached, false);
            if (unused >= 0 && !allowUnused)
            {
                DisposeAll(created);
                throw LibTorchErrors.Raise(
                    PyTorchErrorTypes.RuntimeError, "Grad", UnusedMessage,
                    $"(inputs[{unused}] is not reached from the outputs; in C#: allowUnused: true.)");
            }

            var usedInputs = new List<TensorT>(inputs.Count);
            for (int i = 0; i < inputs.Count; i++)
            {
                if (reached[i])
                {
                    usedInputs.Add(inputs[i]);
                }
            }

            var result = new TensorT?[inputs.Count];
            try
            {
                if (usedInputs.Count > 0)
                {
                    bool retain = retainGraph ?? createGraph;
                    object raw;
                    using HookErrors.CaptureScope errors = HookErrors.Capture();
                    try
                    {
                        raw = GradUnit.Value.invoke("grad", outputs.ToArray(), usedInputs.ToArray(), grads, retain, createGraph, allowUnused);
                    }
                    catch (ExternalException ex)
                    {
                        HookErrors.ThrowPending();
                        throw Translate("Grad", ex);
                    }

                    HookErrors.ThrowPending();
                    TensorT[] values = raw as TensorT[] ?? ((IEnumerable<TensorT>)raw).ToArray();
                    using TensorT defined = values[^1];
                    bool[] isDefined = defined.data<bool>().ToArray();
                    int k = 0;
                    for (int i = 0; i < inputs.Count; i++)
                    {
                        if (!reached[i])
                        {
                            continue;
                        }

                        if (isDefined[k])
                        {
                            result[i] = values[k];
                        }
                        else
                        {
                            values[k].Dispose();
                        }

                        k++;
                    }
                }
            }
            finally
            {
                DisposeAll(created);
            }

            if (materializeGrads)
            {
                for (int i = 0; i < inputs.Count; i++)
                {
                    result[i] ??= torch.zeros_like(inputs[i]);
                }
            }

            return result;
        }

        /// <summary>
        /// PyTorch's <c>torch.autograd.backward</c>: accumulates the gradients of <paramref name="tensors"/> into the
        /// <c>Grad</c> of the leaves (or only of <paramref name="inputs"/>).
        /// </summary>
        /// <param name="tensors">The tensors to differentiate (losses).</param>
        /// <param name="gradTensors">One gradient per tensor; <see langword="null"/> entries (or the whole list) mean ones for one-element tensors.</param>
        /// <param name="retainGraph">Keep the graph for another backward pass; defaults to <paramref name="createGraph"/>.</param>
        /// <param name="createGraph">Record the gradient computation (for higher-order gradients).</param>
        /// <param name="inputs">Accumulate only into these tensors' <c>Grad</c> (a non-leaf among them retains its gradient, as in PyTorch).</param>
        /// <exception cref="ArgumentNullException">A list or a tensor in it is null.</exception>
        /// <exception cref="ObjectDisposedException">A tensor was disposed.</exception>
        /// <exception cref="TorchException">PyTorch's <c>RuntimeError</c>s with its text (see <see cref="Grad"/>;
        /// an empty <paramref name="inputs"/>: "`inputs` argument to `backward()` cannot be empty.").</exception>
        /// <exception cref="ShapeMismatchException">A gradient's shape differs from its tensor's.</exception>
        public static void Backward(
            IReadOnlyList<TensorT> tensors,
            IReadOnlyList<TensorT?>? gradTensors = null,
            bool? retainGraph = null,
            bool createGraph = false,
            IReadOnlyList<TensorT>? inputs = null)
        {
            TensorChecks.ThrowIfNull(tensors, nameof(Backward));
            NativeRuntime.EnsureAvailable();
            CheckTensors(tensors, nameof(tensors), "Backward");
            if (inputs is not null)
            {
                if (inputs.Count == 0)
                {
                    throw LibTorchErrors.Raise(
                        PyTorchErrorTypes.RuntimeError, "Backward", "`inputs` argument to `backward()` cannot be empty.",
                        "Pass null to accumulate into every leaf.");
                }

                CheckTensors(inputs, nameof(inputs), "Backward");
                foreach (TensorT input in inputs)
                {
                    if (!NativeTensor.RequiresGradOf(input))
                    {
                        throw LibTorchErrors.Raise(
                            PyTorchErrorTypes.RuntimeError, "Backward", "can't retain_grad on Tensor that has requires_grad=False",
                            "(one of `inputs` does not require grad.)");
                    }
                }
            }

            CheckOutputsRequireGrad(tensors, "Backward");
            TensorT[] grads = MakeGrads(tensors, gradTensors, "Backward", out List<TensorT> created);
            using HookErrors.CaptureScope errors = HookErrors.Capture();
            try
            {
                torch.autograd.backward([.. tensors], grads, retainGraph ?? createGraph, createGraph, inputs is null ? null : [.. inputs]);
            }
            catch (ExternalException ex)
            {
                HookErrors.ThrowPending();
                throw Translate("Backward", ex);
            }
            finally
            {
                DisposeAll(created);
            }

            HookErrors.ThrowPending();
        }

        /// <summary>
        /// The autograd graph behind <paramref name="output"/> in Graphviz DOT, as torchviz's <c>make_dot(output)</c>
        /// draws it: the output (green) and each leaf (blue) labelled with its shape (<c>(2, 3)</c>), one box per node
        /// labelled with its name (<c>MulBackward0</c>, <c>AccumulateGrad</c>), edges in the direction gradients are
        /// computed from. Render it with Graphviz: <c>dot -Tsvg graph.dot -o graph.svg</c>.
        /// </summary>
        /// <param name="output">The tensor whose graph to draw.</param>
        /// <returns>The DOT text.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="output"/> is null.</exception>
        /// <exception cref="ObjectDisposedException"><paramref name="output"/> was disposed.</exception>
        /// <exception cref="PlatformNotSupportedException">Not on Linux x64.</exception>
        public static string ToDot(TensorT output)
        {
            TensorChecks.ThrowIfNull(output, "Torch.Autograd.ToDot");
            TensorChecks.ThrowIfDisposed(output, nameof(ToDot));
            AutogradNative.Exports api = AutogradNative.Require("Torch.Autograd.ToDot");
            var dot = new StringBuilder();
            dot.Append("digraph {\n\tgraph [size=\"12,12\"]\n");
            dot.Append("\tnode [align=left fontname=monospace fontsize=10 height=0.2 ranksep=0.1 shape=box style=filled]\n");
            var seen = new HashSet<IntPtr>();
            IntPtr outputId = AutogradNative.ImplOf(output);
            seen.Add(outputId);
            Node(dot, outputId, VariableLabel(NativeTensor.ShapeOf(output)), "darkolivegreen1");
            GradFn? root = output.GradFn;
            if (root is not null)
            {
                AddNodes(api, dot, root, seen);
                Edge(dot, root.Node, outputId);
            }

            dot.Append("}\n");
            GC.KeepAlive(output);
            return dot.ToString();
        }

        private static void AddNodes(AutogradNative.Exports api, StringBuilder dot, GradFn fn, HashSet<IntPtr> seen)
        {
            if (!seen.Add(fn.Node))
            {
                return;
            }

            if (AutogradNative.IsAccumulateGrad(api, fn.Node))
            {
                IntPtr variable = AutogradNative.VariableImplOf(api, fn.Node);
                using TensorT? leaf = fn.Variable;
                seen.Add(variable);
                Node(dot, variable, VariableLabel(leaf is null ? [] : NativeTensor.ShapeOf(leaf)), "lightblue");
                Edge(dot, variable, fn.Node);
            }

            Node(dot, fn.Node, fn.Name ?? "grad_fn", null);
            foreach (GradEdge edge in fn.NextFunctions)
            {
                if (edge.Function is { } next)
                {
                    Edge(dot, next.Node, fn.Node);
                    AddNodes(api, dot, next, seen);
                }
            }
        }

        private static string VariableLabel(long[] shape) =>
            "\n (" + string.Join(", ", shape.Select(s => s.ToString(CultureInfo.InvariantCulture))) + ")";

        private static void Node(StringBuilder dot, IntPtr id, string label, string? fillColor)
        {
            dot.Append('\t').Append(((long)id).ToString(CultureInfo.InvariantCulture)).Append(" [label=").Append(Quote(label));
            if (fillColor is not null)
            {
                dot.Append(" fillcolor=").Append(fillColor);
            }

            dot.Append("]\n");
        }

        private static void Edge(StringBuilder dot, IntPtr from, IntPtr to) =>
            dot.Append('\t').Append(((long)from).ToString(CultureInfo.InvariantCulture)).Append(" -> ")
                .Append(((long)to).ToString(CultureInfo.InvariantCulture)).Append('\n');

        /// <summary>Graphviz's quoting (as Python's <c>graphviz</c> package does): plain identifiers stay bare.</summary>
        private static string Quote(string label)
        {
            bool plain = label.Length > 0 && (char.IsAsciiLetter(label[0]) || label[0] == '_')
                && label.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
            return plain ? label : "\"" + label.Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
        }

        private static void CheckTensors(IReadOnlyList<TensorT> tensors, string name, string member)
        {
            for (int i = 0; i < tensors.Count; i++)
            {
                if (tensors[i] is null)
                {
                    throw new ArgumentNullException(name, $"{member}: {name}[{i}] is null.");
                }

                TensorChecks.ThrowIfDisposed(tensors[i], member);
            }
        }

        private static void CheckOutputsRequireGrad(IReadOnlyList<TensorT> outputs, string member)
        {
            for (int i = 0; i < outputs.Count; i++)
            {
                if (!NativeTensor.RequiresGradOf(outputs[i]))
                {
                    throw LibTorchErrors.Raise(
                        PyTorchErrorTypes.RuntimeError, member, $"element {i} of tensors does not require grad and does not have a grad_fn",
                        "It was not computed from any tensor with RequiresGrad = true, or it was computed under Torch.NoGrad()/InferenceMode().");
                }
            }
        }

        /// <summary>PyTorch's <c>_make_grads</c>: ones for one-element outputs without a gradient, shapes checked exactly.</summary>
        private static TensorT[] MakeGrads(IReadOnlyList<TensorT> outputs, IReadOnlyList<TensorT?>? given, string member, out List<TensorT> created)
        {
            created = [];
            if (given is not null && given.Count < outputs.Count)
            {
                throw LibTorchErrors.Raise(
                    PyTorchErrorTypes.RuntimeError, member, $"got {outputs.Count} tensors and {given.Count} gradients",
                    "Pass one gradient per output (null for a one-element output).");
            }

            var grads = new TensorT[outputs.Count];
            for (int i = 0; i < outputs.Count; i++)
            {
                TensorT? g = given?[i];
                if (g is null)
                {
                    if (NativeTensor.NumelOf(outputs[i]) != 1)
                    {
                        DisposeAll(created);
                        throw LibTorchErrors.Raise(
                            PyTorchErrorTypes.RuntimeError, member, "grad can be implicitly created only for scalar outputs",
                            $"Output {i} has shape {TensorChecks.Format(NativeTensor.ShapeOf(outputs[i]))}; pass its gradient, a tensor of the same shape.");
                    }

                    g = torch.ones_like(outputs[i]);
                    created.Add(g);
                }
                else
                {
                    TensorChecks.ThrowIfDisposed(g, member);
                    long[] outputShape = NativeTensor.ShapeOf(outputs[i]);
                    long[] gradShape = NativeTensor.ShapeOf(g);
                    if (!outputShape.AsSpan().SequenceEqual(gradShape))
                    {
                        DisposeAll(created);
                        int dim = outputShape.Length != gradShape.Length ? -1 : outputShape.AsSpan().CommonPrefixLength(gradShape);
                        throw new ShapeMismatchException(
                            $"{member}: Mismatch in shape: grad_output[{i}] has a shape of {TorchSize(gradShape)} and output[{i}] has a shape of "
                            + $"{TorchSize(outputShape)}.",
                            outputShape, gradShape, dim);
                    }
                }

                grads[i] = g;
            }

            return grads;
        }

        private static string TorchSize(long[] shape) =>
            "torch.Size([" + string.Join(", ", shape.Select(s => s.ToString(CultureInfo.InvariantCulture))) + "])";

        private static TorchException Translate(string member, ExternalException ex)
        {
            string message = ex.Message;
            if (message.Contains("TorchScript interpreter", StringComparison.Ordinal) && LastRuntimeError(message) is { } inner)
            {
                // The error LibTorch raised inside the interpreter, without the interpreter's own report around it.
                message = inner;
            }

            string? hint = message.Contains("a second time", StringComparison.Ordinal)
                ? " In C#: pass retainGraph: true (or createGraph: true) to every call except the last one over the same graph."
                : null;
            return LibTorchErrors.Translate(new ExternalException(message, ex), member, hint);
        }

        /// <summary>The <c>RuntimeError: ...</c> line of a TorchScript interpreter error, without the prefix.</summary>
        private static string? LastRuntimeError(string message)
        {
            string? found = null;
            foreach (string line in message.Split('\n'))
            {
                string trimmed = line.Trim();
                if (trimmed.StartsWith("RuntimeError: ", StringComparison.Ordinal))
                {
                    found = trimmed["RuntimeError: ".Length..];
                }
            }

            return found;
        }

        private static void DisposeAll(List<TensorT> tensors)
        {
            foreach (TensorT t in tensors)
            {
                t.Dispose();
            }

            tensors.Clear();
        }
    }
}
