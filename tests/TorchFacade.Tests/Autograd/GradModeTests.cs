using FluentAssertions;
using TorchSharp;
using Xunit;

namespace TorchFacade.Tests.Autograd;

/// <summary>Grad-mode scopes: nesting, restore on exceptions, and the per-thread rule.</summary>
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
    public async Task DisposingOnAnotherThreadAfterAnAwaitThrows()
    {
        Exception? caught = null;
        bool openerGradAfterOpen = true;
        var opener = new Thread(() =>
        {
            // Runs synchronously up to the first await on this dedicated thread; the rest resumes on the thread pool
            // (no synchronization context here), so the scope is disposed on a different thread.
            Task task = OpenAwaitAndDisposeAsync(() => openerGradAfterOpen = Torch.IsGradEnabled);
            try
            {
                task.GetAwaiter().GetResult();
            }
            catch (Exception ex)
            {
                caught = ex;
            }
        });
        opener.Start();
        opener.Join();
        await Task.Yield();

        openerGradAfterOpen.Should().BeFalse("the scope was in force on the opening thread");
        caught.Should().BeOfType<InvalidOperationException>()
            .Which.Message.Should().Contain("per thread").And.Contain("await").And.Contain("NoGrad");
    }

    [Fact]
    public void DisposingOnAnotherThreadLeavesThatThreadsModeAlone()
    {
        GradModeScope? scope = null;
        var opener = new Thread(() => scope = Torch.NoGrad());
        opener.Start();
        opener.Join();

        Torch.IsGradEnabled.Should().BeTrue("grad mode is per thread: the other thread's NoGrad does not reach here");
        var act = () => scope!.Dispose();
        act.Should().Throw<InvalidOperationException>().WithMessage("*per thread*");
        Torch.IsGradEnabled.Should().BeTrue();
    }

    private static async Task OpenAwaitAndDisposeAsync(Action whileOpen)
    {
        using (Torch.NoGrad())
        {
            whileOpen();
            await Task.Yield();
        }
    }
}
