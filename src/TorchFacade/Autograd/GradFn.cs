using TorchSharp;

namespace TorchFacade;

/// <summary>
/// PyTorch's <c>x.grad_fn</c>: the autograd node that produced a tensor — what <c>backward</c> will call to send the
/// gradient on to its inputs. Obtained from <c>TensorAutograd.GradFn</c>; <see langword="null"/> there for leaves and
/// tensors made outside a graph. Walk the graph with <see cref="NextFunctions"/>; leaves show up there as nodes named
/// <c>AccumulateGrad</c> whose <see cref="Variable"/> is the leaf.
/// </summary>
/// <remarks>
/// Like Python's <c>grad_fn</c> object, a <see cref="GradFn"/> keeps its node (and so the part of the graph behind it)
/// alive until it is garbage-collected. Two <see cref="GradFn"/> objects for the same node are equal
/// (<see cref="Equals(GradFn?)"/>), as Python's <c>is</c> is true for them.
/// </remarks>
public sealed class GradFn : IEquatable<GradFn>
{
    private readonly IntPtr node;
    private readonly IntPtr ctrl;
    private string? name;
    private bool nameRead;

    internal GradFn(string? name)
    {
        this.name = name;
        nameRead = true;
    }

    /// <summary>Wraps a live node, taking a new reference on its <c>std::shared_ptr</c> control block.</summary>
    internal GradFn(IntPtr node, IntPtr ctrl)
    {
        this.node = node;
        this.ctrl = ctrl;
        AutogradNative.AddRefShared(ctrl);
    }

    /// <summary>Releases the reference on the node.</summary>
    ~GradFn()
    {
        AutogradNative.ReleaseShared(ctrl);
    }

    /// <summary>
    /// LibTorch's own name of the node, read from LibTorch itself — the name Python prints in
    /// <c>grad_fn=&lt;MulBackward0&gt;</c> (e.g. <c>MulBackward0</c>, <c>MeanBackward0</c>, <c>GeluBackward0</c>,
    /// <c>AccumulateGrad</c>; for a custom <c>AutogradFunction</c> the class name + <c>Backward</c>).
    /// Note that TorchSharp's tensor-with-scalar operators (<c>x + 2</c>, <c>y * 3</c>) call LibTorch's <c>Scalar</c>
    /// overloads, whose nodes are <c>AddBackward1</c> / <c>MulBackward1</c>; Python wraps the number in a tensor and
    /// shows <c>AddBackward0</c> / <c>MulBackward0</c>. The gradients are the same.
    /// </summary>
    /// <remarks>
    /// Reading the name needs the Itanium C++ ABI of Linux x64; on other platforms <see cref="Name"/> is
    /// <see langword="null"/> (the node's existence is still reported correctly).
    /// </remarks>
    public string? Name
    {
        get
        {
            if (!nameRead)
            {
                name = GradFnNative.NameOf(node);
                nameRead = true;
                GC.KeepAlive(this);
            }

            return name;
        }
    }

    /// <summary>
    /// PyTorch's <c>grad_fn.next_functions</c>: for each input of this node, the node its gradient goes to next and
    /// which input of that node it is. A leaf input appears as its <c>AccumulateGrad</c> node (see
    /// <see cref="Variable"/>); an input that does not require grad as <c>(null, 0)</c>, as Python's <c>(None, 0)</c>.
    /// </summary>
    /// <exception cref="PlatformNotSupportedException">Not on Linux x64 (the edges are read through LibTorch's C++ ABI).</exception>
    public IReadOnlyList<GradEdge> NextFunctions
    {
        get
        {
            AutogradNative.Exports api = RequireNode(nameof(NextFunctions));
            unsafe
            {
                (IntPtr first, int count) = AutogradNative.EdgesOf(api, node);
                var edges = new GradEdge[count];
                for (int i = 0; i < count; i++)
                {
                    IntPtr edge = first + (i * AutogradNative.EdgeSize);
                    IntPtr function = *(IntPtr*)edge;
                    int inputNr = (int)*(uint*)(edge + 16);
                    edges[i] = new GradEdge(function == IntPtr.Zero ? null : new GradFn(function, *(IntPtr*)(edge + 8)), inputNr);
                }

                GC.KeepAlive(this);
                return edges;
            }
        }
    }

    /// <summary>
    /// PyTorch's <c>grad_fn.variable</c> on an <c>AccumulateGrad</c> node: the leaf tensor whose <c>Grad</c> this node
    /// fills (a new <see cref="torch.Tensor"/> object sharing the leaf's tensor; dispose it when done). <see langword="null"/>
    /// for every other node (Python raises <c>AttributeError</c> there).
    /// </summary>
    /// <exception cref="PlatformNotSupportedException">Not on Linux x64.</exception>
    public torch.Tensor? Variable
    {
        get
        {
            AutogradNative.Exports api = RequireNode(nameof(Variable));
            if (!AutogradNative.IsAccumulateGrad(api, node))
            {
                return null;
            }

            torch.Tensor? leaf = AutogradNative.WrapImpl(api, AutogradNative.VariableImplOf(api, node));
            GC.KeepAlive(this);
            return leaf;
        }
    }

    /// <summary>The address of the LibTorch node (zero where it cannot be read).</summary>
    internal IntPtr Node => node;

    /// <summary>Whether both objects stand for the same LibTorch node.</summary>
    /// <param name="other">The other node.</param>
    /// <returns><see langword="true"/> for the same node.</returns>
    public bool Equals(GradFn? other) =>
        other is not null && (ReferenceEquals(this, other) || (node != IntPtr.Zero && node == other.node));

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as GradFn);

    /// <inheritdoc/>
    public override int GetHashCode() => node == IntPtr.Zero ? base.GetHashCode() : node.GetHashCode();

    /// <summary>
    /// Whether <see cref="Name"/> can be read on this platform (Linux x64, where LibTorch's C++ ABI is called directly).
    /// Where it is <see langword="false"/>, every <see cref="Name"/> is <see langword="null"/> and
    /// <see cref="NameUnavailableReason"/> says why; the node's existence is still reported.
    /// </summary>
    public static bool CanReadNames => GradFnNative.IsSupported;

    /// <summary>Why node names cannot be read here (see <see cref="CanReadNames"/>), or <see langword="null"/> when they can.</summary>
    public static string? NameUnavailableReason => GradFnNative.UnsupportedReason;

    /// <summary>Python's spelling, <c>&lt;MulBackward0&gt;</c> (or <c>&lt;grad_fn&gt;</c> when the name cannot be read here).</summary>
    /// <returns>The text.</returns>
    public override string ToString() => "<" + (Name ?? "grad_fn") + ">";

    private AutogradNative.Exports RequireNode(string member)
    {
        AutogradNative.Exports api = AutogradNative.Require("GradFn." + member);
        if (node == IntPtr.Zero)
        {
            throw new PlatformNotSupportedException("GradFn." + member + ": this node was read without LibTorch's C++ ABI.");
        }

        return api;
    }
}
