namespace TorchFacade;

/// <summary>
/// The innermost <see cref="GradModeScope"/> of the current async flow, kept in an <see cref="AsyncLocal{T}"/> whose change
/// notifications set LibTorch's per-thread grad mode and inference mode on whichever thread the flow runs: when the flow
/// arrives on a thread (an <c>await</c> continuation, a thread-pool work item), the scope's mode is applied there; when it
/// leaves, the thread gets back the mode it had before any scope was applied to it.
/// </summary>
internal static class GradModeFlow
{
    private static readonly AsyncLocal<GradModeScope?> Innermost = new(OnChanged);

    /// <summary>Whether a scope's mode is applied to this thread (then <see cref="baselineGradEnabled"/> holds the thread's own mode).</summary>
    [ThreadStatic]
    private static bool applied;

    /// <summary>This thread's grad mode before the first scope was applied to it, restored when no scope is applied any more.</summary>
    [ThreadStatic]
    private static bool baselineGradEnabled;

    /// <summary>The <c>c10::InferenceMode</c> guard this thread holds for the flow (zero when none).</summary>
    [ThreadStatic]
    private static IntPtr inferenceGuard;

    /// <summary>The current flow's innermost scope, or <see langword="null"/>.</summary>
    internal static GradModeScope? Current => Innermost.Value;

    /// <summary>Makes <paramref name="scope"/> the innermost (its parent must be the current innermost).</summary>
    /// <param name="scope">The scope being opened.</param>
    internal static void Push(GradModeScope scope) => Innermost.Value = scope;

    /// <summary>Closes the innermost scope: its parent becomes innermost.</summary>
    /// <param name="scope">The innermost scope.</param>
    internal static void Pop(GradModeScope scope) => Innermost.Value = scope.Parent;

    private static void OnChanged(AsyncLocalValueChangedArgs<GradModeScope?> change) => Apply(change.CurrentValue);

    /// <summary>Sets this thread's LibTorch modes to <paramref name="scope"/>'s (or back to the thread's own when null). Never throws: it runs inside execution-context switches.</summary>
    private static void Apply(GradModeScope? scope)
    {
        if (scope is null)
        {
            if (!applied)
            {
                return;
            }

            LeaveInference();
            NativeTensor.SetGradEnabled(baselineGradEnabled);
            applied = false;
            return;
        }

        if (!applied)
        {
            baselineGradEnabled = NativeTensor.IsGradEnabled();
            applied = true;
        }

        if (scope.Inference)
        {
            if (inferenceGuard == IntPtr.Zero)
            {
                inferenceGuard = NativeTensor.EnterInferenceMode();
            }
        }
        else
        {
            LeaveInference();
        }

        NativeTensor.SetGradEnabled(scope.GradEnabled);
    }

    private static void LeaveInference()
    {
        if (inferenceGuard != IntPtr.Zero)
        {
            NativeTensor.ExitInferenceMode(inferenceGuard);
            inferenceGuard = IntPtr.Zero;
        }
    }
}
