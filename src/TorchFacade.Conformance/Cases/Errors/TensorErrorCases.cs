using static TorchFacade.Conformance.Cases.Errors.ErrorCase;
using static TorchFacade.Conformance.Cases.Errors.ErrorInputs;
using E = TorchFacade.PyTorchErrorTypes;

namespace TorchFacade.Conformance.Cases.Errors;

/// <summary>Bad inputs to the core tensor members: memory (View, Reshape, Item, Assign, ...), autograd, devices, interop.</summary>
public sealed class TensorErrorCases : ErrorCaseTable
{
    /// <inheritdoc />
    protected override IEnumerable<ErrorCase> Rows()
    {
        const string disposed = "has been disposed";

        // Every tensor member on a disposed tensor: ObjectDisposedException naming the member (PyTorch has no equivalent).
        var onDisposed = new (string Name, string Member, Action<torch.Tensor> Call)[]
        {
            ("view", "View", t => t.View(6)),
            ("reshape", "Reshape", t => t.Reshape(6)),
            ("clone", "Clone", t => t.Clone()),
            ("item", "Item", t => t.Item<float>()),
            ("data-ptr", "DataPtr", t => _ = t.DataPtr),
            ("shares-storage-with", "SharesStorageWith", t => t.SharesStorageWith(torch.ones(1))),
            ("assign", "Assign", t => t.Assign(torch.ones(1))),
            ("assign-source", "Assign", t => torch.ones(2, 3).Assign(t)),
            ("requires-grad-get", "RequiresGrad", t => _ = t.RequiresGrad),
            ("requires-grad-set", "RequiresGrad", t => t.RequiresGrad = true),
            ("grad-get", "Grad", t => _ = t.Grad),
            ("grad-set", "Grad", t => t.Grad = null),
            ("grad-set-value", "Grad", t => torch.ones(2, 3, requires_grad: true).Grad = t),
            ("is-leaf", "IsLeaf", t => _ = t.IsLeaf),
            ("grad-fn", "GradFn", t => _ = t.GradFn),
            ("backward", "Backward", t => t.Backward()),
            ("backward-gradient", "Backward", t => (torch.ones(2, 3, requires_grad: true) * 2).Backward(t)),
            ("detach", "Detach", t => t.Detach()),
            ("retain-grad", "RetainGrad", t => t.RetainGrad()),
            ("retains-grad", "RetainsGrad", t => _ = t.RetainsGrad),
            ("is-inference", "IsInference", t => _ = t.IsInference),
            ("version", "Version", t => _ = t.Version),
            ("register-hook", "RegisterHook", t => t.RegisterHook(g => null)),
            ("register-post-accumulate-grad-hook", "RegisterPostAccumulateGradHook", t => t.RegisterPostAccumulateGradHook(_ => { })),
            ("to-string", "To", t => t.To("cpu")),
            ("to-device", "To", t => t.To(torch.CPU)),
            ("as-span", "AsSpan", t => t.AsSpan<float>()),
            ("as-read-only-span", "AsReadOnlySpan", t => t.AsReadOnlySpan<float>()),
            ("to-array", "ToArray", t => t.ToArray<float>()),
            ("as-tensor-span", "AsTensorSpan", t => t.AsTensorSpan<float>()),
            ("to-pytorch-string", "ToPyTorchString", t => t.ToPyTorchString()),
            ("add-input", "Add", t => Torch.Add(t, torch.ones(2, 3), torch.ones(2, 3))),
            ("add-out", "Add", t => Torch.Add(torch.ones(2, 3), torch.ones(2, 3), t)),
            ("npy-save", "Npy.Save", t => Npy.Save(MissingFile(".npy"), t)),
            ("npz-save", "Npz.Save", t => Npz.Save(MissingFile(".npz"), new Dictionary<string, torch.Tensor> { ["a"] = t })),
        };
        foreach ((string name, string member, Action<torch.Tensor> call) in onDisposed)
        {
            yield return Raises<ObjectDisposedException>($"disposed/{name}", member, null, disposed, d => call(Disposed(d)));
        }

        // Sparse (no storage): typed errors where a storage accessor would abort or read a null pointer.
        yield return Raises<TorchException>("sparse/shares-storage-with", "SharesStorageWith", E.NotImplementedError, "Cannot access storage of SparseTensorImpl",
            d => Sparse(d).SharesStorageWith(torch.ones(1, device: d))) with { PyTorchText = "Cannot access storage of SparseTensorImpl" };
        yield return Raises<TorchException>("sparse/shares-storage-with-other", "SharesStorageWith", E.NotImplementedError, "Cannot access storage of SparseTensorImpl",
            d => torch.ones(1, device: d).SharesStorageWith(Sparse(d))) with { PyTorchText = "Cannot access storage of SparseTensorImpl" };
        yield return Raises<TorchException>("sparse/data-ptr", "DataPtr", E.RuntimeError, "doesn't have storage",
            d => _ = Sparse(d).DataPtr) with { PyTorchText = "Cannot access data pointer of Tensor that doesn't have storage" };
        yield return Raises<TorchException>("sparse/view", "View", E.NotImplementedError, "Could not run 'aten::view'",
            d => Sparse(d).View(6)) with { PyTorchText = "Could not run 'aten::view' with arguments from the 'Sparse" };
        yield return Raises<TorchException>("sparse/to-array", "ToArray", E.TypeError, "can't convert Sparse layout tensor to numpy",
            d => Sparse(d).ToArray<float>()) with { PyTorchText = "can't convert Sparse layout tensor to numpy" };
        yield return Raises<TorchException>("sparse/as-span", "AsSpan", E.TypeError, "can't convert Sparse layout tensor to numpy",
            d => Sparse(d).AsSpan<float>()) with { PyTorchText = "can't convert Sparse layout tensor to numpy" };
        yield return Raises<TorchException>("sparse/as-read-only-span", "AsReadOnlySpan", E.TypeError, "can't convert Sparse layout tensor to numpy",
            d => Sparse(d).AsReadOnlySpan<float>());
        yield return Raises<TorchException>("sparse/as-tensor-span", "AsTensorSpan", E.TypeError, "can't convert Sparse layout tensor to numpy",
            d => Sparse(d).AsTensorSpan<float>());
        yield return Raises<TorchException>("sparse/npy-save", "Npy.Save", E.TypeError, "can't convert Sparse layout tensor to numpy",
            d => Npy.Save(MissingFile(".npy"), Sparse(d))) with { PyTorchText = "can't convert Sparse layout tensor to numpy" };
        yield return Raises<TorchException>("sparse/npz-save", "Npz.Save", E.TypeError, "can't convert Sparse layout tensor to numpy",
            d => Npz.Save(MissingFile(".npz"), new Dictionary<string, torch.Tensor> { ["a"] = Sparse(d) }));
        yield return Raises<TorchException>("sparse/assign-into", "Assign", E.RuntimeError, "copy_() between dense and sparse Tensors is not implemented",
            d => Sparse(d).Assign(torch.ones(2, 3, device: d))) with { PyTorchText = "copy_() between dense and sparse Tensors is not implemented" };
        yield return Raises<TorchException>("sparse/assign-from", "Assign", E.RuntimeError, "copy_() between dense and sparse Tensors is not implemented",
            d => torch.zeros(2, 3, device: d).Assign(Sparse(d))) with { PyTorchText = "copy_() between dense and sparse Tensors is not implemented" };

        // Meta tensors: no values to read.
        yield return Raises<TorchException>("meta/item", "Item", E.RuntimeError, "Tensor.item() cannot be called on meta tensors",
            _ => torch.ones(1, device: torch.META).Item<float>()) with { PyTorchText = "Tensor.item() cannot be called on meta tensors" };
        yield return Raises<TorchException>("meta/to-array", "ToArray", E.TypeError, "can't convert meta device type tensor to numpy",
            _ => Meta().ToArray<float>()) with { PyTorchText = "can't convert meta device type tensor to numpy" };
        yield return Raises<TorchException>("meta/npy-save", "Npy.Save", E.TypeError, "can't convert meta device type tensor to numpy",
            _ => Npy.Save(MissingFile(".npy"), Meta()));
        yield return Raises<InvalidOperationException>("meta/as-span", "AsSpan", null, "needs a CPU tensor", _ => Meta().AsSpan<float>());

        // View / Reshape.
        yield return Raises<ArgumentException>("view/wrong-numel", "View", E.RuntimeError, "[5]", d => torch.ones(2, 3, device: d).View(5))
            with { PyTorchText = null };
        yield return Raises<ArgumentException>("view/two-inferred", "View", E.RuntimeError, "-1", d => torch.ones(2, 3, device: d).View(-1, -1));
        yield return Raises<ArgumentException>("view/negative-size", "View", E.RuntimeError, "-2", d => torch.ones(2, 3, device: d).View(-2, -3));
        yield return Raises<TensorLayoutException>("view/transposed", "View", E.RuntimeError, "Reshape", d => torch.ones(2, 3, device: d).t().View(6));
        yield return Raises<ArgumentException>("reshape/wrong-numel", "Reshape", E.RuntimeError, "[5]", d => torch.ones(2, 3, device: d).Reshape(5));
        yield return Raises<ArgumentException>("reshape/two-inferred", "Reshape", E.RuntimeError, "-1", d => torch.ones(2, 3, device: d).Reshape(-1, -1));
        yield return Raises<ArgumentNullException>("view/null-shape", "View", null, "shape", d => torch.ones(2, device: d).View(null!));

        // Item.
        yield return Raises<InvalidOperationException>("item/many-elements", "Item", E.RuntimeError, "2 elements", d => torch.ones(2, device: d).Item<float>());
        yield return Raises<InvalidOperationException>("item/no-elements", "Item", E.RuntimeError, "0 elements", d => torch.ones(0, device: d).Item<float>());
        yield return Raises<OverflowException>("item/nan-to-int", "Item", E.ValueError, "cannot convert float NaN to integer",
            d => torch.tensor(double.NaN, device: d).Item<int>()) with { PyTorchText = "cannot convert float NaN to integer" };
        yield return Raises<OverflowException>("item/inf-to-long", "Item", E.OverflowError, "infinity", d => torch.tensor(double.PositiveInfinity, device: d).Item<long>());
        yield return Raises<OverflowException>("item/too-big-for-int", "Item", null, "outside the range of Int32", d => torch.tensor(1e10, device: d).Item<int>());
        yield return Raises<OverflowException>("item/long-too-big-for-int", "Item", null, "outside the range of Int32", d => torch.tensor(1L << 40, device: d).Item<int>());
        yield return Raises<OverflowException>("item/negative-to-byte", "Item", null, "outside the range of Byte", d => torch.tensor(-1, device: d).Item<byte>());
        yield return Raises<OverflowException>("item/300-to-sbyte", "Item", null, "outside the range of SByte", d => torch.tensor(300, device: d).Item<sbyte>());
        yield return Raises<OverflowException>("item/big-to-short", "Item", null, "outside the range of Int16", d => torch.tensor(40000.0f, device: d).Item<short>());
        yield return Raises<InvalidCastException>("item/complex-to-float", "Item", E.TypeError, "imaginary",
            d => torch.complex(torch.tensor(1f, device: d), torch.tensor(2f, device: d)).Item<float>());
        yield return Raises<InvalidCastException>("item/complex-to-int", "Item", E.TypeError, "imaginary",
            d => torch.complex(torch.tensor(1.0, device: d), torch.tensor(2.0, device: d)).Item<int>());
        yield return Raises<NotSupportedException>("item/decimal", "Item", null, "Decimal", d => torch.ones(1, device: d).Item<decimal>());

        // Assign.
        yield return Raises<ShapeMismatchException>("assign/not-broadcastable", "Assign", E.RuntimeError, "cannot be broadcast",
            d => torch.zeros(2, 3, device: d).Assign(torch.ones(4, device: d)));
        yield return Raises<ShapeMismatchException>("assign/extra-leading-dim", "Assign", E.RuntimeError, "cannot be broadcast",
            d => torch.zeros(3, device: d).Assign(torch.ones(2, 3, device: d)));
        yield return Raises<TorchException>("assign/leaf-requires-grad", "Assign", E.RuntimeError, "a leaf Variable that requires grad is being used in an in-place operation.",
            d => Leaf(d, 2).Assign(torch.zeros(2, device: d))) with { PyTorchText = "a leaf Variable that requires grad is being used in an in-place operation." };

        // Torch.Add with out.
        yield return Raises<TorchException>("add/out-float-into-long", "Add", E.RuntimeError, "result type Float can't be cast to the desired output type Long",
            d => Torch.Add(torch.ones(2, device: d), torch.ones(2, device: d), torch.zeros(2, torch.int64, device: d)))
            with { PyTorchText = "result type Float can't be cast to the desired output type Long" };
        yield return Raises<TorchException>("add/out-complex-into-float", "Add", E.RuntimeError, "result type ComplexFloat can't be cast to the desired output type Float",
            d => Torch.Add(torch.ones(2, torch.complex64, device: d), torch.ones(2, device: d), torch.zeros(2, device: d)))
            with { PyTorchText = "result type ComplexFloat can't be cast to the desired output type Float" };
        yield return Raises<TorchException>("add/out-float-into-bool", "Add", E.RuntimeError, "result type Float can't be cast to the desired output type Bool",
            d => Torch.Add(torch.ones(2, device: d), torch.ones(2, device: d), torch.zeros(2, torch.@bool, device: d)))
            with { PyTorchText = "result type Float can't be cast to the desired output type Bool" };
        yield return Raises<ShapeMismatchException>("add/not-broadcastable", "Add", E.RuntimeError, "[2, 3]",
            d => Torch.Add(torch.ones(2, 3, device: d), torch.ones(4, device: d), torch.zeros(2, 3, device: d)));
        yield return Raises<ShapeMismatchException>("add/out-wrong-shape", "Add", null, "out has shape [5]",
            d => Torch.Add(torch.ones(2, device: d), torch.ones(2, device: d), torch.zeros(5, device: d)));
        yield return Raises<TorchException>("add/requires-grad", "Add", E.RuntimeError, "functions with out=... arguments don't support automatic differentiation",
            d => Torch.Add(Leaf(d, 2), torch.ones(2, device: d), torch.zeros(2, device: d)))
            with { PyTorchText = "functions with out=... arguments don't support automatic differentiation" };

        // Autograd.
        yield return Raises<TorchException>("requires-grad/int", "RequiresGrad", E.RuntimeError, "only Tensors of floating point",
            d => torch.ones(2, torch.int64, device: d).RequiresGrad = true) with { PyTorchText = "only Tensors of floating point" };
        yield return Raises<TorchException>("requires-grad/bool", "RequiresGrad", E.RuntimeError, "only Tensors of floating point",
            d => torch.ones(2, torch.@bool, device: d).RequiresGrad = true) with { PyTorchText = "only Tensors of floating point" };
        yield return Raises<TorchException>("requires-grad/non-leaf", "RequiresGrad", E.RuntimeError, "you can only change requires_grad flags of leaf variables.",
            d => (Leaf(d, 2) * 2).RequiresGrad = false) with { PyTorchText = "you can only change requires_grad flags of leaf variables." };
        yield return Raises<TorchException>("backward/no-grad", "Backward", E.RuntimeError, "element 0 of tensors does not require grad and does not have a grad_fn",
            d => torch.ones(2, device: d).sum().Backward()) with { PyTorchText = "element 0 of tensors does not require grad and does not have a grad_fn" };
        yield return Raises<TorchException>("backward/non-scalar", "Backward", E.RuntimeError, "grad can be implicitly created only for scalar outputs",
            d => (Leaf(d, 2) * 2).Backward()) with { PyTorchText = "grad can be implicitly created only for scalar outputs" };
        yield return Raises<ShapeMismatchException>("backward/broadcastable-gradient", "Backward", E.RuntimeError, "Mismatch in shape: grad_output[0] has a shape of torch.Size([3, 2]) and output[0] has a shape of torch.Size([2]).",
            d => (Leaf(d, 2) * 2).Backward(torch.ones(3, 2, device: d)))
            with { PyTorchText = "Mismatch in shape: grad_output[0] has a shape of torch.Size([3, 2]) and output[0] has a shape of torch.Size([2])." };
        yield return Raises<ShapeMismatchException>("backward/size-one-gradient", "Backward", E.RuntimeError, "Mismatch in shape",
            d => (Leaf(d, 2) * 2).Backward(torch.ones(1, device: d))) with { PyTorchText = "Mismatch in shape" };
        yield return Raises<ShapeMismatchException>("backward/wrong-gradient", "Backward", E.RuntimeError, "Mismatch in shape",
            d => (Leaf(d, 2, 2) * 2).Backward(torch.ones(3, device: d))) with { PyTorchText = "Mismatch in shape" };
        yield return Raises<TorchException>("backward/twice", "Backward", E.RuntimeError, "Trying to backward through the graph a second time",
            d =>
            {
                torch.Tensor x = Leaf(d, 2);
                torch.Tensor loss = (x * x).sum();
                loss.Backward();
                loss.Backward();
            }) with { PyTorchText = "Trying to backward through the graph a second time" };
        yield return Raises<TorchException>("backward/meta-gradient", "Backward", E.RuntimeError, "expected device",
            d => (Leaf(d, 2) * 2).Backward(torch.ones(2, device: torch.META))) with { PyTorchText = "invalid gradient at index 0 - expected device" };
        yield return Raises<ShapeMismatchException>("grad-set/wrong-shape", "Grad", E.RuntimeError, "size",
            d => Leaf(d, 2).Grad = torch.ones(3, device: d));
        yield return Raises<ArgumentException>("grad-set/wrong-dtype", "Grad", E.RuntimeError, "type",
            d => Leaf(d, 2).Grad = torch.ones(2, torch.float64, device: d));
        yield return Raises<ArgumentException>("grad-set/wrong-device", "Grad", E.RuntimeError, "device",
            d => Leaf(d, 2).Grad = torch.ones(2, device: torch.META));
        yield return Raises<InvalidOperationException>("register-hook/no-grad", "RegisterHook", E.RuntimeError, "cannot register a hook on a tensor that doesn't require gradient",
            d => torch.ones(2, device: d).RegisterHook(g => null)) with { PyTorchText = "cannot register a hook on a tensor that doesn't require gradient" };
        yield return Raises<ArgumentNullException>("register-hook/null", "RegisterHook", null, "hook", d => Leaf(d, 2).RegisterHook(null!));
        yield return Raises<InvalidOperationException>("register-post-accumulate-grad-hook/non-leaf", "RegisterPostAccumulateGradHook", E.RuntimeError,
            "post accumulate grad hooks cannot be registered on non-leaf tensors",
            d => (Leaf(d, 2) * 2).RegisterPostAccumulateGradHook(_ => { })) with { PyTorchText = "post accumulate grad hooks cannot be registered on non-leaf tensors" };
        yield return Raises<InvalidOperationException>("retain-grad/no-grad", "RetainGrad", E.RuntimeError, "can't retain_grad on Tensor that has requires_grad=False",
            d => torch.ones(2, device: d).RetainGrad()) with { PyTorchText = "can't retain_grad on Tensor that has requires_grad=False" };

        // Devices.
        yield return Raises<ArgumentException>("to/unknown-device", "To", E.RuntimeError, "gpu", d => torch.ones(2, device: d).To("gpu"));
        yield return Raises<ArgumentException>("to/empty-device", "To", E.RuntimeError, "''", d => torch.ones(2, device: d).To(""));
        yield return Raises<ArgumentException>("to/negative-index", "To", E.RuntimeError, "cuda:-1", d => torch.ones(2, device: d).To("cuda:-1"));
        yield return Raises<ArgumentNullException>("to/null-device", "To", null, "device", d => torch.ones(2, device: d).To((torch.Device)null!));
        yield return Raises<ArgumentException>("device/unknown", "Device", E.RuntimeError, "tpu", _ => Torch.Device("tpu"));
        yield return Raises<ArgumentException>("device/trailing-colon", "Device", E.RuntimeError, "cuda:", _ => Torch.Device("cuda:"));

        // Interop.
        yield return Raises<ArgumentException>("to-array/wrong-type", "ToArray", null, "float32", d => torch.ones(2, device: d).ToArray<double>());
        yield return Raises<ArgumentException>("as-span/wrong-type", "AsSpan", null, "float32", d => torch.ones(2, device: d).AsSpan<int>());
        yield return Raises<TorchException>("as-span/requires-grad", "AsSpan", E.RuntimeError, "Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead.",
            d => Leaf(d, 2).AsSpan<float>()) with { PyTorchText = "Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead." };
        yield return Raises<InvalidOperationException>("as-span/non-contiguous", "AsSpan", null, "contiguous", d => torch.ones(2, 3, device: d).t().AsSpan<float>());
        yield return Raises<ArgumentException>("from-array/shape-mismatch", "FromArray", E.RuntimeError, "6", _ => Torch.FromArray(new float[6], 4));
        yield return Raises<ArgumentException>("from-array/negative-dim", "FromArray", E.RuntimeError, "-6", _ => Torch.FromArray(new float[6], -6));
        yield return Raises<ArgumentNullException>("from-array/null", "FromArray", E.TypeError, "data", _ => Torch.FromArray<float>(null!, 1));
        yield return Raises<NotSupportedException>("from-array/decimal", "FromArray", E.TypeError, "Decimal", _ => Torch.FromArray(new decimal[2], 2));
        yield return Raises<ArgumentException>("tensor/shape-mismatch", "Tensor", E.RuntimeError, "6", _ => Torch.Tensor(new float[6], 5));
        yield return Raises<ArgumentNullException>("tensor/null", "Tensor", E.RuntimeError, "data", _ => Torch.Tensor<float>(null!, 1));
        yield return Raises<ArgumentException>("from-memory/shape-mismatch", "FromMemory", E.RuntimeError, "6", _ => Torch.FromMemory(new Memory<float>(new float[6]), 7));
        yield return Raises<ArgumentOutOfRangeException>("aligned-array/negative", "AlignedArray", null, "-1", _ => Torch.AlignedArray<float>(-1));
    }
}
