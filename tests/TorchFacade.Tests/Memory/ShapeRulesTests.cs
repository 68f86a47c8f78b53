using FluentAssertions;
using TorchSharp;
using Xunit;

namespace TorchFacade.Tests.Memory;

/// <summary>The managed view-stride rule must agree with LibTorch's own <c>view</c> on every layout (the oracle is LibTorch).</summary>
public class ShapeRulesTests
{
    [Fact]
    public void ViewabilityAgreesWithLibTorchOverPermutationsAndSlices()
    {
        var random = new Random(1234);
        int checkedCases = 0;
        int viewable = 0;
        for (int trial = 0; trial < 300; trial++)
        {
            using var scope = torch.NewDisposeScope();
            // Contiguous [2, 3, 4], or every second element of [2, 3, 8] (strides [24, 8, 2]); then permuted.
            var x = random.Next(2) == 0
                ? torch.arange(24, dtype: torch.float32).view(2, 3, 4)
                : torch.arange(48, dtype: torch.float32).view(2, 3, 8)[torch.TensorIndex.Colon, torch.TensorIndex.Colon, torch.TensorIndex.Slice(0, null, 2)];
            long[] perm = [.. new long[] { 0, 1, 2 }.OrderBy(_ => random.Next())];
            var p = x.permute(perm);

            long[][] candidates = [[24], [-1, 2], [6, 4], [2, 12], [4, 6], [3, 8], [2, 3, 4], [4, 3, 2], [2, 2, 6], [3, 2, 4], [2, 3, 2, 2], [1, 24, 1]];
            long[] target = candidates[random.Next(candidates.Length)];

            bool libTorchAccepts;
            try
            {
                using var probe = p.view(target);
                libTorchAccepts = true;
            }
            catch (System.Runtime.InteropServices.ExternalException)
            {
                libTorchAccepts = false;
            }

            Action facade = () => p.View(target).Dispose();
            if (libTorchAccepts)
            {
                facade.Should().NotThrow($"LibTorch views shape {string.Join(",", p.shape)} strides {string.Join(",", p.stride())} as {string.Join(",", target)}");
                viewable++;
            }
            else
            {
                facade.Should().Throw<TensorLayoutException>();
            }

            checkedCases++;
        }

        checkedCases.Should().Be(300);
        viewable.Should().BeInRange(1, 299, "the sample must contain both viewable and non-viewable layouts");
    }

    [Fact]
    public void ZeroElementAndScalarTensorsView()
    {
        using var scope = torch.NewDisposeScope();
        torch.zeros(0, 3).View(3, 0).shape.Should().Equal(3, 0);
        torch.tensor(5f).View(1, 1).shape.Should().Equal(1, 1);
        torch.ones(1, 1).View().shape.Should().BeEmpty();
    }
}
