using FluentAssertions;
using TorchFacade.Reference.Optimizers;
using TorchSharp;
using Xunit;

namespace TorchFacade.Reference.Tests.Optimizers;

/// <summary>LBFGS on a quadratic: it converges, counts its evaluations, and needs a closure (parameter groups: LBFGSParamGroupTests).</summary>
public class LBFGSTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("strong_wolfe")]
    public void MinimizesAQuadraticWithTheClosure(string? lineSearch)
    {
        torch.Tensor p = torch.tensor(new double[] { 1.5, -2, 0.5 }).requires_grad_(true);
        torch.Tensor target = torch.tensor(new double[] { 0.25, 1, -1 });
        using var opt = new LBFGS([p], lineSearchFn: lineSearch);
        torch.Tensor Closure()
        {
            opt.ZeroGrad();
            torch.Tensor loss = (p - target).pow(2).sum();
            loss.backward();
            return loss;
        }

        for (int i = 0; i < 3; i++)
        {
            using (torch.NewDisposeScope())
            {
                opt.Step(Closure);
            }

            var st = opt.StateOf(p);
            string.Join(",", st.Where(kv => kv.Value.IsInvalid).Select(kv => kv.Key)).Should().BeEmpty($"every state tensor outlives the caller's dispose scope (step {i})");
        }

        foreach (var kv in opt.StateOf(p))
        {
            kv.Value.IsInvalid.Should().BeFalse(kv.Key);
        }

        p.detach().allclose(target, 1e-6, 1e-8).Should().BeTrue();
        ((long)opt.StateDict().State[0]["func_evals"]!).Should().BeGreaterThan(1);
        FluentActions.Invoking(() => opt.Step()).Should().Throw<ArgumentNullException>();
    }
}
