using Xunit;

namespace TorchFacade.TestSupport;

/// <summary>A theory skipped, with the reason, when no /usr/bin/python3 with torch is installed.</summary>
public sealed class TorchPythonTheoryAttribute : TheoryAttribute
{
    public TorchPythonTheoryAttribute()
    {
        if (TorchPython.Python is null)
        {
            Skip = TorchPython.Reason;
        }
    }
}
