using System.Text.Json;
using System.Text.Json.Serialization;
using TorchFacade.Conformance;

namespace TorchFacade.Cli.Conform;

/// <summary>
/// One result line of the worker protocol: the worker (<c>torchfacade conform --worker</c>) reads case ids from standard
/// input, one a line, and answers each with <see cref="Prefix"/> followed by this record as JSON on one line of
/// standard output. Anything else on standard output (a native library printing) is ignored by the parent.
/// </summary>
/// <param name="Id">The case id.</param>
/// <param name="Outcome">The outcome's name.</param>
/// <param name="Message">The result's message.</param>
/// <param name="Figures">The measured errors, if any.</param>
/// <param name="FailingInputs">The first failing inputs.</param>
/// <param name="ElapsedTicks">How long the case took.</param>
/// <param name="Examples">For a property-based case, the examples it drew.</param>
internal sealed record WorkerMessage(string Id, CaseOutcome Outcome, string? Message, Figures? Figures, IReadOnlyList<string> FailingInputs, long ElapsedTicks, long Examples = 0)
{
    /// <summary>What starts a result line, so stray output cannot be mistaken for one.</summary>
    public const string Prefix = "@@torchfacade-case ";

    private static readonly JsonSerializerOptions Options = new()
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>The message for <paramref name="result"/> of case <paramref name="id"/>.</summary>
    /// <param name="id">The case id.</param>
    /// <param name="result">Its result.</param>
    /// <returns>The message.</returns>
    public static WorkerMessage From(string id, CaseResult result) =>
        new(id, result.Outcome, result.Message, result.Figures, result.FailingInputs, result.Elapsed.Ticks, result.Examples);

    /// <summary>Parses a result line; <see langword="null"/> when the line is not one.</summary>
    /// <param name="line">A line of the worker's standard output.</param>
    /// <returns>The message, or <see langword="null"/>.</returns>
    public static WorkerMessage? Parse(string line) =>
        line.StartsWith(Prefix, StringComparison.Ordinal)
            ? JsonSerializer.Deserialize<WorkerMessage>(line.AsSpan(Prefix.Length), Options)
            : null;

    /// <summary>The result line.</summary>
    /// <returns><see cref="Prefix"/> and the JSON, without a newline.</returns>
    public string ToLine() => Prefix + JsonSerializer.Serialize(this, Options);

    /// <summary>The case result this message carries.</summary>
    /// <returns>The result.</returns>
    public CaseResult ToResult() => new()
    {
        Outcome = Outcome,
        Message = Message,
        Figures = Figures,
        FailingInputs = FailingInputs ?? [],
        Elapsed = TimeSpan.FromTicks(ElapsedTicks),
        Examples = Examples,
    };
}
