using FluentAssertions;
using TorchSharp;
using Xunit;

namespace TorchFacade.Tests.Autograd;

/// <summary>Grad-mode scopes: nesting, restore on exceptions, and the mode flowing with the async flow across awaits.</summary>
public class GradModeTests
{
    [Fact]
    public void ScopesNestAndRestore()
    {
        Torch.IsGradEnabled.Should().BeTrue();
        using (Torch.NoGrad())
        {
            Torch.IsGradEnabled.Should().BeFalse();
            using (Torch.EnableGrad())
            {
                Torch.IsGradEnabled.Should().BeTrue();
                using (Torch.SetGradEnabled(false))
                {
                    Torch.IsGradEnabled.Should().BeFalse();
                }

                Torch.IsGradEnabled.Should().BeTrue();
            }

            Torch.IsGradEnabled.Should().BeFalse();
        }

        Torch.IsGradEnabled.Should().BeTrue();
    }

    [Fact]
    public void EnableGradInsideNoGradRecords()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.ones(2, requires_grad: true);
        using (Torch.NoGrad())
        {
            (x * 2).RequiresGrad.Should().BeFalse();
            using (Torch.EnableGrad())
            {
                (x * 2).RequiresGrad.Should().BeTrue();
            }
        }
    }

    [Fact]
    public void InferenceModeDisablesGradAndRestores()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.ones(2, requires_grad: true);
        using (Torch.InferenceMode())
        {
            Torch.IsGradEnabled.Should().BeFalse();
            torch.is_inference_mode_enabled().Should().BeTrue();
            (x * 2).RequiresGrad.Should().BeFalse();
        }

        torch.is_inference_mode_enabled().Should().BeFalse();
        Torch.IsGradEnabled.Should().BeTrue();
    }

    [Fact]
    public void ExceptionEscapingNestedScopesStillRestores()
    {
        var act = () =>
        {
            using (Torch.NoGrad())
            {
                using (Torch.EnableGrad())
                {
                    using (Torch.NoGrad())
                    {
                        throw new InvalidDataException("boom");
                    }
                }
            }
        };

        act.Should().Throw<InvalidDataException>();
        Torch.IsGradEnabled.Should().BeTrue();
    }

    [Fact]
    public void SetGradEnabledRestoresThePreviousState()
    {
        using (Torch.NoGrad())
        {
            using (Torch.SetGradEnabled(true))
            {
                Torch.IsGradEnabled.Should().BeTrue();
            }

            Torch.IsGradEnabled.Should().BeFalse("the mode before SetGradEnabled(true) was off");
        }
    }

    [Fact]
    public void DisposingTwiceIsHarmless()
    {
        var noGrad = Torch.NoGrad();
        noGrad.Dispose();
        using (Torch.NoGrad())
        {
            noGrad.Dispose();
            Torch.IsGradEnabled.Should().BeFalse("the second Dispose of the old scope must not restore anything");
        }

        Torch.IsGradEnabled.Should().BeTrue();
    }

    [Fact]
    public async Task ContinuationOnAnotherThreadSeesTheScopesMode()
    {
        // The body runs synchronously on the test thread up to its first ConfigureAwait(false), then on the thread pool.
        await Body();

        static async Task Body()
        {
            using var x = torch.ones(2, requires_grad: true);
            int before = Environment.CurrentManagedThreadId;
            var seen = new List<(int Thread, bool Grad, bool Recorded)>();
            using (Torch.NoGrad())
            {
                for (int i = 0; i < 20; i++)
                {
                    await Task.Delay(1).ConfigureAwait(false);
                    using var y = x * 2;
                    seen.Add((Environment.CurrentManagedThreadId, Torch.IsGradEnabled, y.RequiresGrad));
                }
            }

            Torch.IsGradEnabled.Should().BeTrue("the scope was disposed on the thread the flow ended on");
            using var after = x * 2;
            after.RequiresGrad.Should().BeTrue();
            seen.Should().OnlyContain(s => !s.Grad && !s.Recorded, "every continuation, on whatever thread, runs under NoGrad");
            seen.Select(s => s.Thread).Append(before).Distinct().Count().Should().BeGreaterThan(1, "the continuations ran on other thread-pool threads");
        }
    }

    [Fact]
    public void TheThreadTheFlowLeftGetsItsModeBack()
    {
        bool openerAfterAwait = false;
        bool insideAfterAwait = true;
        bool disposedCleanly = false;
        var opener = new Thread(() =>
        {
            // Runs synchronously up to the first await on this dedicated thread; the rest resumes on the thread pool
            // (no synchronization context), so the scope is disposed on a different thread.
            Task task = OpenAwaitAndDisposeAsync(() => insideAfterAwait = Torch.IsGradEnabled);
            openerAfterAwait = Torch.IsGradEnabled;
            task.GetAwaiter().GetResult();
            disposedCleanly = true;
        });
        opener.Start();
        opener.Join();

        openerAfterAwait.Should().BeTrue("the opening thread left the flow at the await and got its own mode back");
        insideAfterAwait.Should().BeFalse("the continuation on the thread pool ran under the scope");
        disposedCleanly.Should().BeTrue("disposing on the continuation's thread is allowed: the scope belongs to the flow");
    }

    [Fact]
    public async Task ThreadPoolThreadsAreCleanAfterAFlowEnds()
    {
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            using (Torch.NoGrad())
            {
                await Task.Yield();
                using (Torch.InferenceMode())
                {
                    await Task.Yield();
                }
            }
        })));

        bool[] modes = await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => Task.Run(() => Torch.IsGradEnabled && !torch.is_inference_mode_enabled())));
        modes.Should().OnlyContain(ok => ok, "no thread-pool thread is left in no-grad or inference mode by a flow that ended");
    }

    [Fact]
    public async Task NestedScopesAcrossAwaits()
    {
        // The body runs synchronously on the test thread up to its first ConfigureAwait(false), then on the thread pool.
        await Body();

        static async Task Body()
        {
            var modes = new List<bool>();
            using (Torch.NoGrad())
            {
                await Task.Yield();
                modes.Add(Torch.IsGradEnabled);
                using (Torch.EnableGrad())
                {
                    await Task.Delay(1).ConfigureAwait(false);
                    modes.Add(Torch.IsGradEnabled);
                    using (Torch.SetGradEnabled(false))
                    {
                        await Task.Yield();
                        modes.Add(Torch.IsGradEnabled);
                    }

                    modes.Add(Torch.IsGradEnabled);
                }

                await Task.Yield();
                modes.Add(Torch.IsGradEnabled);
            }

            modes.Add(Torch.IsGradEnabled);
            modes.Should().Equal(false, true, false, true, false, true);
        }
    }

    [Fact]
    public async Task InferenceModeAcrossAnAwait()
    {
        // The body runs synchronously on the test thread up to its first ConfigureAwait(false), then on the thread pool.
        await Body();

        static async Task Body()
        {
            bool inferenceAfter;
            bool enabledAfter;
            using (Torch.InferenceMode())
            {
                await Task.Delay(1).ConfigureAwait(false);
                using var made = torch.ones(2);
                inferenceAfter = made.IsInference;
                enabledAfter = torch.is_inference_mode_enabled();
            }

            inferenceAfter.Should().BeTrue("a tensor made after the await, on another thread, is still an inference tensor");
            enabledAfter.Should().BeTrue();
            torch.is_inference_mode_enabled().Should().BeFalse();
            Torch.IsGradEnabled.Should().BeTrue();
        }
    }

    [Fact]
    public async Task ParallelFlowsDoNotSeeEachOthersMode()
    {
        // Two flows take turns (each waits for the other) on thread-pool threads, one in NoGrad, one in EnableGrad
        // inside a NoGrad; every step checks its own mode.
        var ping = new SemaphoreSlim(0);
        var pong = new SemaphoreSlim(0);
        async Task<List<bool>> Flow(bool grad, SemaphoreSlim mine, SemaphoreSlim other, bool first)
        {
            var seen = new List<bool>();
            using (Torch.SetGradEnabled(grad))
            {
                for (int i = 0; i < 20; i++)
                {
                    if (!first || i > 0)
                    {
                        await mine.WaitAsync().ConfigureAwait(false);
                    }

                    seen.Add(Torch.IsGradEnabled);
                    other.Release();
                }
            }

            return seen;
        }

        Task<List<bool>> off = Task.Run(() => Flow(false, ping, pong, first: true));
        Task<List<bool>> on = Task.Run(() => Flow(true, pong, ping, first: false));
        (await off).Should().OnlyContain(g => !g);
        (await on).Should().OnlyContain(g => g);
        Torch.IsGradEnabled.Should().BeTrue();
    }

    [Fact]
    public void OutOfOrderDisposalThrowsAndChangesNothing()
    {
        var outer = Torch.NoGrad();
        var inner = Torch.EnableGrad();
        var act = () => outer.Dispose();
        act.Should().Throw<InvalidOperationException>()
            .WithMessage("GradModeScope.Dispose: the NoGrad scope is being disposed out of order: the EnableGrad scope*");
        Torch.IsGradEnabled.Should().BeTrue("the inner EnableGrad scope is still in force");

        inner.Dispose();
        Torch.IsGradEnabled.Should().BeFalse("the outer NoGrad scope is still open");
        outer.Dispose();
        Torch.IsGradEnabled.Should().BeTrue();
    }

    [Fact]
    public async Task OutOfOrderDisposalAfterAnAwaitThrowsAndChangesNothing()
    {
        // The body runs synchronously on the test thread up to its first ConfigureAwait(false), then on the thread pool.
        await Body();

        static async Task Body()
        {
            var outer = Torch.SetGradEnabled(false);
            var inner = Torch.InferenceMode();
            await Task.Delay(1).ConfigureAwait(false);
            var act = () => outer.Dispose();
            act.Should().Throw<InvalidOperationException>().WithMessage("*out of order*");
            torch.is_inference_mode_enabled().Should().BeTrue("nothing was restored");
            inner.Dispose();
            torch.is_inference_mode_enabled().Should().BeFalse();
            Torch.IsGradEnabled.Should().BeFalse();
            outer.Dispose();
            Torch.IsGradEnabled.Should().BeTrue();
        }
    }

    [Fact]
    public void DetectAnomalyTakesPartInTheOrder()
    {
        var anomaly = Torch.Autograd.DetectAnomaly();
        var noGrad = Torch.NoGrad();
        var act = () => anomaly.Dispose();
        act.Should().Throw<InvalidOperationException>().WithMessage("*DetectAnomaly scope is being disposed out of order*");
        Torch.Autograd.IsAnomalyEnabled.Should().BeTrue();
        noGrad.Dispose();
        anomaly.Dispose();
        Torch.Autograd.IsAnomalyEnabled.Should().BeFalse();
        Torch.IsGradEnabled.Should().BeTrue();
    }

    [Fact]
    public void DisposingFromAnotherFlowThrowsAndLeavesBothThreadsAlone()
    {
        GradModeScope? scope = null;
        bool openerAfterOpen = true;
        var opener = new Thread(() =>
        {
            scope = Torch.NoGrad();
            openerAfterOpen = Torch.IsGradEnabled;
        });
        opener.Start();
        opener.Join();

        openerAfterOpen.Should().BeFalse();
        Torch.IsGradEnabled.Should().BeTrue("the other thread's flow does not reach here");
        var act = () => scope!.Dispose();
        act.Should().Throw<InvalidOperationException>().WithMessage("*belongs to another async flow*");
        Torch.IsGradEnabled.Should().BeTrue();
    }

    [Fact]
    public async Task AScopeOpenedInAnAsyncMethodDoesNotReachItsCaller()
    {
        GradModeScope leaked = await OpenWithoutDisposingAsync();
        Torch.IsGradEnabled.Should().BeTrue("the async method's flow ended with it");
        var act = () => leaked.Dispose();
        act.Should().Throw<InvalidOperationException>().WithMessage("*another async flow*");
    }

    private static async Task<GradModeScope> OpenWithoutDisposingAsync()
    {
        GradModeScope scope = Torch.NoGrad();
        await Task.Yield();
        return scope;
    }

    private static async Task OpenAwaitAndDisposeAsync(Action whileOpen)
    {
        using (Torch.NoGrad())
        {
            await Task.Yield();
            whileOpen();
        }
    }
}
