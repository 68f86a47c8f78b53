using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using TorchSharp;

namespace TorchFacade;

/// <summary>
/// Tensor hooks through LibTorch's C++ API, built by hand on Linux x64 (libstdc++, Itanium ABI).
/// </summary>
/// <remarks>
/// <para><b>Gradient hooks</b> go through <c>at::TensorBase::_register_hook(std::function&lt;TensorBase(const TensorBase&amp;)&gt;)</c>,
/// LibTorch's own <c>register_hook</c>: it appends the function to the tensor's C++ hook list, which LibTorch runs in
/// order before the <c>retain_grad</c> hook, on leaves and non-leaves alike, and replaces the gradient with a returned
/// defined tensor. libstdc++'s <c>std::function</c> is 32 bytes: <c>_Any_data</c> (16 bytes; here the hook's id), the
/// manager <c>bool(*)(_Any_data&amp;, const _Any_data&amp;, _Manager_operation)</c> and the invoker
/// <c>TensorBase(*)(const _Any_data&amp;, const TensorBase&amp;)</c>, whose result comes back through a hidden pointer.
/// The manager counts the copies LibTorch keeps, so the managed delegate is dropped when LibTorch drops the last one.</para>
/// <para><b>Post-accumulate-grad hooks</b> go through <c>torch::autograd::impl::set_post_acc_grad_hooks</c> with a
/// <c>PostAccumulateGradHook</c> object built by hand (a vtable of unmanaged callbacks: two destructors,
/// <c>operator()</c>, <c>compiled_args</c>, <c>apply_with_saved</c>); one such object per tensor runs that tensor's hooks in
/// registration order, as Python's dict of hooks does.</para>
/// <para>Every callback catches all exceptions (see <see cref="HookErrors"/>): nothing unwinds into LibTorch.</para>
/// </remarks>
internal static unsafe class TensorHookNative
{
    private static readonly ConcurrentDictionary<long, GradHook> GradHooks = new();
    private static readonly ConcurrentDictionary<long, PostHookList> PostHooks = new();
    private static readonly ConcurrentDictionary<IntPtr, long> PostHookByImpl = new();
    private static readonly Lazy<IntPtr> PostHookVptr = new(BuildPostHookVtable);
    private static long nextId;

    /// <summary>Registers a gradient hook; returns LibTorch's position of it and the managed entry (to mark removed).</summary>
    internal static RemovableHandle RegisterGradHook(AutogradNative.Exports api, torch.Tensor t, Func<torch.Tensor, torch.Tensor?> hook)
    {
        long id = Interlocked.Increment(ref nextId);
        var entry = new GradHook(hook);
        GradHooks[id] = entry;
        byte* function = stackalloc byte[32];
        *(long*)function = id;
        *(long*)(function + 8) = 0;
        *(IntPtr*)(function + 16) = (IntPtr)(delegate* unmanaged<IntPtr, IntPtr, int, byte>)&Manager;
        *(IntPtr*)(function + 24) = (IntPtr)(delegate* unmanaged<IntPtr, IntPtr, IntPtr, IntPtr>)&Invoke;
        uint position = api.RegisterHook(t.Handle, (IntPtr)function);

        // The argument was passed by value: the caller destroys its copy (~function() calls the manager if not moved from).
        if (*(IntPtr*)(function + 16) != IntPtr.Zero)
        {
            Release(id);
        }

        var tensor = new WeakReference<torch.Tensor>(t);
        return new RemovableHandle(() =>
        {
            entry.Removed = true;
            if (tensor.TryGetTarget(out torch.Tensor? target) && !target.IsInvalid)
            {
                // Clears LibTorch's slot (remove_hook sets it to an empty function); its index is valid by construction.
                api.RemoveHook(target.Handle, position);
            }
        });
    }

    /// <summary>Registers a post-accumulate-grad hook on a leaf.</summary>
    internal static RemovableHandle RegisterPostAccumulateGradHook(AutogradNative.Exports api, torch.Tensor t, Action<torch.Tensor> hook)
    {
        IntPtr impl = AutogradNative.ImplOf(t);
        var entry = new PostHook(hook);
        lock (PostHookByImpl)
        {
            if (PostHookByImpl.TryGetValue(impl, out long existing) && PostHooks.TryGetValue(existing, out PostHookList? list))
            {
                lock (list)
                {
                    list.Hooks.Add(entry);
                }
            }
            else
            {
                long id = Interlocked.Increment(ref nextId);
                var created = new PostHookList(impl);
                created.Hooks.Add(entry);
                PostHooks[id] = created;
                PostHookByImpl[impl] = id;
                IntPtr native = api.OperatorNew(16);
                *(IntPtr*)native = PostHookVptr.Value;
                *(long*)(native + 8) = id;
                IntPtr slot = native;
                api.SetPostAccGradHooks(t.Handle, &slot);
                if (slot != IntPtr.Zero)
                {
                    DeletingDestructor(slot);
                }
            }
        }

        return new RemovableHandle(() => entry.Removed = true);
    }

    private static void Release(long id)
    {
        if (GradHooks.TryGetValue(id, out GradHook? entry) && Interlocked.Decrement(ref entry.Copies) == 0)
        {
            GradHooks.TryRemove(id, out _);
        }
    }

    [UnmanagedCallersOnly]
    private static byte Manager(IntPtr dest, IntPtr source, int operation)
    {
        switch (operation)
        {
            case 0: // __get_type_info: no RTTI for this functor
                *(IntPtr*)dest = IntPtr.Zero;
                break;
            case 1: // __get_functor_ptr: the functor (the id) is stored locally
                *(IntPtr*)dest = source;
                break;
            case 2: // __clone_functor
                long id = *(long*)source;
                *(long*)dest = id;
                *(long*)(dest + 8) = 0;
                if (GradHooks.TryGetValue(id, out GradHook? entry))
                {
                    Interlocked.Increment(ref entry.Copies);
                }

                break;
            case 3: // __destroy_functor
                Release(*(long*)dest);
                break;
        }

        return 0;
    }

    [UnmanagedCallersOnly]
    private static IntPtr Invoke(IntPtr result, IntPtr functor, IntPtr gradient)
    {
        AutogradNative.Exports api = AutogradNative.Api!;
        IntPtr replacement = api.UndefinedSingleton;
        try
        {
            if (GradHooks.TryGetValue(*(long*)functor, out GradHook? entry) && !entry.Removed
                && AutogradNative.WrapImpl(api, *(IntPtr*)gradient) is { } grad)
            {
                torch.Tensor? returned = entry.Hook(grad);
                if (returned is not null)
                {
                    TensorChecks.ThrowIfDisposed(returned, "RegisterHook");
                    replacement = AutogradNative.ImplOf(returned);
                    AutogradNative.IncRefImpl(replacement);
                }
            }
        }
        catch (Exception ex)
        {
            HookErrors.Add(ex);
        }

        *(IntPtr*)result = replacement;
        return result;
    }

    private static IntPtr BuildPostHookVtable()
    {
        AutogradNative.Exports api = AutogradNative.Api!;
        var table = (IntPtr*)NativeMemory.AllocZeroed(7, (nuint)sizeof(IntPtr));
        table[0] = IntPtr.Zero; // offset to top
        table[1] = api.PostAccumulateGradHookTypeInfo;
        table[2] = (IntPtr)(delegate* unmanaged<IntPtr, void>)&CompleteDestructor;
        table[3] = (IntPtr)(delegate* unmanaged<IntPtr, void>)&DeletingDestructorCallback;
        table[4] = (IntPtr)(delegate* unmanaged<IntPtr, IntPtr, void>)&PostAccumulate;
        table[5] = (IntPtr)(delegate* unmanaged<IntPtr, IntPtr, void>)&CompiledArgs;
        table[6] = (IntPtr)(delegate* unmanaged<IntPtr, IntPtr, IntPtr, void>)&ApplyWithSaved;
        return (IntPtr)(table + 2);
    }

    private static void Destroy(IntPtr self)
    {
        long id = *(long*)(self + 8);
        if (PostHooks.TryRemove(id, out PostHookList? list))
        {
            lock (PostHookByImpl)
            {
                if (PostHookByImpl.TryGetValue(list.Impl, out long current) && current == id)
                {
                    PostHookByImpl.TryRemove(list.Impl, out _);
                }
            }
        }
    }

    private static void DeletingDestructor(IntPtr self)
    {
        Destroy(self);
        AutogradNative.Api!.OperatorDelete(self);
    }

    [UnmanagedCallersOnly]
    private static void CompleteDestructor(IntPtr self)
    {
        try
        {
            Destroy(self);
        }
        catch (Exception ex)
        {
            HookErrors.Add(ex);
        }
    }

    [UnmanagedCallersOnly]
    private static void DeletingDestructorCallback(IntPtr self)
    {
        try
        {
            DeletingDestructor(self);
        }
        catch (Exception ex)
        {
            HookErrors.Add(ex);
        }
    }

    [UnmanagedCallersOnly]
    private static void PostAccumulate(IntPtr self, IntPtr variable)
    {
        try
        {
            if (!PostHooks.TryGetValue(*(long*)(self + 8), out PostHookList? list))
            {
                return;
            }

            PostHook[] hooks;
            lock (list)
            {
                hooks = [.. list.Hooks];
            }

            torch.Tensor? leaf = null;
            foreach (PostHook hook in hooks)
            {
                if (hook.Removed)
                {
                    continue;
                }

                leaf ??= AutogradNative.WrapImpl(AutogradNative.Api!, *(IntPtr*)variable);
                if (leaf is not null)
                {
                    hook.Hook(leaf);
                }
            }
        }
        catch (Exception ex)
        {
            HookErrors.Add(ex);
        }
    }

    /// <summary>Compiled autograd (torch.compile) only; never called by the eager engine.</summary>
    [UnmanagedCallersOnly]
    private static void CompiledArgs(IntPtr self, IntPtr args)
    {
    }

    /// <summary>Compiled autograd (torch.compile) only; never called by the eager engine.</summary>
    [UnmanagedCallersOnly]
    private static void ApplyWithSaved(IntPtr self, IntPtr tensor, IntPtr saved)
    {
    }

    private sealed class GradHook(Func<torch.Tensor, torch.Tensor?> hook)
    {
        internal int Copies = 1;

        internal Func<torch.Tensor, torch.Tensor?> Hook { get; } = hook;

        internal volatile bool Removed;
    }

    private sealed class PostHook(Action<torch.Tensor> hook)
    {
        internal Action<torch.Tensor> Hook { get; } = hook;

        internal volatile bool Removed;
    }

    private sealed class PostHookList(IntPtr impl)
    {
        internal IntPtr Impl { get; } = impl;

        internal List<PostHook> Hooks { get; } = [];
    }
}
