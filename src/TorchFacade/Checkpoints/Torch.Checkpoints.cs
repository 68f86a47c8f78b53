using TorchSharp;

namespace TorchFacade;

public static partial class Torch
{
    /// <summary>
    /// PyTorch's <c>torch.load(path, weights_only=True, mmap=memoryMap)</c>: reads a <c>torch.save</c> checkpoint (the zip
    /// format PyTorch 1.6 and later write) with a restricted unpickler that allows exactly what
    /// <c>weights_only=True</c> allows and refuses every other global with PyTorch's message, never running anything a
    /// pickle names. Tensors keep their saved storage offsets, strides and storage sharing (two views of one storage load
    /// as two views of one LibTorch storage); they load on the CPU, whatever device they were saved from.
    /// </summary>
    /// <remarks>
    /// The result uses the project's mapping: a dict with string keys is an <c>IReadOnlyDictionary&lt;string, object?&gt;</c>
    /// (insertion order kept), any other dict an <c>IReadOnlyDictionary&lt;object, object?&gt;</c> (int keys as
    /// <see cref="long"/>); a list is a <c>List&lt;object?&gt;</c> and a tuple an <c>object?[]</c> (both
    /// <c>IReadOnlyList&lt;object?&gt;</c>); int is <see cref="long"/> (<see cref="System.Numerics.BigInteger"/> beyond 64
    /// bits), float <see cref="double"/>, bool <see cref="bool"/>, str <see cref="string"/>, None <see langword="null"/>,
    /// a tensor or Parameter a <see cref="torch.Tensor"/> (<c>requires_grad</c> kept), <c>torch.Size</c> a
    /// <c>long[]</c>, a dtype a <see cref="torch.ScalarType"/>, a set an <c>IReadOnlySet&lt;object&gt;</c>, bytes a
    /// <c>byte[]</c>, complex a <see cref="System.Numerics.Complex"/>, a <c>torch.device</c> its string (<c>"cuda:0"</c>).
    /// </remarks>
    /// <param name="path">The checkpoint.</param>
    /// <param name="weightsOnly">
    /// Must be <see langword="true"/>: TorchFacade never runs code from a checkpoint, so PyTorch's unsafe
    /// <c>weights_only=False</c> has no counterpart.
    /// </param>
    /// <param name="memoryMap">
    /// <see langword="true"/>: as <c>mmap=True</c>, map the file copy-on-write and alias each storage in place (PyTorch's
    /// writer stores every record uncompressed on a 64-byte boundary), so the load takes constant time in the file's size;
    /// the file is never modified, and the mapping lives until every tensor from it is disposed or finalized.
    /// </param>
    /// <returns>The checkpoint's object.</returns>
    /// <exception cref="CheckpointFormatException">
    /// The file is malformed, in the legacy (pre-1.6) format, a TorchScript archive, or names a global the weights-only
    /// load refuses (the message is PyTorch's).
    /// </exception>
    /// <exception cref="NotSupportedException"><paramref name="weightsOnly"/> is <see langword="false"/>.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static object? Load(string path, bool weightsOnly = true, bool memoryMap = false)
    {
        TensorChecks.ThrowIfNull(path, "Torch.Load");
        if (!weightsOnly)
        {
            throw new NotSupportedException(
                "Torch.Load(weightsOnly: false) is not supported: TorchFacade never runs code from a checkpoint, which is what torch.load(weights_only=False) does. "
                + "Use weightsOnly: true (it reads every checkpoint of tensors and plain containers); for a file that needs more, load it in Python and re-save its state_dict.");
        }

        NativeRuntime.EnsureAvailable();
        return TorchCheckpointReader.Load(path, memoryMap);
    }

    /// <summary>
    /// PyTorch's <c>torch.save(obj, path)</c>: writes PyTorch's zip checkpoint format (the archive named after the file,
    /// <c>data.pkl</c> in pickle protocol 2, <c>byteorder</c>, one <c>data/&lt;key&gt;</c> record per storage, stored
    /// uncompressed on 64-byte boundaries, <c>version</c> 3, <c>.data/serialization_id</c>), which
    /// <c>torch.load(weights_only=True)</c> reads back. Tensors sharing a storage are written once, as views of it.
    /// </summary>
    /// <remarks>
    /// Accepts the mapping <see cref="Load"/> returns: dictionaries (any <c>IDictionary</c>,
    /// <c>IReadOnlyDictionary&lt;,&gt;</c>; keys str, int, float, bool or tuple), lists (<c>List&lt;T&gt;</c> and other
    /// non-array sequences of objects), tuples (<c>object?[]</c>, <see cref="System.Runtime.CompilerServices.ITuple"/>),
    /// integer arrays and sequences as <c>torch.Size</c> (<c>long[]</c>, <c>int[]</c>, ...), any .NET integer as int,
    /// <see cref="float"/>/<see cref="double"/>/<see cref="Half"/> as float, <see cref="bool"/>, <see cref="string"/>,
    /// <see langword="null"/>, <see cref="System.Numerics.Complex"/>, <c>byte[]</c> as bytes, sets, a
    /// <see cref="torch.ScalarType"/> as a dtype, and tensors (saved from any device, with their device name, strides,
    /// offsets and <c>requires_grad</c>).
    /// </remarks>
    /// <param name="obj">What to save.</param>
    /// <param name="path">The file to create or replace (written to a temporary file, then renamed over it).</param>
    /// <exception cref="ArgumentException">An object has no pickled form (a type outside the mapping, a cycle, nesting deeper than 1000).</exception>
    /// <exception cref="ObjectDisposedException">A tensor was disposed.</exception>
    public static void Save(object? obj, string path)
    {
        TensorChecks.ThrowIfNull(path, "Torch.Save");
        NativeRuntime.EnsureAvailable();
        TorchCheckpointWriter.Save(obj, path);
    }
}
