using Xunit;

namespace TorchFacade.TestSupport;

/// <summary>A fact skipped, with the reason, when no /usr/bin/python3 with torch is installed.</summary>
public sealed class TorchPythonFactAttribute : FactAttribute
{
    public TorchPythonFactAttribute()
    {
        if (TorchPython.Python is null)
        {
            Skip = TorchPython.Reason;
        }
    }
}
