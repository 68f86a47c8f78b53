using FluentAssertions;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace TorchFacade.Testing.Tests;

/// <summary>LeakCheck: silent when every tensor is disposed, fails with the count when one is left alive.</summary>
public sealed class LeakCheckTests
{
    [Fact]
    public void PassesWhenEveryTensorIsDisposed()
    {
        using var check = LeakCheck.Start("scoped");
        using (NewDisposeScope())
        {
            var x = ones(3, 3);
            _ = (x * 2).sum().item<float>();
        }

        using (var y = zeros(4))
        {
            _ = y.numel();
        }

        check.Leaked.Should().Be(0);
        check.Invoking(c => c.Verify()).Should().NotThrow();
    }

    [Fact]
    public void FailsWithTheCountWhenTensorsAreLeftAlive()
    {
        var kept = new List<Tensor>();
        var check = LeakCheck.Start("the leaky part");
        kept.Add(ones(2));
        kept.Add(ones(2) + 1); // the sum and the intermediate ones(2): two live tensors, one of them unreachable
        check.Leaked.Should().Be(3);
        var thrown = check.Invoking(c => c.Verify()).Should().Throw<TensorLeakException>().Which;
        thrown.Leaked.Should().Be(3);
        thrown.Message.Should().StartWith("3 tensor(s) created in the leaky part are still live");
        kept.ForEach(t => t.Dispose());
    }

    [Fact]
    public void DisposeVerifiesUnlessVerifiedAlready()
    {
        Tensor? leaked = null;
        Action leaky = () =>
        {
            using var check = LeakCheck.Start();
            leaked = ones(1);
        };
        leaky.Should().Throw<TensorLeakException>().Which.Leaked.Should().Be(1);
        leaked!.Dispose();

        var verified = LeakCheck.Start();
        verified.Verify();
        using var late = ones(1);
        verified.Invoking(c => c.Dispose()).Should().NotThrow("Dispose after Verify does not check again");
    }

    [Fact]
    public void TensorsMadeBeforeTheCheckAndDisposedInsideDoNotCountAsLeaks()
    {
        var older = ones(5);
        using var check = LeakCheck.Start();
        older.Dispose();
        check.Leaked.Should().Be(-1);
        check.Invoking(c => c.Verify()).Should().NotThrow();
    }

    [Fact]
    public void RunChecksTheBody()
    {
        Tensor? leaked = null;
        FluentActions.Invoking(() => LeakCheck.Run(() => leaked = zeros(2), "body"))
            .Should().Throw<TensorLeakException>().WithMessage("1 tensor(s) created in body are still live*");
        leaked!.Dispose();
        FluentActions.Invoking(() => LeakCheck.Run(() => { using var t = zeros(2); })).Should().NotThrow();
    }

    [Fact]
    public void ADetachedTensorIsLiveUntilDisposed()
    {
        var check = LeakCheck.Start();
        Tensor escaped;
        using (NewDisposeScope())
        {
            escaped = ones(2).MoveToOuterDisposeScope();
        }

        check.Leaked.Should().Be(1);
        escaped.Dispose();
        check.Leaked.Should().Be(0);
        check.Verify();
    }

    [Fact]
    public void ReadingOnAnotherThreadIsRefused()
    {
        var check = LeakCheck.Start("threaded");
        Exception? thrown = null;
        var other = new Thread(() => thrown = Record.Exception(() => check.Verify()));
        other.Start();
        other.Join();
        thrown.Should().BeOfType<InvalidOperationException>()
            .Which.Message.Should().Match("LeakCheck 'threaded' was started on thread * and read on thread *");
        check.Verify();
    }

    [Fact]
    public void ALeakCheckedTestClassFailsOnlyWhenItsTestLeaks()
    {
        var clean = new CleanTest();
        clean.Body();
        clean.Invoking(t => t.Dispose()).Should().NotThrow();

        var leaky = new LeakyTest();
        leaky.Body();
        leaky.Invoking(t => t.Dispose()).Should().Throw<TensorLeakException>().WithMessage("1 tensor(s) created in LeakyTest are still live*");
        leaky.Kept!.Dispose();
    }

    private sealed class CleanTest : LeakCheckedTest
    {
        public void Body()
        {
            using var scope = NewDisposeScope();
            _ = ones(3).sum();
        }
    }

    private sealed class LeakyTest : LeakCheckedTest
    {
        public Tensor? Kept { get; private set; }

        public void Body() => Kept = ones(3);
    }

    [Fact]
    public void AssertCloseAndGradCheckLeaveNoTensorAlive()
    {
        using var a = tensor(new[] { 1.0, 2.0, 3.0 });
        using var b = tensor(new[] { 1.0, 2.0, 3.0 + 1e-9 });
        using var c = b * 2;
        using var x = tensor(new[] { 0.5, -0.25 }, ScalarType.Float64).requires_grad_(true);
        LeakCheck.Run(() => AssertClose.Check(a, b), "AssertClose.Check");
        LeakCheck.Run(() => AssertClose.Explain(a, c).Should().NotBeNull(), "AssertClose.Explain");
        LeakCheck.Run(() => GradCheck.Run(t => t.sin(), x).Passed.Should().BeTrue(), "GradCheck.Run");
    }
}
