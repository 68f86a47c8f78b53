using FluentAssertions;
using TorchFacade.Optim;
using TorchFacade.Optim.LrScheduler;
using TorchFacade.Reference.Optimizers;
using TorchSharp;
using Xunit;

namespace TorchFacade.Tests.Optim.LrScheduler;

/// <summary>
/// The scheduler behaviours beyond the golden trajectories, each with PyTorch 2.6's own values (StepLR(step_size=2,
/// gamma=0.5) over SGD(lr=1.0), measured): the warning for stepping the scheduler before the optimizer,
/// <c>initial_lr</c>, resuming with <c>last_epoch</c>, and a state-dict round trip that continues the same schedule.
/// </summary>
public class SchedulerHandTests
{
    [Fact]
    public void SteppingTheSchedulerBeforeTheOptimizerWarnsOnceWithPyTorchsText()
    {
        using var opt = new SGD([Param()], lr: 1.0);
        var sched = new StepLR(opt, stepSize: 2, gamma: 0.5);
        var warnings = new List<LRSchedulerWarningEventArgs>();
        sched.Warning += (_, e) => warnings.Add(e);
        sched.Step();
        sched.Step();
        warnings.Should().ContainSingle("PyTorch warns at the first scheduler step only");
        warnings[0].Message.Should().Be(LRScheduler.StepBeforeOptimizerWarning);
        warnings[0].Message.Should().StartWith("Detected call of `lr_scheduler.step()` before `optimizer.step()`.");
        warnings[0].Category.Should().Be("UserWarning");
        sched.GetLastLr().Should().Equal([0.5]);
        sched.LastEpoch.Should().Be(2);
    }

    [Fact]
    public void NoWarningWhenTheOptimizerStepsFirst()
    {
        torch.Tensor p = Param();
        using var opt = new SGD([p], lr: 1.0);
        var sched = new StepLR(opt, stepSize: 2, gamma: 0.5);
        var warnings = new List<string>();
        sched.Warning += (_, e) => warnings.Add(e.Message);
        for (int epoch = 0; epoch < 3; epoch++)
        {
            p.grad = torch.ones(2);
            opt.Step();
            sched.Step();
        }

        warnings.Should().BeEmpty();
    }

    [Fact]
    public void InitialLrIsSetOnceAndIsTheBaseRate()
    {
        using var opt = new SGD([Param()], lr: 1.0);
        var first = new StepLR(opt, stepSize: 2, gamma: 0.5);
        opt.ParamGroups[0]["initial_lr"].Should().Be(1.0);
        first.GetLastLr().Should().Equal([1.0]);
        first.LastEpoch.Should().Be(0);
        opt.ParamGroups[0].Lr = 0.2;
        var second = new StepLR(opt, stepSize: 3, gamma: 0.1);
        opt.ParamGroups[0]["initial_lr"].Should().Be(1.0, "PyTorch uses setdefault: an existing initial_lr is kept");
        ((System.Collections.IEnumerable)second.StateDict()["base_lrs"]!).Cast<object>().Should().Equal([1.0], "base_lrs are the groups' initial_lr");
    }

    [Fact]
    public void ResumingWithLastEpochNeedsInitialLrAndContinuesPyTorchsSchedule()
    {
        torch.Tensor p = Param();
        using var opt = new SGD([p], lr: 0.3);
        Action missing = () => _ = new StepLR(opt, stepSize: 2, gamma: 0.5, lastEpoch: 3);
        missing.Should().Throw<KeyNotFoundException>().WithMessage("*param 'initial_lr' is not specified in param_groups[0] when resuming an optimizer*");
        opt.ParamGroups[0]["initial_lr"] = 1.0;
        var sched = new StepLR(opt, stepSize: 2, gamma: 0.5, lastEpoch: 3);

        // PyTorch 2.6: last_epoch 4, lr 0.15 (the chainable form from the group's current lr 0.3), then 0.15, 0.075, 0.075.
        sched.LastEpoch.Should().Be(4);
        sched.GetLastLr().Should().Equal([0.15]);
        opt.ParamGroups[0].Lr.Should().Be(0.15);
        var lrs = new List<double>();
        for (int i = 0; i < 3; i++)
        {
            p.grad = torch.ones(2);
            opt.Step();
            sched.Step();
            lrs.Add(sched.GetLastLr()[0]);
        }

        lrs.Should().Equal([0.15, 0.075, 0.075]);
        sched.LastEpoch.Should().Be(7);
    }

    [Fact]
    public void StateDictRoundTripContinuesTheSameSchedule()
    {
        torch.Tensor p = Param();
        using var opt = new SGD([p], lr: 1.0, momentum: 0.9);
        var sched = new CosineAnnealingLR(opt, tMax: 10, etaMin: 0.01);
        for (int i = 0; i < 4; i++)
        {
            p.grad = torch.ones(2);
            opt.Step();
            sched.Step();
        }

        IReadOnlyDictionary<string, object?> saved = sched.StateDict();
        OptimizerStateDict savedOpt = opt.StateDict();
        var expected = new List<double>();
        for (int i = 0; i < 6; i++)
        {
            p.grad = torch.ones(2);
            opt.Step();
            sched.Step();
            expected.Add(sched.GetLastLr()[0]);
        }

        torch.Tensor q = Param();
        using var opt2 = new SGD([q], lr: 1.0, momentum: 0.9);
        var resumed = new CosineAnnealingLR(opt2, tMax: 10, etaMin: 0.01);
        opt2.LoadStateDict(savedOpt);   // PyTorch's resume order: build both, then load the optimizer, then the scheduler
        resumed.LoadStateDict(saved);
        resumed.LastEpoch.Should().Be(4);
        var actual = new List<double>();
        for (int i = 0; i < 6; i++)
        {
            q.grad = torch.ones(2);
            opt2.Step();
            resumed.Step();
            actual.Add(resumed.GetLastLr()[0]);
        }

        actual.Should().Equal(expected, "the loaded scheduler continues the saved one's trajectory bit for bit");
        resumed.StateDict().Keys.Should().Equal(saved.Keys);
    }

    private static torch.Tensor Param() => torch.zeros(2).requires_grad_(true);
}
