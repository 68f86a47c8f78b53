using TorchSharp;

namespace TorchFacade;

/// <summary>
/// One storage of a checkpoint (<c>persistent_load(('storage', type, key, location, numel))</c>): its zip record is
/// read (or mapped) the first time a tensor is rebuilt over it, as one LibTorch tensor every view of it is taken from,
/// so two views of one storage load as two views of one storage.
/// </summary>
/// <param name="Key">The record's key (<c>data/&lt;key&gt;</c>).</param>
/// <param name="DType">The typed storage's dtype, or null for an <c>UntypedStorage</c> (its dtype comes with the tensor).</param>
/// <param name="Count">Elements for a typed storage, bytes for an untyped one.</param>
/// <param name="Location">The device it was saved from (<c>cpu</c>, <c>cuda:0</c>); it loads on the CPU.</param>
internal sealed record PickleStorage(string Key, torch.ScalarType? DType, long Count, string Location)
{
    /// <summary>The storage as a 1-D tensor of its dtype, once loaded.</summary>
    internal torch.Tensor? Tensor { get; set; }
}
