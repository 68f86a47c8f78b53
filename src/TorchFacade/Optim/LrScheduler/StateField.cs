namespace TorchFacade.Optim.LrScheduler;

/// <summary>
/// One entry of a scheduler's state dict: PyTorch's attribute name, how to read it in the shared state-dict
/// representation, how to restore it from that representation, and whether it is written at all (PyTorch writes some
/// attributes only when an option is on, e.g. <c>use_beta1</c> only with <c>cycle_momentum</c>).
/// </summary>
/// <param name="Key">PyTorch's key, e.g. <c>last_epoch</c>.</param>
/// <param name="Get">Reads the value (numbers as <see cref="long"/>/<see cref="double"/>, lists as <c>IReadOnlyList&lt;object?&gt;</c>).</param>
/// <param name="Set">Restores the value; throws <see cref="ArgumentException"/> for a value of the wrong kind.</param>
/// <param name="Present">Whether the entry is written; <see langword="null"/> for always.</param>
internal sealed record StateField(string Key, Func<object?> Get, Action<object?> Set, Func<bool>? Present = null);
