using TorchFacade.Optim;
using TorchFacade.Optim.LrScheduler;
using TorchFacade.Testing;
using TorchSharp;
using static TorchFacade.Conformance.Cases.Errors.ErrorCase;
using static TorchFacade.Conformance.Cases.Errors.ErrorInputs;
using E = TorchFacade.PyTorchErrorTypes;
using R = TorchFacade.Reference.Optimizers;

namespace TorchFacade.Conformance.Cases.Errors;

/// <summary>
/// Bad inputs found by the member-by-member audit after the first three tables: disposed TorchSharp modules given to
/// <c>LoadStateDict</c>, the schedulers' shared checks (momentum cycling, per-group lists, child schedulers, Python's
/// <c>ZeroDivisionError</c>s), schedulers over a disposed optimizer, malformed optimizer state dicts, LBFGS with an added
/// group, sparse gradients, quantized tensors, the <c>.npy</c> dtype checks and the TorchFacade.Testing helpers.
/// </summary>
public sealed class ErrorModelCases : ErrorCaseTable
{
    /// <inheritdoc />
    protected override IEnumerable<ErrorCase> Rows()
    {
        // Disposed TorchSharp modules: Linear/Conv2d keep their native handle open after Dispose and their parameters()
        // yields nothing, which used to read as "Unexpected key(s)".
        yield return Raises<ObjectDisposedException>("load-state-dict/disposed-linear", "LoadStateDict", null, "the module Linear has been disposed",
            d => Dead(torch.nn.Linear(3, 2, device: d)).LoadStateDict(LinearState(d, string.Empty)));
        yield return Raises<ObjectDisposedException>("load-state-dict/disposed-linear-object-overload", "LoadStateDict", null, "has been disposed",
            d => Dead(torch.nn.Linear(3, 2, device: d)).LoadStateDict(LinearState(d, string.Empty).ToDictionary(p => p.Key, p => (object?)p.Value)));
        yield return Raises<ObjectDisposedException>("load-state-dict/disposed-conv2d", "LoadStateDict", null, "the module Conv2d has been disposed",
            d => Dead(torch.nn.Conv2d(1, 1, 3, device: d)).LoadStateDict(new Dictionary<string, torch.Tensor>(), strict: false));
        yield return Raises<ObjectDisposedException>("load-state-dict/disposed-sequential", "LoadStateDict", null, "the module Sequential has been disposed",
            d => Dead(torch.nn.Sequential(("fc", torch.nn.Linear(3, 2, device: d)))).LoadStateDict(LinearState(d, "fc.")));
        yield return Raises<ObjectDisposedException>("load-state-dict/disposed-child", "LoadStateDict", null, "submodule 'fc'",
            d =>
            {
                var fc = torch.nn.Linear(3, 2, device: d);
                var parent = torch.nn.Sequential(("fc", fc), ("act", torch.nn.ReLU()));
                fc.Dispose();
                parent.LoadStateDict(LinearState(d, "fc."));
            });
        yield return Raises<ObjectDisposedException>("load-state-dict/disposed-batch-norm", "LoadStateDict", null, "the module BatchNorm1d has been disposed",
            d => Dead(torch.nn.BatchNorm1d(3, device: d)).LoadStateDict(new Dictionary<string, torch.Tensor>()));
        yield return Raises<TorchException>("load-state-dict/sparse-value", "LoadStateDict", E.RuntimeError, "While copying the parameter named \"weight\"",
            d => torch.nn.Linear(3, 2, device: d).LoadStateDict(new Dictionary<string, torch.Tensor> { ["weight"] = torch.ones(2, 3, device: d).to_sparse(), ["bias"] = torch.ones(2, device: d) }))
            with { NamesMember = false, PyTorchText = "Error(s) in loading state_dict for Linear" };

        // The schedulers' shared checks: each first line names the scheduler.
        yield return Raises<ArgumentException>("sched/cyclic/no-momentum", "CyclicLR", E.ValueError, "optimizer must support momentum or beta1 with `cycle_momentum` option enabled",
            d => new CyclicLR(new R.Adagrad([Leaf(d, 2)]), baseLr: 0.01, maxLr: 0.1)) with { PyTorchText = "optimizer must support momentum or beta1 with `cycle_momentum` option enabled" };
        yield return Raises<ArgumentException>("sched/one-cycle/no-momentum", "OneCycleLR", E.ValueError, "optimizer must support momentum or beta1 with `cycle_momentum` option enabled",
            d => new OneCycleLR(new R.Adagrad([Leaf(d, 2)]), maxLr: 0.1, totalSteps: 10)) with { PyTorchText = "optimizer must support momentum or beta1 with `cycle_momentum` option enabled" };
        yield return Raises<ArgumentException>("sched/one-cycle/max-lr-count", "OneCycleLR", E.ValueError, "max_lr must have the same length as optimizer.param_groups. max_lr has 2 values, param_groups has 1.",
            d => new OneCycleLR(SgdMomentum(d), maxLr: new[] { 0.1, 0.2 }, totalSteps: 10)) with { PyTorchText = "max_lr must have the same length as optimizer.param_groups. max_lr has 2 values, param_groups has 1." };
        yield return Raises<ArgumentException>("sched/one-cycle/max-momentum-count", "OneCycleLR", E.ValueError, "max_momentum must have the same length as optimizer.param_groups.",
            d => new OneCycleLR(SgdMomentum(d), maxLr: 0.1, totalSteps: 10, maxMomentum: new[] { 0.9, 0.8 })) with { PyTorchText = "max_momentum must have the same length as optimizer.param_groups. max_momentum has 2 values, param_groups has 1." };
        yield return Raises<ArgumentException>("sched/cyclic/base-lr-count", "CyclicLR", E.ValueError, "base_lr must have the same length as optimizer.param_groups. base_lr has 2 values, param_groups has 1.",
            d => new CyclicLR(SgdMomentum(d), baseLr: new[] { 0.1, 0.2 }, maxLr: 0.1)) with { PyTorchText = "base_lr must have the same length as optimizer.param_groups. base_lr has 2 values, param_groups has 1." };
        yield return Raises<ArgumentException>("sched/sequential/plateau", "SequentialLR", E.ValueError, "does not support `ReduceLROnPlateau` scheduler",
            d =>
            {
                Optimizer o = Sgd(d);
                _ = new SequentialLR(o, [new StepLR(o, 2), new ReduceLROnPlateau(o)], [1]);
            }) with { PyTorchText = "SequentialLR does not support `ReduceLROnPlateau` scheduler as it requires additional kwargs to be specified when calling `step`, but got one at index 1 in the given schedulers sequence." };
        yield return Raises<ArgumentNullException>("sched/sequential/null-child", "SequentialLR", E.TypeError, "SequentialLR at index 1 should have `optimizer` as its attribute",
            d =>
            {
                Optimizer o = Sgd(d);
                _ = new SequentialLR(o, [new StepLR(o, 2), null!], [1]);
            }) with { PyTorchText = "SequentialLR at index 1 should have `optimizer` as its attribute" };
        yield return Raises<ArgumentException>("sched/sequential/empty", "SequentialLR", E.ValueError, "SequentialLR expects at least one scheduler, but got no scheduler.",
            d => new SequentialLR(Sgd(d), Array.Empty<LRScheduler>(), Array.Empty<int>())) with { PyTorchText = "SequentialLR expects at least one scheduler, but got no scheduler." };
        yield return Raises<ArgumentException>("sched/chained/plateau", "ChainedScheduler", E.ValueError, "ChainedScheduler does not support `ReduceLROnPlateau` scheduler",
            d =>
            {
                Optimizer o = Sgd(d);
                _ = new ChainedScheduler([new StepLR(o, 2), new ReduceLROnPlateau(o)]);
            }) with { PyTorchText = "ChainedScheduler does not support `ReduceLROnPlateau` scheduler" };
        yield return Raises<ArgumentException>("sched/chained/other-optimizer", "ChainedScheduler", E.ValueError, "ChainedScheduler expects all schedulers to belong to the same optimizer",
            d => new ChainedScheduler([new StepLR(Sgd(d), 2), new StepLR(Sgd(d), 2)])) with { PyTorchText = "ChainedScheduler expects all schedulers to belong to the same optimizer" };

        // Python's ZeroDivisionError where the schedulers' arithmetic divides by zero (C# would give an infinity or NaN).
        yield return Raises<DivideByZeroException>("sched/constant-lr/zero-factor", "ConstantLR.Step", "ZeroDivisionError", "float division by zero computing 1.0 / factor",
            d => Steps(new ConstantLR(Sgd(d), factor: 0, totalIters: 2), 2)) with { PyTorchText = "float division by zero" };
        yield return Raises<DivideByZeroException>("sched/cosine/t-max-zero", "CosineAnnealingLR.Step", "ZeroDivisionError", "integer modulo by zero",
            d => Steps(new CosineAnnealingLR(Sgd(d), tMax: 0), 1)) with { PyTorchText = "integer modulo by zero" };
        yield return Raises<DivideByZeroException>("sched/step-lr/step-size-zero", "StepLR.Step", "ZeroDivisionError", "integer modulo by zero computing last_epoch % step_size = 1 % 0",
            d => Steps(new StepLR(Sgd(d), stepSize: 0), 1)) with { PyTorchText = "integer modulo by zero" };
        yield return Raises<DivideByZeroException>("sched/cyclic/zero-size", "CyclicLR", "ZeroDivisionError", "float division by zero",
            d => new CyclicLR(SgdMomentum(d), baseLr: 0.01, maxLr: 0.1, stepSizeUp: 0, stepSizeDown: 0)) with { PyTorchText = "float division by zero" };
        yield return Raises<DivideByZeroException>("sched/polynomial/negative-power", "PolynomialLR.Step", "ZeroDivisionError", "0.0 cannot be raised to a negative power",
            d => Steps(new PolynomialLR(Sgd(d), totalIters: 2, power: -1), 6)) with { PyTorchText = "0.0 cannot be raised to a negative power" };

        // Schedulers over a disposed optimizer (PyTorch has no disposal).
        yield return Raises<ObjectDisposedException>("sched/disposed-optimizer/create", "StepLR", null, "was disposed", d => new StepLR(Closed(Sgd(d)), 2));
        yield return Raises<ObjectDisposedException>("sched/disposed-optimizer/step", "StepLR.Step", null, "was disposed",
            d =>
            {
                Optimizer o = Sgd(d);
                var s = new StepLR(o, 2);
                o.Dispose();
                s.Step();
            });
        yield return Raises<ObjectDisposedException>("sched/disposed-optimizer/plateau-step", "ReduceLROnPlateau.Step", null, "was disposed",
            d =>
            {
                Optimizer o = Sgd(d);
                var s = new ReduceLROnPlateau(o);
                o.Dispose();
                s.Step(1.0);
            });
        yield return Raises<ObjectDisposedException>("sched/disposed-optimizer/sequential-step", "SequentialLR.Step", null, "was disposed",
            d =>
            {
                Optimizer o = Sgd(d);
                var s = new SequentialLR(o, [new StepLR(o, 2), new StepLR(o, 3)], [1]);
                o.Dispose();
                s.Step();
            });
        yield return Raises<ObjectDisposedException>("sched/disposed-optimizer/chained-step", "ChainedScheduler.Step", null, "was disposed",
            d =>
            {
                Optimizer o = Sgd(d);
                var s = new ChainedScheduler([new StepLR(o, 2), new StepLR(o, 3)]);
                o.Dispose();
                s.Step();
            });

        // Malformed optimizer state dicts: the first line names the optimizer's LoadStateDict.
        yield return Raises<TorchException>("optim/load-state-dict/non-integer-id", "SGD.LoadStateDict", E.TypeError, "is not an integer parameter id",
            d =>
            {
                Optimizer o = Sgd(d);
                var group = new Dictionary<string, object?>(o.StateDict().ParamGroups[0]) { ["params"] = new List<object?> { "a" } };
                o.LoadStateDict(new Dictionary<string, object?> { ["state"] = new Dictionary<object, object?>(), ["param_groups"] = new List<object?> { group } });
            });
        yield return Raises<TorchException>("optim/load-state-dict/non-integer-state-key", "SGD.LoadStateDict", E.TypeError, "a key of the state dict's 'state' is",
            d =>
            {
                Optimizer o = Sgd(d);
                OptimizerStateDict sd = o.StateDict();
                o.LoadStateDict(new Dictionary<string, object?> { ["state"] = new Dictionary<object, object?> { ["x"] = new Dictionary<string, object?>() }, ["param_groups"] = sd.ParamGroups.ToList<object?>() });
            });
        yield return Raises<TorchException>("optim/load-state-dict/state-not-a-dict", "SGD.LoadStateDict", "AttributeError", "the state dict's 'state' is",
            d =>
            {
                Optimizer o = Sgd(d);
                o.LoadStateDict(new Dictionary<string, object?> { ["state"] = 5L, ["param_groups"] = o.StateDict().ParamGroups.ToList<object?>() });
            });
        yield return Raises<ObjectDisposedException>("optim/load-state-dict/disposed-state-tensor", "Adam.LoadStateDict", null, "is a disposed tensor",
            d =>
            {
                torch.Tensor p = Leaf(d, 2);
                var o = new R.Adam([p]);
                p.grad = torch.ones(2, device: d);
                o.Step();
                OptimizerStateDict sd = o.StateDict();
                ((torch.Tensor)sd.State[0]["exp_avg"]!).Dispose();
                o.LoadStateDict(sd);
            });

        // LBFGS: created over one group (PyTorch's ValueError); a group added later is accepted, as in PyTorch, and step
        // then refuses as PyTorch's `assert len(self.param_groups) == 1` does.
        yield return Raises<ArgumentException>("optim/lbfgs/two-groups", "LBFGS", E.ValueError, "LBFGS doesn't support per-parameter options (parameter groups)",
            d => new R.LBFGS([new ParamGroup([Leaf(d, 2)]), new ParamGroup([Leaf(d, 2)])])) with { PyTorchText = "LBFGS doesn't support per-parameter options (parameter groups)" };
        yield return Raises<InvalidOperationException>("optim/lbfgs/step-after-add-param-group", "LBFGS.Step", "AssertionError", "LBFGS steps exactly one parameter group, but this optimizer has 2",
            d =>
            {
                torch.Tensor a = Leaf(d, 2);
                var o = new R.LBFGS([a]);
                o.AddParamGroup([Leaf(d, 1)]);
                o.Step(() =>
                {
                    o.ZeroGrad();
                    torch.Tensor loss = a.pow(2).sum();
                    loss.backward();
                    return loss;
                });
            });

        // Sparse gradients: PyTorch's optimizers that cannot use them say so (SGD and Adagrad accept them).
        var noSparse = new (string Name, Func<torch.Tensor[], Optimizer> Make, string Text)[]
        {
            ("Adam", p => new R.Adam(p), "Adam does not support sparse gradients, please consider SparseAdam instead"),
            ("AdamW", p => new R.AdamW(p), "AdamW does not support sparse gradients"),
            ("RMSprop", p => new R.RMSprop(p), "RMSprop does not support sparse gradients"),
            ("Adadelta", p => new R.Adadelta(p), "Adadelta does not support sparse gradients"),
            ("Adamax", p => new R.Adamax(p), "Adamax does not support sparse gradients"),
            ("NAdam", p => new R.NAdam(p), "NAdam does not support sparse gradients"),
            ("RAdam", p => new R.RAdam(p), "RAdam does not support sparse gradients"),
            ("ASGD", p => new R.ASGD(p), "ASGD does not support sparse gradients"),
            ("Rprop", p => new R.Rprop(p), "Rprop does not support sparse gradients"),
        };
        foreach ((string name, Func<torch.Tensor[], Optimizer> make, string text) in noSparse)
        {
            yield return Raises<TorchException>($"optim/{name.ToLowerInvariant()}/sparse-grad", $"{name}.Step", E.RuntimeError, text,
                d =>
                {
                    torch.Tensor p = Leaf(d, 2, 3);
                    Optimizer o = make([p]);
                    p.grad = torch.ones(2, 3, device: d).to_sparse();
                    o.Step();
                }) with { PyTorchText = text };
        }

        // PyTorch's Adagrad and LBFGS apply sparse gradients; these implementations refuse them (NotImplementedError), before any change.
        yield return Raises<TorchException>("optim/adagrad/sparse-grad", "Adagrad.Step", E.NotImplementedError, "has a sparse gradient",
            d =>
            {
                torch.Tensor p = Leaf(d, 2, 3);
                var o = new R.Adagrad([p]);
                p.grad = torch.ones(2, 3, device: d).to_sparse();
                o.Step();
            });

        // Quantized tensors (TorchSharp 0.107 makes them only internally, e.g. when loading a quantized checkpoint).
        yield return Raises<TorchException>("quantized/to-array", "ToArray", E.TypeError, "QInt8",
            _ => Quantized().ToArray<sbyte>()) with { PyTorchText = "Got unsupported ScalarType QInt8" };
        yield return Raises<TorchException>("quantized/as-span", "AsSpan", E.TypeError, "QInt8", _ => Quantized().AsSpan<sbyte>());
        yield return Raises<ArgumentException>("quantized/npy-save", "Npy.Save", E.TypeError, "has no NumPy counterpart",
            _ => Npy.Save(MissingFile(".npy"), Quantized()));
        yield return Raises<TorchException>("quantized/assign-from", "Assign", E.RuntimeError, "Copying from quantized Tensor to non-quantized Tensor is not allowed",
            _ => torch.zeros(2, 3).Assign(Quantized())) with { PyTorchText = "Copying from quantized Tensor to non-quantized Tensor is not allowed" };

        // .npy dtypes NumPy does not have.
        yield return Raises<ArgumentException>("npy-save/bfloat16", "Npy.Save", null, "NumPy has no bfloat16 dtype",
            d => Npy.Save(MissingFile(".npy"), torch.ones(2, torch.bfloat16, device: d)));
        yield return Raises<ArgumentException>("npz-save/bfloat16", "Npz.Save", null, "NumPy has no bfloat16 dtype",
            d => Npz.Save(MissingFile(".npz"), new Dictionary<string, torch.Tensor> { ["a"] = torch.ones(2, torch.bfloat16, device: d) }));

        // TorchFacade.Testing: first lines name the helper, no "(Parameter '...')".
        yield return Raises<ArgumentNullException>("testing/assert-close/null", "AssertClose", null, "'actual' is null", d => AssertClose.Check(null!, torch.ones(2, device: d)));
        yield return Raises<ObjectDisposedException>("testing/assert-close/disposed", "AssertClose", null, "has been disposed", d => AssertClose.Check(Disposed(d), torch.ones(2, 3, device: d)));
        yield return Raises<ArgumentException>("testing/assert-close/rtol-only", "AssertClose", E.ValueError, "Both 'rtol' and 'atol' must be either specified or omitted",
            d => AssertClose.Check(torch.ones(2, device: d), torch.ones(2, device: d), rtol: 1e-3)) with { PyTorchText = "Both 'rtol' and 'atol' must be either specified or omitted" };
        yield return Raises<ArgumentException>("testing/assert-close/negative-tolerance", "AssertClose", null, "tolerances must be non-negative",
            d => AssertClose.Check(torch.ones(2, device: d), torch.ones(2, device: d), rtol: -1, atol: 0));
        yield return Raises<ArgumentException>("testing/grad-check/no-requires-grad", "GradCheck", E.ValueError, "none of the inputs requires grad",
            d => GradCheck.Run(x => x * 2, torch.ones(2, torch.float64, device: d)));
        yield return Raises<ArgumentException>("testing/grad-check/float32", "GradCheck", null, "runs in float64",
            d => GradCheck.Run(x => x * 2, Leaf(d, 2)));
        yield return Raises<ArgumentException>("testing/grad-check/eps", "GradCheck", null, "eps > 0",
            d => GradCheck.Run(x => x * 2, torch.ones(2, torch.float64, device: d, requires_grad: true), eps: 0));
        yield return Raises<ArgumentNullException>("testing/grad-check/null-function", "GradCheck", null, "is null", d => GradCheck.Run((Func<torch.Tensor, torch.Tensor>)null!, Leaf(d, 2)));
        yield return Raises<ObjectDisposedException>("testing/grad-check/disposed-input", "GradCheck", null, "has been disposed", d => GradCheck.Run(x => x * 2, Disposed(d)));
        yield return Raises<ArgumentException>("testing/grad-grad-check/grad-output-shape", "GradGradCheck", null, "gradOutput has shape [3]",
            d => GradGradCheck.Run(x => x * x, torch.ones(2, torch.float64, device: d, requires_grad: true), gradOutput: torch.ones(3, torch.float64, device: d)));
        yield return Raises<ArgumentNullException>("testing/leak-check/null", "LeakCheck.Run", null, "is null", _ => LeakCheck.Run(null!));
    }

    private static Optimizer Sgd(torch.Device device) => new R.SGD([Leaf(device, 2)], lr: 0.1);

    private static Optimizer SgdMomentum(torch.Device device) => new R.SGD([Leaf(device, 2)], lr: 0.1, momentum: 0.9);

    private static Optimizer Closed(Optimizer optimizer)
    {
        optimizer.Dispose();
        return optimizer;
    }

    private static T Dead<T>(T module)
        where T : torch.nn.Module
    {
        module.Dispose();
        return module;
    }

    private static Dictionary<string, torch.Tensor> LinearState(torch.Device device, string prefix) =>
        new() { [prefix + "weight"] = torch.ones(2, 3, device: device), [prefix + "bias"] = torch.ones(2, device: device) };

    private static void Steps(LRScheduler scheduler, int count)
    {
        for (int i = 0; i < count; i++)
        {
            scheduler.Step();
        }
    }

    /// <summary>A 2×3 qint8 tensor (scale 0.1, zero point 0) of ones, made through TorchSharp's internal quantizer.</summary>
    private static torch.Tensor Quantized()
    {
        var quantize = typeof(torch.Tensor).GetMethod("_quantize_per_tensor", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)
            ?? throw new MissingMethodException("TorchSharp's Tensor._quantize_per_tensor is gone; make the quantized input another way.");
        return (torch.Tensor)quantize.Invoke(torch.ones(2, 3), [0.1, 0L, torch.ScalarType.QInt8])!;
    }
}
