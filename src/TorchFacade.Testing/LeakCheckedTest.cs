namespace TorchFacade.Testing;

/// <summary>
/// A base class for test classes whose every test must leave no tensor alive: the constructor starts a
/// <see cref="LeakCheck"/> and <see cref="Dispose()"/> verifies it. Test frameworks that create one instance of the
/// class per test and dispose it afterwards (xUnit, MSTest) thus check each test on its own:
/// </summary>
/// <remarks>
/// <code>
/// public sealed class MyModelTests : LeakCheckedTest
/// {
///     [Fact]
///     public void Forward() { using var scope = torch.NewDisposeScope(); ... }
/// }
/// </code>
/// The tests must be synchronous (TorchSharp counts per thread; see <see cref="LeakCheck"/>).
/// </remarks>
public abstract class LeakCheckedTest : IDisposable
{
    private bool disposed;

    /// <summary>Starts the check for one test.</summary>
    protected LeakCheckedTest()
    {
        Check = LeakCheck.Start(GetType().Name);
    }

    /// <summary>The running check (read <see cref="LeakCheck.Leaked"/> in a test to see the count so far).</summary>
    protected LeakCheck Check { get; }

    /// <summary>Verifies that the test left no tensor alive.</summary>
    /// <exception cref="TensorLeakException">The test left tensors alive.</exception>
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Verifies the check when <paramref name="disposing"/>; override to release your own resources first, then call the base.</summary>
    /// <param name="disposing"><see langword="true"/> from <see cref="Dispose()"/>.</param>
    /// <exception cref="TensorLeakException">The test left tensors alive.</exception>
    protected virtual void Dispose(bool disposing)
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        if (disposing)
        {
            Check.Dispose();
        }
    }
}
