using System.Runtime.CompilerServices;

namespace TorchFacade.TestSupport;

/// <summary>
/// Fails the whole test run at once, with one clear message, when LibTorch's native runtime cannot load —
/// instead of hundreds of tests each failing with a TypeInitializationException.
/// </summary>
internal static class NativeRuntimeGate
{
    [ModuleInitializer]
    internal static void Check()
    {
        if (!NativeRuntime.IsAvailable)
        {
            Console.Error.WriteLine(NativeRuntime.FailureReason);
            Console.Out.WriteLine(NativeRuntime.FailureReason);
            Environment.Exit(3);
        }
    }
}
