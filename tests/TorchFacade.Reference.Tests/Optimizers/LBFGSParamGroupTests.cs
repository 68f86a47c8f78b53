using FluentAssertions;
using TorchFacade.Optim;
using TorchFacade.Reference.Optimizers;
using TorchSharp;
using Xunit;

namespace TorchFacade.Reference.Tests.Optimizers;

/// <summary>
/// LBFGS and parameter groups, as PyTorch 2.6 does it (checked with torch 2.6.0: <c>LBFGS([{...}, {...}])</c> raises
/// ValueError "LBFGS doesn't support per-parameter options (parameter groups)"; <c>add_param_group</c> afterwards is the
/// base class's and is accepted, the new group gets LBFGS's defaults, <c>state_dict()</c> keeps the whole state under
/// parameter 0 with <c>param_groups</c> ids <c>[[0], [1]]</c>, it loads into an LBFGS with two groups and not into one
/// with one; <c>step</c> then raises AssertionError from <c>assert len(self.param_groups) == 1</c>; <c>zero_grad</c>
/// clears every group).
/// </summary>
public class LBFGSParamGroupTests
{
    private static torch.Tensor Leaf(params double[] values) => torch.tensor(values).requires_grad_(true);

    [Fact]
    public void TwoGroupsInTheConstructorAreRefusedWithPyTorchsMessage()
    {
        FluentActions.Invoking(() => new LBFGS([new ParamGroup([Leaf(1)]), new ParamGroup([Leaf(2)])]))
            .Should().Throw<ArgumentException>().WithMessage("LBFGS: LBFGS doesn't support per-parameter options (parameter groups)*");
    }

    [Fact]
    public void AddParamGroupIsAcceptedWithLbfgsDefaultsAndStateDictLayoutOfPyTorch()
    {
        torch.Tensor a = Leaf(1, -2);
        torch.Tensor b = Leaf(3);
        using var opt = new LBFGS([a], lr: 0.5, maxIter: 3);
        torch.Tensor Closure()
        {
            opt.ZeroGrad();
            torch.Tensor loss = a.pow(2).sum() + (b.pow(2).sum() * 3);
            loss.backward();
            return loss;
        }

        opt.Step(Closure);
        double[] aAfterStep = a.detach().data<double>().ToArray();
        opt.AddParamGroup(new ParamGroup([b]) { Lr = 0.1 });

        opt.ParamGroups.Should().HaveCount(2);
        opt.ParamGroups[1].Lr.Should().Be(0.1);
        foreach (string key in new[] { "max_iter", "max_eval", "tolerance_grad", "tolerance_change", "history_size", "line_search_fn" })
        {
            opt.ParamGroups[1][key].Should().Be(opt.ParamGroups[0][key], key);
        }

        OptimizerStateDict sd = opt.StateDict();
        sd.State.Keys.Should().Equal(0);
        sd.State[0].Keys.Should().BeEquivalentTo("H_diag", "al", "d", "func_evals", "n_iter", "old_dirs", "old_stps", "prev_flat_grad", "prev_loss", "ro", "t");
        sd.ParamGroups.Select(g => ((IEnumerable<object?>)g["params"]!).Cast<long>().ToArray()).Should().BeEquivalentTo(new[] { new long[] { 0 }, new long[] { 1 } }, o => o.WithStrictOrdering());
        sd.ParamGroups[1]["lr"].Should().Be(0.1);

        // Loads into an LBFGS with two groups (the added group's lr comes back), not into one with one.
        using var two = new LBFGS([Leaf(0, 0)], lr: 0.5, maxIter: 3);
        two.AddParamGroup([Leaf(0)]);
        two.LoadStateDict(sd);
        two.ParamGroups[1].Lr.Should().Be(0.1);
        ((long)two.StateDict().State[0]["n_iter"]!).Should().Be((long)sd.State[0]["n_iter"]!);
        using var one = new LBFGS([Leaf(0, 0)], lr: 0.5, maxIter: 3);
        FluentActions.Invoking(() => one.LoadStateDict(sd)).Should().Throw<TorchException>()
            .Where(e => e.PyTorchType == PyTorchErrorTypes.ValueError).WithMessage("*different number of parameter groups*");

        // Step now refuses, as PyTorch's assert does, and changes nothing.
        FluentActions.Invoking(() => opt.Step(Closure)).Should().Throw<InvalidOperationException>()
            .WithMessage("LBFGS.Step: LBFGS steps exactly one parameter group, but this optimizer has 2*AssertionError*");
        a.detach().data<double>().ToArray().Should().Equal(aAfterStep);
        b.detach().data<double>().ToArray().Should().Equal(3.0);

        // ZeroGrad clears every group's gradients (PyTorch's set_to_none): b's gradient came from the first step's closure.
        b.grad.Should().NotBeNull();
        opt.ZeroGrad();
        b.grad.Should().BeNull();
    }
}
