using System.Numerics;

namespace TorchFacade.Reference.Kernels;

/// <summary>One block of a unary (forward) kernel: reads <c>x</c>, writes <c>y</c>, may use three scratch spans of the same length.</summary>
/// <typeparam name="T">float or double.</typeparam>
internal interface IUnaryBlock<T>
    where T : unmanaged
{
    void Apply(ReadOnlySpan<T> x, Span<T> y, Span<T> s1, Span<T> s2, Span<T> s3);
}

/// <summary>One block of a backward kernel: reads the incoming gradient and the saved tensor (input or output), writes the input gradient.</summary>
/// <typeparam name="T">float or double.</typeparam>
internal interface IBinaryBlock<T>
    where T : unmanaged
{
    void Apply(ReadOnlySpan<T> g, ReadOnlySpan<T> saved, Span<T> dx, Span<T> s1, Span<T> s2, Span<T> s3);
}

/// <summary>
/// Drives the block kernels: checks span lengths and the element type, walks the input in L1-sized blocks with
/// stack scratch space, and splits inputs of <see cref="KernelOptions.ParallelThreshold"/> elements or more into
/// chunks processed in parallel.
/// </summary>
public static class KernelLoop
{
    /// <summary>Elements per block (the scratch spans' length).</summary>
    public const int BlockSize = 1024;

    /// <summary>Throws unless <typeparamref name="T"/> is <see cref="float"/> or <see cref="double"/>.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <exception cref="NotSupportedException">Another element type.</exception>
    public static void EnsureSupported<T>()
    {
        if (typeof(T) != typeof(float) && typeof(T) != typeof(double))
        {
            throw new NotSupportedException($"The managed activation kernels support float and double only, not {typeof(T).Name}; use the module's tensor path for float16/bfloat16.");
        }
    }

    /// <summary>Throws when two spans that must have the same length do not.</summary>
    /// <param name="expected">The first span's length.</param>
    /// <param name="actual">The other span's length.</param>
    /// <param name="name">The other span's parameter name.</param>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static void EnsureSameLength(int expected, int actual, string name)
    {
        if (expected != actual)
        {
            throw new ArgumentException($"Span length mismatch: '{name}' has {actual} elements but the input has {expected}; pass spans of the same length.", name);
        }
    }

    internal static void Unary<T, TOp>(ReadOnlySpan<T> x, Span<T> y, TOp op)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOp : struct, IUnaryBlock<T>
    {
        EnsureSupported<T>();
        EnsureSameLength(x.Length, y.Length, "output");
        if (x.Length < KernelOptions.ParallelThreshold || KernelOptions.MaxDegreeOfParallelism == 1)
        {
            UnarySerial(x, y, op);
            return;
        }

        unsafe
        {
            fixed (T* px = x, py = y)
            {
                nint ax = (nint)px, ay = (nint)py;
                int length = x.Length;
                int chunks = ChunkCount(length, out int chunkSize);
                Parallel.For(0, chunks, Parallelism(), i =>
                {
                    int start = i * chunkSize;
                    int count = Math.Min(chunkSize, length - start);
                    UnarySerial(new ReadOnlySpan<T>((T*)ax + start, count), new Span<T>((T*)ay + start, count), op);
                });
            }
        }
    }

    internal static void Binary<T, TOp>(ReadOnlySpan<T> g, ReadOnlySpan<T> saved, Span<T> dx, TOp op)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOp : struct, IBinaryBlock<T>
    {
        EnsureSupported<T>();
        EnsureSameLength(g.Length, saved.Length, "saved");
        EnsureSameLength(g.Length, dx.Length, "gradInput");
        if (g.Length < KernelOptions.ParallelThreshold || KernelOptions.MaxDegreeOfParallelism == 1)
        {
            BinarySerial(g, saved, dx, op);
            return;
        }

        unsafe
        {
            fixed (T* pg = g, ps = saved, pd = dx)
            {
                nint ag = (nint)pg, asv = (nint)ps, ad = (nint)pd;
                int length = g.Length;
                int chunks = ChunkCount(length, out int chunkSize);
                Parallel.For(0, chunks, Parallelism(), i =>
                {
                    int start = i * chunkSize;
                    int count = Math.Min(chunkSize, length - start);
                    BinarySerial(
                        new ReadOnlySpan<T>((T*)ag + start, count),
                        new ReadOnlySpan<T>((T*)asv + start, count),
                        new Span<T>((T*)ad + start, count),
                        op);
                });
            }
        }
    }

    internal static ParallelOptions Parallelism() => new() { MaxDegreeOfParallelism = KernelOptions.MaxDegreeOfParallelism };

    // Chunks of at least ParallelThreshold/2 elements, a multiple of the block size, about one per thread.
    internal static int ChunkCount(int length, out int chunkSize)
    {
        int threads = KernelOptions.MaxDegreeOfParallelism;
        int size = Math.Max((length + threads - 1) / threads, KernelOptions.ParallelThreshold / 2);
        size = (size + BlockSize - 1) / BlockSize * BlockSize;
        chunkSize = size;
        return (length + size - 1) / size;
    }

    private static void UnarySerial<T, TOp>(ReadOnlySpan<T> x, Span<T> y, TOp op)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOp : struct, IUnaryBlock<T>
    {
        Span<T> s1 = stackalloc T[BlockSize];
        Span<T> s2 = stackalloc T[BlockSize];
        Span<T> s3 = stackalloc T[BlockSize];
        for (int start = 0; start < x.Length; start += BlockSize)
        {
            int n = Math.Min(BlockSize, x.Length - start);
            op.Apply(x.Slice(start, n), y.Slice(start, n), s1[..n], s2[..n], s3[..n]);
        }
    }

    private static void BinarySerial<T, TOp>(ReadOnlySpan<T> g, ReadOnlySpan<T> saved, Span<T> dx, TOp op)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOp : struct, IBinaryBlock<T>
    {
        Span<T> s1 = stackalloc T[BlockSize];
        Span<T> s2 = stackalloc T[BlockSize];
        Span<T> s3 = stackalloc T[BlockSize];
        for (int start = 0; start < g.Length; start += BlockSize)
        {
            int n = Math.Min(BlockSize, g.Length - start);
            op.Apply(g.Slice(start, n), saved.Slice(start, n), dx.Slice(start, n), s1[..n], s2[..n], s3[..n]);
        }
    }
}
