namespace TorchFacade.Reference.Layers;

/// <summary>The modes of PyTorch's <c>F.pad</c>.</summary>
public enum PadMode
{
    /// <summary>Fill with a constant (default 0). Any rank, any number of padded dimensions.</summary>
    Constant,

    /// <summary>Mirror without repeating the edge: <c>[1,2,3,4]</c> padded (2,1) gives <c>[3,2,1,2,3,4,3]</c>. Padding must be smaller than the size.</summary>
    Reflect,

    /// <summary>Repeat the edge element: <c>[1,1,1,2,3,4,4]</c>.</summary>
    Replicate,

    /// <summary>Wrap around: <c>[3,4,1,2,3,4,1]</c>. Padding must not exceed the size.</summary>
    Circular,
}
