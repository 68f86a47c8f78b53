namespace TorchFacade.Reference.Activations;

/// <summary>A span kernel that reads two spans and writes a third.</summary>
internal delegate void SpanBinary<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> dst);
