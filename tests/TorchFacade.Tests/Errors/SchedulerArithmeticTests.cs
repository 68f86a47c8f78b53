using FluentAssertions;
using TorchFacade.Optim.LrScheduler;
using TorchSharp;
using Xunit;
using R = TorchFacade.Reference.Optimizers;

namespace TorchFacade.Tests.Errors;

/// <summary>
/// The schedulers divide by zero where PyTorch's Python does (ZeroDivisionError, here <see cref="DivideByZeroException"/>
/// whose first line names the member, the expression with its values and the fix) and nowhere else: PyTorch 2.6 accepts
/// <c>PolynomialLR(total_iters=0)</c> and <c>LinearLR(total_iters=0)</c> and, after six steps from lr 0.1, reports
/// <c>[0.1]</c> and <c>[0.03333333333333333]</c> (tests/golden/make_errors_golden.py prints both).
/// </summary>
public class SchedulerArithmeticTests
{
    private static R.SGD Sgd() => new([torch.ones(2).requires_grad_(true)], lr: 0.1);

    [Fact]
    public void StepSizeZeroRaisesZeroDivisionAtTheFirstStepNamingTheMember()
    {
        var s = new StepLR(Sgd(), stepSize: 0);
        var ex = FluentActions.Invoking(s.Step).Should().Throw<DivideByZeroException>().Which;
        ex.Message.Should().Be("StepLR.Step: integer modulo by zero computing last_epoch % step_size = 1 % 0 (PyTorch raises ZeroDivisionError here). Pass step_size >= 1.");
    }

    [Fact]
    public void ConstantFactorZeroRaisesOnlyWhenTheFactorIsUndone()
    {
        var s = new ConstantLR(Sgd(), factor: 0, totalIters: 2);
        s.Step();
        s.GetLastLr().Should().Equal(0.0);
        FluentActions.Invoking(s.Step).Should().Throw<DivideByZeroException>().WithMessage("ConstantLR.Step: float division by zero computing 1.0 / factor = 1.0 / 0.0 *Pass a factor greater than 0*");
    }

    [Fact]
    public void ZeroTotalItersIsAcceptedAsInPyTorch()
    {
        var polynomial = new PolynomialLR(Sgd(), totalIters: 0);
        var linear = new LinearLR(Sgd(), totalIters: 0);
        for (int i = 0; i < 6; i++)
        {
            polynomial.Step();
            linear.Step();
        }

        polynomial.GetLastLr().Should().Equal(0.1);
        linear.GetLastLr()[0].Should().BeApproximately(0.03333333333333333, 1e-17);
    }
}
