using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TorchFacade.Examples;

/// <summary>
/// The GEGLU fragment of the notes (a diffusers-style module): project once to 2·dimOut, split into
/// <c>hidden_states, gate</c>, return <c>hidden_states * gelu(gate)</c> — the <i>second</i> half is the gate.
/// The fragment prints nothing.
/// </summary>
public sealed class GegluChunkExample : Example
{
    /// <summary>Creates the example.</summary>
    public GegluChunkExample()
        : base("13-geglu-chunk")
    {
    }

    /// <inheritdoc />
    public override void Run(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        using var scope = torch.NewDisposeScope();
        using var module = new Geglu(4, 3);
        using var result = module.forward(torch.ones(2, 4));
    }

    /// <summary>The module around the fragment: <c>self.proj = nn.Linear(dim_in, dim_out * 2)</c>, <c>self.gelu = F.gelu</c>.</summary>
    public sealed class Geglu : nn.Module<Tensor, Tensor>
    {
        private readonly Linear proj;

        /// <summary>Creates the module.</summary>
        /// <param name="dimIn">Input size.</param>
        /// <param name="dimOut">Output size (the projection produces twice this).</param>
        public Geglu(long dimIn, long dimOut)
            : base(nameof(Geglu))
        {
            proj = nn.Linear(dimIn, dimOut * 2);
            RegisterComponents();
        }

        /// <summary>The projection to 2·dimOut.</summary>
        public Linear Proj => proj;

        /// <summary>Applies the block.</summary>
        /// <param name="hidden_states">The input (..., dimIn).</param>
        /// <returns>(..., dimOut).</returns>
        public override Tensor forward(Tensor hidden_states)
        {
            Tensor[] chunks = proj.forward(hidden_states).chunk(2, dim: -1); // hidden_states, gate = self.proj(hidden_states, *args).chunk(2, dim=-1)
            var (hidden, gate) = (chunks[0], chunks[1]);
            return hidden * nn.functional.gelu(gate);                         // return hidden_states * self.gelu(gate)
        }
    }
}
