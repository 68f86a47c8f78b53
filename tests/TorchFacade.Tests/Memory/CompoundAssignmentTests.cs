using FluentAssertions;
using TorchFacade.Tests.Memory.CompoundProbe;
using TorchSharp;
using Xunit;

namespace TorchFacade.Tests.Memory
{
    /// <summary>
    /// Why the facade cannot make C#'s <c>+=</c> in place: a C# 14 compound assignment operator declared as an extension
    /// member on <see cref="torch.Tensor"/> compiles, but <c>y += x</c> binds to Tensor's own binary <c>operator +</c>.
    /// If a future compiler picks the extension, this test fails and the docs of Assign / docs/semantics.md need updating.
    /// </summary>
    public class CompoundAssignmentTests
    {
        [Fact]
        public void ExtensionCompoundOperatorIsNotChosenOverTensorsBinaryOperator()
        {
            using var scope = torch.NewDisposeScope();
            var x = torch.ones(3);
            var y = torch.zeros(3);
            var alias = y;
            CompoundOperators.Calls = 0;

            y += x;

            CompoundOperators.Calls.Should().Be(0, "the extension operator += is never called");
            ReferenceEquals(y, alias).Should().BeFalse("y was rebound to the result of Tensor's operator +");
            alias.data<float>().ToArray().Should().Equal(0f, 0f, 0f);
            y.data<float>().ToArray().Should().Equal(1f, 1f, 1f);
        }
    }
}

namespace TorchFacade.Tests.Memory.CompoundProbe
{
    /// <summary>An in-place <c>+=</c> declared the C# 14 way, as an extension member (what the facade would need).</summary>
    internal static class CompoundOperators
    {
        internal static int Calls;

        extension(torch.Tensor t)
        {
            public void operator +=(torch.Tensor other)
            {
                Calls++;
                t.add_(other);
            }
        }
    }
}
