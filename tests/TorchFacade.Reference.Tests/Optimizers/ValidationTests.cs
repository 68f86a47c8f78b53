using FluentAssertions;
using TorchFacade.Reference.Optimizers;
using TorchSharp;
using Xunit;

namespace TorchFacade.Reference.Tests.Optimizers;

/// <summary>PyTorch's argument checks, as exceptions with PyTorch's messages, thrown before LibTorch is touched.</summary>
public class ValidationTests
{
    private static torch.Tensor[] P() => [torch.ones(3).requires_grad_(true)];

    [Theory]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    public void NegativeOrNaNLearningRateIsRejected(double lr)
    {
        if (lr < 0)
        {
            FluentActions.Invoking(() => new SGD(P(), lr)).Should().Throw<ArgumentException>().WithMessage("SGD: Invalid learning rate: -1.0*");
        }

        foreach (Action make in new Action[]
        {
            () => _ = new Adam(P(), lr),
            () => _ = new AdamW(P(), lr),
            () => _ = new Adagrad(P(), lr),
            () => _ = new RMSprop(P(), lr),
        })
        {
            make.Should().Throw<ArgumentException>().WithMessage("*Invalid learning rate: *");
        }
    }

    [Fact]
    public void Groups_and_assignments_take_any_value_as_PyTorch_does_only_the_constructor_checks_ranges()
    {
        // PyTorch checks hyperparameters in the constructor only: a group's own options, group["lr"] = ... (what the LR
        // schedulers write: ExponentialLR(gamma=-1) makes the lr negative) and a loaded state dict are plain dict values.
        torch.Tensor a = torch.ones(2).requires_grad_(true), b = torch.ones(2).requires_grad_(true);
        using var adam = new Adam([new TorchFacade.Optim.ParamGroup([a]) { ["lr"] = -1.0, ["betas"] = (1.5, 0.999) }], lr: 0.1);
        adam.ParamGroups[0].Lr.Should().Be(-1.0);
        adam.ParamGroups[0].Lr = double.NaN;
        adam.ParamGroups[0]["eps"] = -1.0;
        adam.AddParamGroup(new TorchFacade.Optim.ParamGroup([b]) { ["weight_decay"] = -0.5 });
        adam.ParamGroups[1]["weight_decay"].Should().Be(-0.5);
        FluentActions.Invoking(() => new Adam([a], lr: -1.0)).Should().Throw<ArgumentException>().WithMessage("Adam: Invalid learning rate: -1.0*");
        FluentActions.Invoking(() => adam.ParamGroups[0]["eps"] = "small").Should().Throw<ArgumentException>("the type is still checked");
    }

    [Fact]
    public void SGD_accepts_a_NaN_learning_rate_as_PyTorch_does()
    {
        // sgd.py checks `if lr < 0.0`, which NaN passes (Adam's `if not 0.0 <= lr` refuses it); PyTorch 2.6 then steps to NaN.
        torch.Tensor p = torch.ones(2).requires_grad_(true);
        using var sgd = new SGD([p], double.NaN);
        p.grad = torch.ones(2);
        sgd.Step();
        p.data<float>().ToArray().Should().OnlyContain(v => float.IsNaN(v));
    }

    [Theory]
    [InlineData(-0.1, 0.999, "Invalid beta parameter at index 0: -0.1*")]
    [InlineData(1.0, 0.999, "Invalid beta parameter at index 0: 1*")]
    [InlineData(0.9, 1.0, "Invalid beta parameter at index 1: 1*")]
    [InlineData(0.9, -1e-3, "Invalid beta parameter at index 1: -0.001*")]
    public void BetasOutsideZeroOneAreRejected(double b1, double b2, string message)
    {
        FluentActions.Invoking(() => new Adam(P(), betas: (b1, b2))).Should().Throw<ArgumentException>().WithMessage("*" + message);
        FluentActions.Invoking(() => new AdamW(P(), betas: (b1, b2))).Should().Throw<ArgumentException>().WithMessage("*" + message);
    }

    [Fact]
    public void NesterovNeedsMomentumAndZeroDampening()
    {
        FluentActions.Invoking(() => new SGD(P(), 0.1, nesterov: true)).Should().Throw<ArgumentException>().WithMessage("*Nesterov momentum requires a momentum and zero dampening*");
        FluentActions.Invoking(() => new SGD(P(), 0.1, momentum: 0.9, dampening: 0.1, nesterov: true)).Should().Throw<ArgumentException>().WithMessage("*Nesterov momentum requires a momentum and zero dampening*");
        FluentActions.Invoking(() => new SGD(P(), 0.1, momentum: 0.9, nesterov: true)).Should().NotThrow();
    }

    [Fact]
    public void OtherRangesFollowPyTorch()
    {
        FluentActions.Invoking(() => new SGD(P(), 0.1, momentum: -0.5)).Should().Throw<ArgumentException>().WithMessage("*Invalid momentum value: -0.5*");
        FluentActions.Invoking(() => new SGD(P(), 0.1, weightDecay: -1)).Should().Throw<ArgumentException>().WithMessage("*Invalid weight_decay value: -1*");
        FluentActions.Invoking(() => new Adam(P(), eps: -1e-8)).Should().Throw<ArgumentException>().WithMessage("*Invalid epsilon value: -1E-08*");
        FluentActions.Invoking(() => new Adagrad(P(), lrDecay: -1)).Should().Throw<ArgumentException>().WithMessage("*Invalid lr_decay value: -1*");
        FluentActions.Invoking(() => new Adagrad(P(), initialAccumulatorValue: -1)).Should().Throw<ArgumentException>().WithMessage("*Invalid initial_accumulator_value value: -1*");
        FluentActions.Invoking(() => new RMSprop(P(), alpha: -0.1)).Should().Throw<ArgumentException>().WithMessage("*Invalid alpha value: -0.1*");
        FluentActions.Invoking(() => new RMSprop(P(), momentum: -0.1)).Should().Throw<ArgumentException>().WithMessage("*Invalid momentum value: -0.1*");
    }

    [Fact]
    public void BadParameterListsAreRejected()
    {
        FluentActions.Invoking(() => new SGD(Array.Empty<torch.Tensor>(), 0.1)).Should().Throw<ArgumentException>().WithMessage("*optimizer got an empty parameter list*");
        FluentActions.Invoking(() => new SGD([torch.ones(2)], 0.1)).Should().NotThrow("PyTorch accepts frozen parameters (requires_grad false) and skips them while their grad is null");
        FluentActions.Invoking(() => new SGD([torch.ones(1).expand(3)], 0.1)).Should().Throw<ArgumentException>().WithMessage("*unsupported operation: more than one element of the written-to tensor refers to a single memory location*");
        torch.Tensor leaf = torch.ones(2).requires_grad_(true);
        FluentActions.Invoking(() => new SGD([leaf * 2], 0.1)).Should().Throw<ArgumentException>().WithMessage("*can't optimize a non-leaf Tensor*");
        FluentActions.Invoking(() => new SGD([leaf, leaf], 0.1)).Should().Throw<ArgumentException>().WithMessage("*duplicate parameters*");
        FluentActions.Invoking(() => new SGD([torch.ones(2, dtype: torch.ScalarType.Int64)], 0.1)).Should().Throw<ArgumentException>().WithMessage("*floating point*");
        var disposed = torch.ones(2).requires_grad_(true);
        disposed.Dispose();
        FluentActions.Invoking(() => new SGD([disposed], 0.1)).Should().Throw<ObjectDisposedException>().WithMessage("*disposed*");
    }

    [Fact]
    public void ParamGroupChangesAreCheckedForKeysAndTypesOnly()
    {
        using var sgd = new SGD(P(), 0.1, momentum: 0.9);
        var group = sgd.ParamGroups[0];
        FluentActions.Invoking(() => group.Lr = -1).Should().NotThrow("PyTorch's param_groups are plain dicts: only its constructor checks ranges");
        group.Lr.Should().Be(-1);
        FluentActions.Invoking(() => group["nesterov"] = true).Should().NotThrow();
        FluentActions.Invoking(() => group["dampening"] = 0.5).Should().NotThrow("PyTorch checks nesterov's needs in the constructor only");
        FluentActions.Invoking(() => group["differentiable"] = true).Should().Throw<NotSupportedException>("what this implementation cannot run is refused wherever it is set");
        group["differentiable"].Should().Be(false, "a refused value leaves the option unchanged");
        FluentActions.Invoking(() => group["betas"] = (0.9, 0.999)).Should().Throw<KeyNotFoundException>().WithMessage("*no hyperparameter 'betas'*momentum*");
        FluentActions.Invoking(() => group["momentum"] = "high").Should().Throw<ArgumentException>().WithMessage("*must be a number*");
        group["momentum"] = 0.5f;
        group.GetDouble("momentum").Should().Be(0.5);
    }

    [Fact]
    public void GradOfTheWrongShapeIsAClearError()
    {
        torch.Tensor p = torch.ones(3).requires_grad_(true);
        using var adam = new Adam([p]);
        p.grad = torch.ones(4);
        FluentActions.Invoking(() => adam.Step()).Should().Throw<InvalidOperationException>().WithMessage("*shape [4]*[3]*");
    }
}
