namespace TorchFacade.Conformance.Cases.Errors;

/// <summary>
/// A table of <see cref="ErrorCase"/> rows for the <c>errors</c> group. To add bad-input cases for your own members,
/// derive a public sealed class with a parameterless constructor and yield rows from <see cref="Rows"/>; the catalog
/// picks it up, makes one case per row and device (<c>errors/&lt;name&gt;/&lt;device&gt;</c>) and checks it with
/// <see cref="ErrorCheck"/>.
/// </summary>
public abstract class ErrorCaseTable : ICaseSource
{
    /// <summary>The rows.</summary>
    /// <returns>The bad inputs.</returns>
    protected abstract IEnumerable<ErrorCase> Rows();

    /// <inheritdoc />
    public IEnumerable<ConformanceCase> Cases()
    {
        foreach (ErrorCase row in Rows())
        {
            foreach (string device in ConformanceDevices.All)
            {
                yield return new ConformanceCase
                {
                    Id = $"errors/{row.Name}/{device}",
                    Group = CaseGroup.Errors,
                    Claim = $"{row.Member} with a bad input raises {row.Expected.Name}"
                            + (row.Kind is null ? string.Empty : $" (PyTorch: {row.Kind})") + $" saying \"{row.Fragment}\"",
                    Compares = "facade exception vs the expected type, PyTorch 2.6's exception class and first line (tests/golden/errors.json)",
                    Device = device,
                    Run = () => ErrorCheck.Run(row, device),
                };
            }
        }
    }
}
