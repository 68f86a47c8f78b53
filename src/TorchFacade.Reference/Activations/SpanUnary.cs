namespace TorchFacade.Reference.Activations;

/// <summary>A span kernel that reads one span and writes another.</summary>
internal delegate void SpanUnary<T>(ReadOnlySpan<T> x, Span<T> y);
