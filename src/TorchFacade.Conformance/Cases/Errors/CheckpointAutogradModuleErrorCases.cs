using System.Text;
using TorchFacade.Reference.Activations;
using TorchFacade.Reference.Layers;
using static TorchFacade.Conformance.Cases.Errors.ErrorCase;
using static TorchFacade.Conformance.Cases.Errors.ErrorInputs;
using E = TorchFacade.PyTorchErrorTypes;

namespace TorchFacade.Conformance.Cases.Errors;

/// <summary>Bad inputs to checkpoints (Safetensors, Torch.Load/Save, LoadStateDict, Npy/Npz), autograd (Grad, Backward, hooks) and the reference modules.</summary>
public sealed class CheckpointAutogradModuleErrorCases : ErrorCaseTable
{
    /// <inheritdoc />
    protected override IEnumerable<ErrorCase> Rows()
    {
        // Files that do not exist, directories, garbage.
        yield return Raises<FileNotFoundException>("safetensors-load/missing", "Safetensors.Load", null, "", _ => Safetensors.Load(MissingFile(".safetensors"))) with { NamesMember = false };
        yield return Raises<FileNotFoundException>("safetensors-metadata/missing", "Safetensors.Metadata", null, "", _ => Safetensors.Metadata(MissingFile(".safetensors"))) with { NamesMember = false };
        yield return Raises<FileNotFoundException>("torch-load/missing", "Torch.Load", null, "", _ => Torch.Load(MissingFile(".pt"))) with { NamesMember = false };
        yield return Raises<FileNotFoundException>("npy-load/missing", "Npy.Load", "FileNotFoundError", "", _ => Npy.Load(MissingFile(".npy"))) with { NamesMember = false };
        yield return Raises<FileNotFoundException>("npz-load/missing", "Npz.Load", "FileNotFoundError", "", _ => Npz.Load(MissingFile(".npz"))) with { NamesMember = false };
        yield return Raises<FileNotFoundException>("npy-memory-map/missing", "Npy.MemoryMap", null, "", _ => Npy.MemoryMap(MissingFile(".npy"))) with { NamesMember = false };
        yield return Raises<ArgumentNullException>("safetensors-load/null", "Safetensors.Load", null, "is null", _ => Safetensors.Load(null!));
        yield return Raises<ArgumentNullException>("safetensors-save/null-path", "Safetensors.Save", null, "is null", _ => Safetensors.Save(null!, new Dictionary<string, torch.Tensor>()));
        yield return Raises<ArgumentNullException>("safetensors-save/null-tensors", "Safetensors.Save", null, "is null", _ => Safetensors.Save(MissingFile(".safetensors"), null!));
        yield return Raises<ArgumentNullException>("torch-load/null", "Torch.Load", null, "is null", _ => Torch.Load(null!));
        yield return Raises<ArgumentNullException>("torch-save/null-path", "Torch.Save", null, "is null", _ => Torch.Save(new Dictionary<string, object?>(), null!));
        yield return Raises<ArgumentException>("safetensors-save/metadata-name", "Safetensors.Save", null, "__metadata__",
            d => Safetensors.Save(MissingFile(".safetensors"), new Dictionary<string, torch.Tensor> { ["__metadata__"] = torch.ones(2, device: d) }));
        yield return Raises<ArgumentException>("safetensors-save/non-contiguous", "Safetensors.Save", E.ValueError, "You are trying to save a non contiguous tensor",
            d => Safetensors.Save(MissingFile(".safetensors"), new Dictionary<string, torch.Tensor> { ["t"] = torch.ones(2, 3, device: d).t() }));
        yield return Raises<ArgumentException>("torch-save/unsupported-object", "Torch.Save", null, "cannot write a System.Uri",
            _ => Torch.Save(new Dictionary<string, object?> { ["u"] = new Uri("http://localhost/") }, MissingFile(".pt")));
        yield return Raises<ObjectDisposedException>("safetensors-save/disposed", "Safetensors.Save", null, "has been disposed",
            d => Safetensors.Save(MissingFile(".safetensors"), new Dictionary<string, torch.Tensor> { ["t"] = Disposed(d) })) with { NamesMember = false };
        yield return Raises<ObjectDisposedException>("torch-save/disposed", "Torch.Save", null, "disposed",
            d => Torch.Save(new Dictionary<string, object?> { ["t"] = Disposed(d) }, MissingFile(".pt"))) with { NamesMember = false };

        byte[] garbage = Encoding.ASCII.GetBytes("this is not a checkpoint file at all, just some text bytes");
        yield return Raises<Exception>("safetensors-load/garbage", "Safetensors.Load", null, "", _ => Safetensors.Load(FileWith(".safetensors", garbage))) with { NamesMember = false };
        yield return Raises<Exception>("torch-load/garbage", "Torch.Load", null, "", _ => Torch.Load(FileWith(".pt", garbage))) with { NamesMember = false };
        yield return Raises<NpyFormatException>("npy-load/garbage", "Npy.Load", null, "", _ => Npy.Load(FileWith(".npy", garbage))) with { NamesMember = false };
        yield return Raises<Exception>("npz-load/garbage", "Npz.Load", null, "", _ => Npz.Load(FileWith(".npz", garbage))) with { NamesMember = false };
        yield return Raises<NpyFormatException>("npy-load/empty", "Npy.Load", null, "", _ => Npy.Load(FileWith(".npy", []))) with { NamesMember = false };
        yield return Raises<Exception>("safetensors-load/empty", "Safetensors.Load", null, "", _ => Safetensors.Load(FileWith(".safetensors", []))) with { NamesMember = false };
        yield return Raises<Exception>("torch-load/empty", "Torch.Load", null, "", _ => Torch.Load(FileWith(".pt", []))) with { NamesMember = false };
        yield return Raises<UnauthorizedAccessException>("npy-load/directory", "Npy.Load", "IsADirectoryError", "directory", _ => Npy.Load(Directory())) with { NamesMember = false };
        yield return Raises<Exception>("torch-load/directory", "Torch.Load", null, "", _ => Torch.Load(Directory())) with { NamesMember = false };
        yield return Raises<Exception>("safetensors-load/directory", "Safetensors.Load", null, "", _ => Safetensors.Load(Directory())) with { NamesMember = false };
        yield return Raises<NpyFormatException>("npy-load/truncated", "Npy.Load", E.ValueError, "", _ => Npy.Load(FileWith(".npy", TruncatedNpy()))) with { NamesMember = false };
        yield return Raises<Exception>("safetensors-load/truncated", "Safetensors.Load", null, "", _ => Safetensors.Load(FileWith(".safetensors", TruncatedSafetensors()))) with { NamesMember = false };

        // Module.LoadStateDict.
        yield return Raises<InvalidOperationException>("load-state-dict/size-mismatch", "LoadStateDict", E.RuntimeError, "size mismatch for weight",
            d => torch.nn.Linear(3, 2).LoadStateDict(new Dictionary<string, torch.Tensor> { ["weight"] = torch.ones(3, 3), ["bias"] = torch.ones(2) }))
            with { NamesMember = false, PyTorchText = "Error(s) in loading state_dict for" };
        yield return Raises<InvalidOperationException>("load-state-dict/missing", "LoadStateDict", E.RuntimeError, "Missing key(s) in state_dict",
            d => torch.nn.Linear(3, 2).LoadStateDict(new Dictionary<string, torch.Tensor> { ["weight"] = torch.ones(2, 3) }))
            with { NamesMember = false, PyTorchText = "Error(s) in loading state_dict for" };
        yield return Raises<InvalidOperationException>("load-state-dict/unexpected", "LoadStateDict", E.RuntimeError, "Unexpected key(s) in state_dict",
            d => torch.nn.Linear(3, 2).LoadStateDict(new Dictionary<string, torch.Tensor> { ["weight"] = torch.ones(2, 3), ["bias"] = torch.ones(2), ["extra"] = torch.ones(1) }))
            with { NamesMember = false, PyTorchText = "Error(s) in loading state_dict for" };
        yield return Raises<ArgumentNullException>("load-state-dict/null", "LoadStateDict", null, "is null",
            _ => torch.nn.Linear(3, 2).LoadStateDict((IReadOnlyDictionary<string, torch.Tensor>)null!));

        // Autograd: Torch.Autograd.Grad / Backward, hooks.
        yield return Raises<TorchException>("grad/unused-input", "Grad", E.RuntimeError, "One of the differentiated Tensors appears to not have been used in the graph",
            d =>
            {
                torch.Tensor x = Leaf(d, 2), y = Leaf(d, 2);
                Torch.Autograd.Grad([(x * 2).sum()], [y]);
            }) with { NamesMember = false, PyTorchText = "One of the differentiated Tensors appears to not have been used in the graph" };
        yield return Raises<TorchException>("grad/output-no-grad", "Grad", E.RuntimeError, "element 0 of tensors does not require grad and does not have a grad_fn",
            d => Torch.Autograd.Grad([torch.ones(2, device: d).sum()], [Leaf(d, 2)]))
            with { NamesMember = false, PyTorchText = "element 0 of tensors does not require grad and does not have a grad_fn" };
        yield return Raises<TorchException>("grad/non-scalar", "Grad", E.RuntimeError, "grad can be implicitly created only for scalar outputs",
            d =>
            {
                torch.Tensor x = Leaf(d, 2);
                Torch.Autograd.Grad([x * 2], [x]);
            }) with { NamesMember = false, PyTorchText = "grad can be implicitly created only for scalar outputs" };
        yield return Raises<ArgumentNullException>("grad/null-outputs", "Grad", null, "", d => Torch.Autograd.Grad(null!, [Leaf(d, 2)])) with { NamesMember = false };
        yield return Raises<ArgumentNullException>("grad/null-inputs", "Grad", null, "", d => Torch.Autograd.Grad([Leaf(d, 2).sum()], null!)) with { NamesMember = false };
        yield return Raises<ObjectDisposedException>("grad/disposed-input", "Grad", null, "disposed", d => Torch.Autograd.Grad([Leaf(d, 2).sum()], [Disposed(d)])) with { NamesMember = false };
        yield return Raises<TorchException>("autograd-backward/no-grad", "Backward", E.RuntimeError, "element 0 of tensors does not require grad and does not have a grad_fn",
            d => Torch.Autograd.Backward([torch.ones(2, device: d).sum()]))
            with { NamesMember = false, PyTorchText = "element 0 of tensors does not require grad and does not have a grad_fn" };
        yield return Raises<ArgumentNullException>("autograd-backward/null", "Backward", null, "", _ => Torch.Autograd.Backward(null!)) with { NamesMember = false };
        yield return Raises<InvalidOperationException>("register-hook/int", "RegisterHook", E.RuntimeError, "cannot register a hook on a tensor that doesn't require gradient",
            d => torch.ones(2, torch.int64, device: d).RegisterHook(g => null)) with { PyTorchText = "cannot register a hook on a tensor that doesn't require gradient" };
        yield return Raises<InvalidOperationException>("register-post-accumulate-grad-hook/no-grad", "RegisterPostAccumulateGradHook", E.RuntimeError,
            "cannot register a hook on a tensor that doesn't require gradient",
            d => torch.ones(2, device: d).RegisterPostAccumulateGradHook(_ => { })) with { PyTorchText = "cannot register a hook on a tensor that doesn't require gradient" };
        yield return Raises<ArgumentNullException>("register-post-accumulate-grad-hook/null", "RegisterPostAccumulateGradHook", null, "hook",
            d => Leaf(d, 2).RegisterPostAccumulateGradHook(null!));
        yield return Raises<InvalidOperationException>("retain-grad/int", "RetainGrad", E.RuntimeError, "can't retain_grad on Tensor that has requires_grad=False",
            d => torch.ones(2, torch.int64, device: d).RetainGrad()) with { PyTorchText = "can't retain_grad on Tensor that has requires_grad=False" };
        yield return Raises<TorchException>("backward/after-no-grad", "Backward", E.RuntimeError, "element 0 of tensors does not require grad and does not have a grad_fn",
            d =>
            {
                torch.Tensor x = Leaf(d, 2);
                torch.Tensor y;
                using (Torch.NoGrad())
                {
                    y = (x * 2).sum();
                }

                y.Backward();
            }) with { PyTorchText = "element 0 of tensors does not require grad and does not have a grad_fn" };
        yield return Raises<InvalidOperationException>("grad-mode/out-of-order", "GradModeScope.Dispose", null, "out of order",
            _ =>
            {
                GradModeScope outer = Torch.NoGrad();
                GradModeScope inner = Torch.EnableGrad();
                try
                {
                    outer.Dispose();
                }
                finally
                {
                    inner.Dispose();
                    outer.Dispose();
                }
            });

        // Reference modules.
        yield return Raises<ArgumentException>("module/gelu/approximate", "GELU", E.RuntimeError, "approximate", _ => new GELU("fast"));
        yield return Raises<ArgumentException>("module/softplus/zero-beta", "Softplus", null, "beta", _ => new Softplus(beta: 0));
        yield return Raises<ArgumentException>("module/glu/odd", "GLU", E.RuntimeError, "even", d => new GLU().call(torch.ones(2, 3, device: d)));
        yield return Raises<ArgumentException>("module/glu/scalar", "GLU", E.RuntimeError, "0-d", d => new GLU().call(torch.tensor(1f, device: d)));
        yield return Raises<ArgumentOutOfRangeException>("module/softmax/dim", "Softmax", E.IndexError, "dimension out of range", d => new Softmax(5).call(torch.ones(2, 3, device: d)));
        yield return Raises<ArgumentOutOfRangeException>("module/log-softmax/dim", "LogSoftmax", E.IndexError, "dimension out of range", d => new LogSoftmax(-4).call(torch.ones(2, 3, device: d)));
        yield return Raises<ArgumentException>("module/relu/int", "ReLU", null, "floating-point", d => new ReLU().call(torch.ones(2, torch.int64, device: d)));
        yield return Raises<ArgumentException>("module/sigmoid/int", "Sigmoid", null, "floating-point", d => new Sigmoid().call(torch.ones(2, torch.int32, device: d)));
        yield return Raises<ArgumentException>("module/tanh/bool", "Tanh", null, "floating-point", d => new Tanh().call(torch.ones(2, torch.@bool, device: d)));
        yield return Raises<ArgumentException>("module/silu/int", "SiLU", null, "floating-point", d => new SiLU().call(torch.ones(2, torch.int64, device: d)));
        yield return Raises<ArgumentException>("module/mish/int", "Mish", null, "floating-point", d => new Mish().call(torch.ones(2, torch.int64, device: d)));
        yield return Raises<ArgumentException>("module/elu/int", "ELU", null, "floating-point", d => new ELU().call(torch.ones(2, torch.int64, device: d)));
        yield return Raises<ArgumentException>("module/selu/int", "SELU", null, "floating-point", d => new SELU().call(torch.ones(2, torch.int64, device: d)));
        yield return Raises<ArgumentException>("module/leaky-relu/int", "LeakyReLU", null, "floating-point", d => new LeakyReLU().call(torch.ones(2, torch.int64, device: d)));
        yield return Raises<ArgumentException>("module/gelu/int", "GELU", null, "floating-point", d => new GELU().call(torch.ones(2, torch.int64, device: d)));
        yield return Raises<ArgumentException>("module/softplus/int", "Softplus", null, "floating-point", d => new Softplus().call(torch.ones(2, torch.int64, device: d)));
        yield return Raises<ArgumentNullException>("module/relu/null", "ReLU", null, "is null", _ => new ReLU().call(null!));
        yield return Raises<ArgumentException>("module/prelu/channels", "PReLU", E.RuntimeError, "weights", d => new PReLU(3).call(torch.ones(2, 4, device: d)));
        yield return Raises<ArgumentOutOfRangeException>("module/group-norm/groups", "GroupNorm", E.ValueError, "must divide", _ => new GroupNorm(3, 4));
        yield return Raises<ArgumentException>("module/group-norm/channels", "GroupNorm", E.RuntimeError, "channels", d => new GroupNorm(2, 4).call(torch.ones(2, 6, device: d)));
        yield return Raises<ArgumentException>("module/group-norm/rank", "GroupNorm", null, "at least 2 dimensions", d => new GroupNorm(2, 4).call(torch.ones(4, device: d)));
        yield return Raises<ArgumentException>("module/pad/odd", "Pad", E.RuntimeError, "even", d => Pad.Apply(torch.ones(2, 3, device: d), [1, 2, 3]));
        yield return Raises<ArgumentException>("module/pad/too-many", "Pad", E.RuntimeError, "dimensions", d => Pad.Apply(torch.ones(3, device: d), [1, 1, 1, 1]));
        yield return Raises<ArgumentException>("module/pad/reflect-too-big", "Pad", E.RuntimeError, "must be smaller", d => Pad.Apply(torch.ones(1, 3, device: d), [3, 3], PadMode.Reflect));
        yield return Raises<ArgumentOutOfRangeException>("module/clip-grad/negative-max-norm", "ClipGrad", null, "max_norm", d => ClipGrad.Norm([Leaf(d, 2)], -1));
        yield return Raises<ArgumentOutOfRangeException>("module/clip-grad/negative-clip-value", "ClipGrad", null, "clip_value", d => ClipGrad.Value([Leaf(d, 2)], -1));
        yield return Raises<ArgumentException>("module/feed-forward/last-dim", "FeedForward", E.RuntimeError, "last dimension",
            d => new FeedForward(4, 8, device: d).call(torch.ones(2, 3, device: d)));
        yield return Raises<ArgumentException>("module/gated-feed-forward/last-dim", "GatedFeedForward", E.RuntimeError, "last dimension",
            d => new GatedFeedForward(4, 8, GatedVariant.Glu, device: d).call(torch.ones(2, 3, device: d)));
        yield return Raises<ArgumentNullException>("module/feed-forward/null", "FeedForward", null, "is null", d => new FeedForward(4, 8, device: d).call(null!));

        // Storage accessors without a C++ try (THSStorage_data_ptr, THSStorage_nbytes): sparse tensors are refused first.
        yield return Raises<TorchException>("safetensors-save/sparse", "Safetensors.Save", E.TypeError, "Sparse",
            d => Safetensors.Save(MissingFile(".safetensors"), new Dictionary<string, torch.Tensor> { ["t"] = Sparse(d) })) with { NamesMember = false };
        yield return Raises<TorchException>("safetensors-save/meta", "Safetensors.Save", E.TypeError, "can't convert",
            _ => Safetensors.Save(MissingFile(".safetensors"), new Dictionary<string, torch.Tensor> { ["t"] = Meta() })) with { NamesMember = false };
        // Torch.Save writes sparse COO and meta tensors as PyTorch does (tests/TorchFacade.Tests/Checkpoints/LayoutCheckpointTests.cs),
        // reading a sparse tensor's indices and values, never its (absent) storage.

        // Disposed modules: ObjectDisposedException naming the module (PyTorch has no disposal).
        var disposedModules = new (string Name, string Member, Func<torch.Device, torch.nn.Module<torch.Tensor, torch.Tensor>> Make)[]
        {
            ("relu", "ReLU", _ => new ReLU()),
            ("gelu", "GELU", _ => new GELU()),
            ("softmax", "Softmax", _ => new Softmax(1)),
            ("log-softmax", "LogSoftmax", _ => new LogSoftmax(1)),
            ("glu", "GLU", _ => new GLU()),
            ("prelu", "PReLU", _ => new PReLU()),
            ("group-norm", "GroupNorm", _ => new GroupNorm(1, 2)),
            ("feed-forward", "FeedForward", d => new FeedForward(2, 4, device: d)),
            ("gated-feed-forward", "GatedFeedForward", d => new GatedFeedForward(2, 4, GatedVariant.SwiGlu, device: d)),
        };
        foreach ((string name, string member, Func<torch.Device, torch.nn.Module<torch.Tensor, torch.Tensor>> make) in disposedModules)
        {
            yield return Raises<ObjectDisposedException>($"module-disposed/{name}", member, null, "has been disposed",
                d =>
                {
                    var m = make(d);
                    m.Dispose();
                    m.call(torch.ones(2, 2, device: d));
                });
        }

        yield return Raises<ArgumentNullException>("module/clip-grad/null", "ClipGrad", null, "is null", _ => ClipGrad.Norm(null!, 1));
    }

    private static byte[] TruncatedNpy()
    {
        string path = MissingFile(".npy");
        Npy.Save(path, torch.ones(16));
        byte[] all = File.ReadAllBytes(path);
        File.Delete(path);
        return all[..(all.Length - 10)];
    }

    private static byte[] TruncatedSafetensors()
    {
        string path = MissingFile(".safetensors");
        Safetensors.Save(path, new Dictionary<string, torch.Tensor> { ["t"] = torch.ones(16) });
        byte[] all = File.ReadAllBytes(path);
        File.Delete(path);
        return all[..(all.Length - 10)];
    }
}
