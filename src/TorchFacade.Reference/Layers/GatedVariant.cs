namespace TorchFacade.Reference.Layers;

/// <summary>
/// The gated feed-forward variants of Shazeer 2020 ("GLU Variants Improve Transformer"). In each, the activation is applied
/// to the <b>W</b> projection and multiplies the linear <b>V</b> projection: <c>h = act(xW + b) ⊙ (xV + c)</c>.
/// </summary>
public enum GatedVariant
{
    /// <summary><c>σ(xW + b) ⊙ (xV + c)</c>; equals <c>F.glu(cat([xV + c, xW + b], -1))</c>.</summary>
    Glu,

    /// <summary><c>(xW + b) ⊙ (xV + c)</c> (no activation).</summary>
    Bilinear,

    /// <summary><c>max(0, xW + b) ⊙ (xV + c)</c>.</summary>
    ReGlu,

    /// <summary><c>GELU(xW + b) ⊙ (xV + c)</c> with the exact (erf) GELU, as in the paper; not <c>z1·tanh(z2)</c>.</summary>
    GeGlu,

    /// <summary><c>Swish_β(xW + b) ⊙ (xV + c)</c>, <c>Swish_β(z) = z·σ(βz)</c>; β = 1 is SiLU.</summary>
    SwiGlu,
}
