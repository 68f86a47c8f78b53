using System.Globalization;
using CsCheck;
using Size = CsCheck.Size;

namespace TorchFacade.Conformance.Cases.Properties;

/// <summary>
/// Runs one property: draws <see cref="PropertyOptions.Examples"/> inputs from a CsCheck generator with a PCG stream
/// seeded from the run's seed and the case id (deterministic: the same seed draws the same inputs), and on the first
/// failure shrinks the way CsCheck does — it keeps drawing and keeps every failing input whose CsCheck size is smaller —
/// then reports the smallest failing input as a C# and a Python snippet, with the seeds that reproduce it.
/// </summary>
internal static class PropertyCheck
{
    /// <summary>How many further draws the shrinking may make per example of the run (draws larger than the smallest failure are skipped cheaply).</summary>
    private const int ShrinkDrawsPerExample = 25;

    /// <summary>The seed a property with id <paramref name="id"/> uses under run seed <paramref name="runSeed"/>.</summary>
    /// <param name="id">The case id.</param>
    /// <param name="runSeed">The run's seed.</param>
    /// <returns>The property's seed.</returns>
    public static ulong SeedOf(string id, ulong runSeed)
    {
        ulong hash = 14695981039346656037UL; // FNV-1a over the id, mixed with the run's seed
        foreach (char c in id)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return hash ^ (runSeed * 0x9E3779B97F4A7C15UL);
    }

    /// <summary>Checks <paramref name="failure"/> over inputs drawn from <paramref name="gen"/>.</summary>
    /// <typeparam name="T">The input.</typeparam>
    /// <param name="id">The case id (part of the seed).</param>
    /// <param name="gen">The generator.</param>
    /// <param name="failure">Returns why the property does not hold for an input, or <see langword="null"/> when it holds (exceptions count as failures).</param>
    /// <param name="snippets">How to write an input as reproducing code.</param>
    /// <returns>Pass with the number of examples, or fail with the smallest failing input.</returns>
    public static CaseResult Run<T>(string id, Gen<T> gen, Func<T, string?> failure, PropertySnippets<T> snippets)
    {
        ulong runSeed = PropertyOptions.Seed;
        int examples = PropertyOptions.Examples;
        ulong seed = SeedOf(id, runSeed);
        var pcg = new PCG(1, seed);
        Failure<T>? smallest = null;
        int ran = 0;
        while (ran < examples && smallest is null)
        {
            ulong state = pcg.State;
            T input = gen.Generate(pcg, null, out Size size);
            ran++;
            if (Evaluate(failure, input) is { } why)
            {
                smallest = new Failure<T>(input, size, why, pcg.ToString(state));
            }
        }

        string reproduce = $"{PropertyOptions.SeedVariable}={runSeed.ToString(CultureInfo.InvariantCulture)}";
        if (smallest is null)
        {
            return CaseResult.Pass(note: $"{ran} examples held (seed {runSeed.ToString(CultureInfo.InvariantCulture)})") with { Examples = ran };
        }

        int shrinks = 0;
        for (int draw = 0; draw < examples * ShrinkDrawsPerExample; draw++)
        {
            ulong state = pcg.State;
            T input = gen.Generate(pcg, smallest.Size, out Size size);
            if (!Size.IsLessThan(size, smallest.Size))
            {
                continue;
            }

            if (Evaluate(failure, input) is { } why)
            {
                smallest = new Failure<T>(input, size, why, pcg.ToString(state));
                shrinks++;
            }
        }

        return CaseResult.Fail(
            $"property failed after {ran} examples (seed {runSeed.ToString(CultureInfo.InvariantCulture)}; shrunk {shrinks} times; CsCheck seed '{smallest.CsCheckSeed}'; rerun with {reproduce}): {smallest.Why}",
            failingInputs: ["C#:\n" + snippets.CSharp(smallest.Input), "Python:\n" + snippets.Python(smallest.Input)]) with { Examples = ran };
    }

    /// <summary>The conformance case of a property: its id (also part of its seed), claim and tolerance, run by <see cref="Run{T}"/>.</summary>
    /// <typeparam name="T">The input.</typeparam>
    /// <param name="id">The case id.</param>
    /// <param name="device">The device name.</param>
    /// <param name="claim">The claim in words.</param>
    /// <param name="compares">What is compared with what.</param>
    /// <param name="tolerance">The tolerance of the comparisons.</param>
    /// <param name="gen">The generator.</param>
    /// <param name="failure">Why the property does not hold for an input, or <see langword="null"/>.</param>
    /// <param name="snippets">How to write an input as reproducing code.</param>
    /// <returns>The case (group <c>properties</c>).</returns>
    public static ConformanceCase Case<T>(string id, string device, string claim, string compares, Tolerance tolerance, Gen<T> gen, Func<T, string?> failure, PropertySnippets<T> snippets) =>
        CaseKit.Make(CaseGroup.Properties, id, device, claim, compares, () => Run(id, gen, failure, snippets), tolerance: tolerance);

    private static string? Evaluate<T>(Func<T, string?> failure, T input)
    {
        try
        {
            using var scope = TorchSharp.torch.NewDisposeScope();
            return failure(input);
        }
        catch (Exception ex)
        {
            string message = ex.Message;
            int newline = message.IndexOf('\n', StringComparison.Ordinal);
            return $"threw {ex.GetType().Name}: {(newline < 0 ? message : message[..newline].TrimEnd())}";
        }
    }

    private sealed record Failure<T>(T Input, Size Size, string Why, string CsCheckSeed);
}
