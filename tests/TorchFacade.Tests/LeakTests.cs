using FluentAssertions;
using TorchSharp;
using Xunit;

namespace TorchFacade.Tests;

/// <summary>Soak test: many iterations of every facade member inside dispose scopes leave no live tensor behind.</summary>
public class LeakTests
{
    [Fact]
    public void FacadeMembersInDisposeScopesLeaveNoLiveTensors()
    {
        // Warm up lazily created state (CUDA probe, GradFn exports) outside the measurement.
        using (torch.NewDisposeScope())
        {
            _ = torch.ones(1, requires_grad: true).Clone().GradFn;
            _ = Torch.Cuda.IsAvailable;
        }

        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        for (int i = 0; i < 2000; i++)
        {
            using var scope = torch.NewDisposeScope();
            var x = torch.ones(2, 2);
            x.RequiresGrad = true;
            var y = x + 2;
            var z = y * y * 3;
            var @out = z.mean();
            @out.Backward();
            _ = x.Grad!.sum().Item<float>();
            _ = y.GradFn?.Name;
            var v = y.Detach().View(4).Reshape(2, 2).Clone();
            v.Assign(torch.zeros(2));
            Torch.Add(v, v, @out: v);
            _ = v.To("cpu").SharesStorageWith(v);
            _ = v.sum().Item<double>();
            x.Grad = null;
        }

        DisposeScopeManager.Statistics.ThreadTotalLiveCount.Should().Be(before);
    }
}
