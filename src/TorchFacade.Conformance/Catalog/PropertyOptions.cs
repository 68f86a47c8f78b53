using System.Globalization;

namespace TorchFacade.Conformance;

/// <summary>
/// The settings of the <c>properties</c> group: the run's seed and the number of examples each property draws. Both
/// are read from environment variables (so a worker process inherits them); <c>torchfacade conform --seed N
/// --examples N</c> sets them. Every property derives its own seed from the run's seed and its id, so a case draws the
/// same examples whatever else is selected.
/// </summary>
public static class PropertyOptions
{
    /// <summary>The environment variable with the run's seed (an unsigned 64-bit number; default <see cref="DefaultSeed"/>).</summary>
    public const string SeedVariable = "TORCHFACADE_PROPERTY_SEED";

    /// <summary>The environment variable with the number of examples per property (default <see cref="DefaultExamples"/>).</summary>
    public const string ExamplesVariable = "TORCHFACADE_PROPERTY_EXAMPLES";

    /// <summary>The seed of a run that sets none: fixed, so CI runs are reproducible (pass another to explore).</summary>
    public const ulong DefaultSeed = 20261203;

    /// <summary>Examples per property when none is set: small enough for CI (every property in well under a second).</summary>
    public const int DefaultExamples = 40;

    /// <summary>The run's seed: <see cref="SeedVariable"/>, else <see cref="DefaultSeed"/>.</summary>
    /// <exception cref="FormatException">The variable is set but is not an unsigned 64-bit number.</exception>
    public static ulong Seed => Environment.GetEnvironmentVariable(SeedVariable) is { Length: > 0 } text
        ? ulong.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out ulong seed)
            ? seed
            : throw new FormatException($"{SeedVariable}='{text}' is not an unsigned 64-bit number; set it to the seed a report printed, e.g. {DefaultSeed}.")
        : DefaultSeed;

    /// <summary>The examples per property: <see cref="ExamplesVariable"/>, else <see cref="DefaultExamples"/>.</summary>
    /// <exception cref="FormatException">The variable is set but is not a positive number.</exception>
    public static int Examples => Environment.GetEnvironmentVariable(ExamplesVariable) is { Length: > 0 } text
        ? int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > 0
            ? n
            : throw new FormatException($"{ExamplesVariable}='{text}' is not a positive number of examples.")
        : DefaultExamples;
}
