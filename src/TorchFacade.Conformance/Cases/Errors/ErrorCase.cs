namespace TorchFacade.Conformance.Cases.Errors;

/// <summary>
/// One bad input to one public member, as a row of an <see cref="ErrorCaseTable"/>: the call, the .NET exception it must
/// raise, PyTorch's Python exception class for the same input and a fragment the message must contain. Add rows with
/// <see cref="Raises{TException}"/>; the golden file <c>tests/golden/errors.json</c> (from
/// <c>tests/golden/make_errors_golden.py</c>) holds PyTorch 2.6's own kind and first line for every row that has a
/// PyTorch equivalent, under the same <see cref="Name"/>.
/// </summary>
/// <param name="Name">Unique, lower-case, slash-separated: <c>&lt;member&gt;/&lt;what is wrong&gt;</c>, e.g. <c>view/wrong-numel</c>.</param>
/// <param name="Member">The public member called, as its message's first word shows it (<c>View</c>, <c>Npy.Load</c>).</param>
/// <param name="Expected">The .NET exception type (the thrown exception must be of it or derive from it).</param>
/// <param name="Kind">PyTorch's exception class (<see cref="PyTorchErrorTypes"/>), or <see langword="null"/> when PyTorch has no equivalent call.</param>
/// <param name="Fragment">Text the message must contain (case-sensitive).</param>
/// <param name="Act">The bad call, given the device the case runs on. Tensors it makes are freed by the runner's dispose scope.</param>
public sealed record ErrorCase(string Name, string Member, Type Expected, string? Kind, string Fragment, Action<torch.Device> Act)
{
    /// <summary>
    /// Text PyTorch's own first line contains for the same input (checked against the golden file when it has the row,
    /// and against the facade's message); <see langword="null"/> when the facade words it differently.
    /// </summary>
    public string? PyTorchText { get; init; }

    /// <summary>Whether the message must start with <see cref="Member"/> (false only for exceptions .NET itself words, such as ArgumentNullException from a framework API).</summary>
    public bool NamesMember { get; init; } = true;

    /// <summary>A row whose call must raise <typeparamref name="TException"/>.</summary>
    /// <typeparam name="TException">The .NET exception type.</typeparam>
    /// <param name="name">The row's unique name.</param>
    /// <param name="member">The member called.</param>
    /// <param name="kind">PyTorch's exception class, or <see langword="null"/> without a PyTorch equivalent.</param>
    /// <param name="fragment">Text the message must contain.</param>
    /// <param name="act">The bad call.</param>
    /// <returns>The row.</returns>
    public static ErrorCase Raises<TException>(string name, string member, string? kind, string fragment, Action<torch.Device> act)
        where TException : Exception => new(name, member, typeof(TException), kind, fragment, act);
}
