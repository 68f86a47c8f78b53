using TorchFacade.Conformance;
using Xunit;
using Xunit.Abstractions;
namespace TorchFacade.Reference.Tests.Activations;
public sealed class DebugTests(ITestOutputHelper output)
{
    [Fact]
    public void Debug()
    {
        var c = Catalog.All.First(c => c.Id == (Environment.GetEnvironmentVariable("DBG_ID") ?? "activation/relu/float32/cpu/shapes"));
        try { var r = c.Run(); output.WriteLine($"{r.Outcome} {r.Figures} {r.Message} {string.Join("; ", r.FailingInputs)}"); }
        catch (Exception ex) { output.WriteLine(ex.ToString()); }
    }
}
