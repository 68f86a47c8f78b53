using System.Runtime.Intrinsics;
using TorchFacade.Reference.Kernels;

namespace TorchFacade.Benchmarks.Optimizers;

/// <summary>
/// The memory-bandwidth floor for an optimizer step: a triad-style kernel (<c>x = x + s·g</c> on every written stream)
/// that reads and writes exactly the streams the update does — Adam/AdamW: read p, g, m, v and write p, m, v
/// (28 bytes per float32 parameter); SGD with momentum: read p, g, buf and write p, buf (20 bytes) — with the same
/// vector width and the same split across cores, and no arithmetic worth mentioning.
/// </summary>
internal unsafe struct BandwidthTriad : IRangeKernel
{
    public float* G;
    public float* S0;
    public float* S1;
    public float* S2;

    /// <inheritdoc />
    public readonly void Run(long start, long end, bool vectorized)
    {
        var s = Vector256.Create(1e-7f);
        long i = start;
        for (; i + 8 <= end; i += 8)
        {
            var g = Vector256.Load(G + i) * s;
            (Vector256.Load(S0 + i) + g).Store(S0 + i);
            (Vector256.Load(S1 + i) + g).Store(S1 + i);
            if (S2 != null)
            {
                (Vector256.Load(S2 + i) + g).Store(S2 + i);
            }
        }

        for (; i < end; i++)
        {
            float g = G[i] * 1e-7f;
            S0[i] += g;
            S1[i] += g;
            if (S2 != null)
            {
                S2[i] += g;
            }
        }
    }
}
