using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace TorchFacade.Conformance;

/// <summary>
/// Writes a <see cref="ConformanceReport"/> as JSON (<c>report.json</c>, schema <see cref="Schema"/>): environment,
/// totals, one summary per group and one object per case with its id, group, device, dtype, outcome, figures, tolerance
/// and reason, message and failing inputs. Non-finite figures are written as the strings <c>"NaN"</c>,
/// <c>"Infinity"</c> and <c>"-Infinity"</c>, so the file stays valid JSON.
/// </summary>
public static class JsonReportWriter
{
    /// <summary>The value of the top-level <c>schema</c> property.</summary>
    public const string Schema = "torchfacade-conformance-report/1";

    private static readonly JsonWriterOptions Options = new()
    {
        Indented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The report as JSON text.</summary>
    /// <param name="report">The report.</param>
    /// <returns>The JSON.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="report"/> is <see langword="null"/>.</exception>
    public static string ToJson(ConformanceReport report)
    {
        using var stream = new MemoryStream();
        Write(report, stream);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Writes the report as UTF-8 JSON.</summary>
    /// <param name="report">The report.</param>
    /// <param name="stream">Where to write.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static void Write(ConformanceReport report, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(stream);
        using var json = new Utf8JsonWriter(stream, Options);
        json.WriteStartObject();
        json.WriteString("schema", Schema);
        json.WriteString("started", report.Started.ToString("O", CultureInfo.InvariantCulture));
        json.WriteNumber("elapsedSeconds", Math.Round(report.Elapsed.TotalSeconds, 3));
        json.WriteString("selection", report.Selection);
        WriteEnvironment(json, report.Environment);

        json.WriteStartObject("totals");
        json.WriteNumber("passed", report.Passed);
        json.WriteNumber("failed", report.Failed);
        json.WriteNumber("crashed", report.Crashed);
        json.WriteNumber("xfail", report.ExpectedFailures);
        json.WriteNumber("xpass", report.UnexpectedPasses);
        json.WriteNumber("skipped", report.Skipped);
        json.WriteNumber("total", report.Total);
        json.WriteNumber("propertyExamples", report.Examples);
        json.WriteEndObject();

        json.WriteStartArray("groups");
        foreach (GroupSummary g in report.Groups)
        {
            json.WriteStartObject();
            json.WriteString("group", g.Name);
            json.WriteNumber("passed", g.Passed);
            json.WriteNumber("failed", g.Failed);
            json.WriteNumber("crashed", g.Crashed);
            json.WriteNumber("xfail", g.ExpectedFailures);
            json.WriteNumber("xpass", g.UnexpectedPasses);
            json.WriteNumber("skipped", g.Skipped);
            json.WriteNumber("total", g.Total);
            json.WriteNumber("elapsedSeconds", Math.Round(g.Elapsed.TotalSeconds, 3));
            json.WriteEndObject();
        }

        json.WriteEndArray();

        json.WriteStartArray("cases");
        foreach (CaseReport c in report.Cases)
        {
            WriteCase(json, c);
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteEnvironment(Utf8JsonWriter json, RunEnvironment env)
    {
        json.WriteStartObject("environment");
        json.WriteString("torchFacade", env.TorchFacadeVersion);
        json.WriteString("torchSharp", env.TorchSharpVersion);
        json.WriteString("libTorch", env.LibTorchVersion);
        json.WriteString("runtime", env.Runtime);
        json.WriteString("os", env.OperatingSystem);
        json.WriteNumber("processorCount", env.ProcessorCount);
        json.WriteBoolean("cudaAvailable", env.CudaAvailable);
        if (env.CudaUnavailableReason is null)
        {
            json.WriteNull("cudaUnavailableReason");
        }
        else
        {
            json.WriteString("cudaUnavailableReason", env.CudaUnavailableReason);
        }

        json.WriteEndObject();
    }

    private static void WriteCase(Utf8JsonWriter json, CaseReport c)
    {
        json.WriteStartObject();
        json.WriteString("id", c.Id);
        json.WriteString("group", CaseGroupNames.Of(c.Group));
        json.WriteString("device", c.Device);
        json.WriteString("dtype", c.DType);
        json.WriteString("outcome", ReportText.Outcome(c.Outcome));
        json.WriteString("claim", c.Claim);
        json.WriteString("compares", c.Compares);
        json.WriteNumber("elapsedMs", Math.Round(c.Elapsed.TotalMilliseconds, 3));
        if (c.Examples > 0)
        {
            json.WriteNumber("examples", c.Examples);
        }

        if (c.Message is null)
        {
            json.WriteNull("message");
        }
        else
        {
            json.WriteString("message", c.Message);
        }

        if (c.Figures is { } f)
        {
            json.WriteStartObject("figures");
            WriteNumber(json, "maxAbsError", f.MaxAbsError);
            WriteNumber(json, "maxRelError", f.MaxRelError);
            if (f.MaxUlp is { } ulp)
            {
                WriteNumber(json, "maxUlp", ulp);
            }
            else
            {
                json.WriteNull("maxUlp");
            }

            json.WriteNumber("elements", f.Elements);
            json.WriteEndObject();
        }
        else
        {
            json.WriteNull("figures");
        }

        if (c.Tolerance is { } t)
        {
            json.WriteStartObject("tolerance");
            WriteNumber(json, "rtol", t.Rtol);
            WriteNumber(json, "atol", t.Atol);
            json.WriteString("reason", t.Reason);
            json.WriteEndObject();
        }
        else
        {
            json.WriteNull("tolerance");
        }

        json.WriteStartArray("failingInputs");
        foreach (string input in c.FailingInputs)
        {
            json.WriteStringValue(input);
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteNumber(Utf8JsonWriter json, string name, double value)
    {
        if (double.IsFinite(value))
        {
            json.WriteNumber(name, value);
        }
        else
        {
            json.WriteString(name, double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");
        }
    }
}
