using FluentAssertions;
using TorchSharp;
using Xunit;

namespace TorchFacade.Tests.Memory;

/// <summary>
/// Seed: "element-wise ops on tensors of different shapes may broadcast: elements are copied so both have the same shape,
/// then the op runs element-wise". The oracle is the hand-expanded loop in double.
/// </summary>
public class BroadcastingTests
{
    [Fact]
    public void RowPlusColumnBroadcastsToAMatrix()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.arange(1, 3, dtype: torch.float32).View(1, 2); // seed: torch.arange(1, 3).view(1, 2)
        var y = torch.arange(1, 4, dtype: torch.float32).View(3, 1); // seed: torch.arange(1, 4).view(3, 1)

        var sum = x + y;

        sum.shape.Should().Equal(3, 2);
        float[] expected = new float[6];
        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j < 2; j++)
            {
                expected[(i * 2) + j] = (j + 1) + (i + 1);
            }
        }

        sum.data<float>().ToArray().Should().Equal(expected);
    }

    [Fact]
    public void BroadcastShapesFollowsPyTorchRules()
    {
        ShapeRules.BroadcastShapes("t", [3, 1], [1, 2]).Should().Equal(3L, 2L);
        ShapeRules.BroadcastShapes("t", [5, 3, 1], [4]).Should().Equal(5L, 3L, 4L);
        ShapeRules.BroadcastShapes("t", [], [2, 2]).Should().Equal(2L, 2L);
        ShapeRules.BroadcastShapes("t", [0, 1], [1, 3]).Should().Equal(0L, 3L);
        var act = () => ShapeRules.BroadcastShapes("t", [2, 3], [3, 2]);
        act.Should().Throw<ShapeMismatchException>().Which.Dimension.Should().Be(1);
    }

    [Fact]
    public void BroadcastShapesAgreesWithLibTorch()
    {
        long[][] shapes = [[], [1], [3], [2, 1], [1, 3], [2, 3], [3, 2], [4, 1, 3], [1, 2, 1]];
        foreach (long[] a in shapes)
        {
            foreach (long[] b in shapes)
            {
                using var scope = torch.NewDisposeScope();
                long[]? libTorch;
                try
                {
                    libTorch = (torch.zeros(a) + torch.zeros(b)).shape;
                }
                catch (System.Runtime.InteropServices.ExternalException)
                {
                    libTorch = null;
                }

                Func<long[]> facade = () => ShapeRules.BroadcastShapes("t", a, b);
                if (libTorch is null)
                {
                    facade.Should().Throw<ShapeMismatchException>();
                }
                else
                {
                    facade().Should().Equal(libTorch);
                }
            }
        }
    }
}
