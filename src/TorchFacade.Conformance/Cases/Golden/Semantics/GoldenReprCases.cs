using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace TorchFacade.Conformance.Cases.Golden;

/// <summary>
/// Golden group, printing: <c>ToPyTorchString()</c> of the tensors <c>tests/golden/make_semantics_golden.py</c> printed,
/// vs PyTorch's <c>repr</c>, for every dtype (float32/64/16, bfloat16, int8/16/32/64, uint8, bool; complex64/128, which the facade does not
/// print yet: xfail in Divergences/known-divergences.json) and every shape class (0-d, 1-d, 2-d, 3-d, 4-d, size-1
/// dimensions, empty, summarised, wrapped, scientific, non-finite, requires_grad, grad_fn). The values are stored as PyTorch held them (already rounded to the dtype), so both sides print the same
/// numbers. On CUDA PyTorch adds <c>device='cuda:0'</c>; the case removes that suffix before comparing.
/// </summary>
internal sealed partial class GoldenReprCases : ICaseSource
{
    /// <inheritdoc />
    public IEnumerable<ConformanceCase> Cases()
    {
        foreach ((string name, JsonElement entry) in SemanticGolden.Section("repr"))
        {
            string dtypeName = entry.GetProperty("dtype").GetString() ?? string.Empty;
            ScalarType? dtype = DTypeNames.TryParse(dtypeName, out ScalarType parsed) ? parsed : null;
            foreach (ConformanceCase c in SemanticGolden.Twins("repr", name,
                         $"ToPyTorchString() of the {name} tensor prints what PyTorch {SemanticGolden.Torch}'s repr prints",
                         "facade text vs repr(t) stored by make_semantics_golden.py",
                         device => Check(entry, device), dtype))
            {
                yield return c;
            }
        }
    }

    private static CaseResult Check(JsonElement entry, Device device)
    {
        string expected = entry.GetProperty("repr").GetString() ?? string.Empty;
        Tensor t = Build(entry, device);
        string actual;
        try
        {
            actual = t.ToPyTorchString();
        }
        catch (NotSupportedException ex) when (t.is_complex())
        {
            // A limitation of the facade, listed in Divergences/known-divergences.json (xfail; XPASS once it prints them).
            return CaseResult.Fail("facade limitation: " + ReportText.FirstLine(ex.Message) + " PyTorch prints " + expected);
        }

        if (device.type != DeviceType.CPU)
        {
            actual = CudaSuffix().Replace(actual, string.Empty);
        }

        return actual == expected ? CaseResult.Pass() : Mismatch(actual, expected);
    }

    private static CaseResult Mismatch(string actual, string expected)
    {
        int at = 0;
        while (at < actual.Length && at < expected.Length && actual[at] == expected[at])
        {
            at++;
        }

        return CaseResult.Fail($"differs at character {at}: facade {Quote(actual)} vs PyTorch {Quote(expected)}");
    }

    private static string Quote(string text) => "\"" + text.Replace("\n", "\\n", StringComparison.Ordinal) + "\"";

    private static Tensor Build(JsonElement entry, Device device)
    {
        string dtypeName = entry.GetProperty("dtype").GetString() ?? string.Empty;
        long[] shape = [.. entry.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64())];
        JsonElement[] values = [.. entry.GetProperty("values").EnumerateArray()];
        if (!DTypeNames.TryParse(dtypeName, out ScalarType dtype))
        {
            throw new InvalidOperationException($"make_semantics_golden.py used a dtype the conformance catalog does not know: {dtypeName}");
        }

        Tensor t;
        if (dtype == ScalarType.Bool)
        {
            t = tensor(values.Select(v => v.GetBoolean()).ToArray(), shape);
        }
        else if (dtype is ScalarType.Int8 or ScalarType.Byte or ScalarType.Int16 or ScalarType.Int32 or ScalarType.Int64)
        {
            t = tensor(values.Select(v => v.GetInt64()).ToArray(), shape).to(dtype);
        }
        else
        {
            t = tensor(values.Select(Number).ToArray(), shape, dtype: ScalarType.Float64).to(dtype);
        }

        t = t.to(device);
        switch (entry.GetProperty("autograd").GetString())
        {
            case "leaf":
                t.RequiresGrad = true;
                break;
            case "mul-by-ones":
                t.RequiresGrad = true;
                Tensor ones = torch.ones(shape, dtype: dtype, device: device);
                ones.RequiresGrad = true;
                t = t * ones;
                break;
        }

        return t;
    }

    private static double Number(JsonElement value) => value.ValueKind == JsonValueKind.String
        ? value.GetString() switch
        {
            "nan" => double.NaN,
            "inf" => double.PositiveInfinity,
            "-inf" => double.NegativeInfinity,
            var s => double.Parse(s ?? "0", CultureInfo.InvariantCulture),
        }
        : value.GetDouble();

    [GeneratedRegex(@",\s*device='cuda:\d+'")]
    private static partial Regex CudaSuffix();
}
