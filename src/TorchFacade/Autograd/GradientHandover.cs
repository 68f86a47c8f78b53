using TorchSharp;

namespace TorchFacade;

/// <summary>
/// Hands a gradient that a custom function's backward created over to LibTorch's engine, so that the engine's copy is
/// its only owner, as it is when a Python <c>backward</c> returns a fresh tensor: <c>AccumulateGrad</c> then stores
/// that very tensor as the leaf's <c>.grad</c> (its <c>use_count</c> is 1) instead of deep-copying it.
/// </summary>
/// <remarks>
/// LibTorchSharp's <c>CSharpNode::apply</c> copies each returned <c>at::Tensor</c> after the callback returns, while
/// the facade's wrapper still holds its own reference until the next pass. <see cref="TryHandOver"/> drops that
/// reference in advance (the strong count goes from 1 to 0 without releasing the tensor; LibTorch's copy takes it back
/// to 1), and <see cref="Forget"/> later points the wrapper at the undefined tensor before it is disposed, so the wrapper
/// never releases what it no longer owns. Only a tensor whose strong count is exactly 1 (nothing else refers to it) is
/// handed over; anything else keeps the ordinary copy. Linux x64 only, like the rest of the custom-function node.
/// </remarks>
internal static unsafe class GradientHandover
{
    private const ulong StrongCountMask = 0xFFFF_FFFF;

    /// <summary>Gives up the wrapper's strong reference when it is the only one; returns whether it did.</summary>
    internal static bool TryHandOver(torch.Tensor gradient)
    {
        if (AutogradNative.Api is not { } api || gradient.IsInvalid)
        {
            return false;
        }

        IntPtr impl = AutogradNative.ImplOf(gradient);
        if (impl == IntPtr.Zero || impl == api.UndefinedSingleton)
        {
            return false;
        }

        ref long counts = ref *(long*)(impl + 8);
        if (((ulong)Volatile.Read(ref counts) & StrongCountMask) != 1)
        {
            return false;
        }

        Interlocked.Decrement(ref counts);
        return true;
    }

    /// <summary>Points a handed-over wrapper at the undefined tensor, so disposing it releases nothing.</summary>
    internal static void Forget(torch.Tensor gradient)
    {
        if (AutogradNative.Api is { } api && !gradient.IsInvalid)
        {
            *(IntPtr*)gradient.Handle = api.UndefinedSingleton;
        }
    }
}
