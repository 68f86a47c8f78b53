using TorchFacade.Optim;
using TorchFacade.Optim.LrScheduler;
using static TorchFacade.Conformance.Cases.Errors.ErrorCase;
using static TorchFacade.Conformance.Cases.Errors.ErrorInputs;
using E = TorchFacade.PyTorchErrorTypes;
using R = TorchFacade.Reference.Optimizers;

namespace TorchFacade.Conformance.Cases.Errors;

/// <summary>Bad inputs to the optimizers (reference and built-in), parameter groups, optimizer state dicts and the LR schedulers.</summary>
public sealed class OptimErrorCases : ErrorCaseTable
{
    /// <inheritdoc />
    protected override IEnumerable<ErrorCase> Rows()
    {
        // A negative learning rate, for every optimizer: PyTorch's ValueError "Invalid learning rate: -1.0".
        var negativeLr = new (string Name, Func<torch.Tensor[], Optimizer> Make)[]
        {
            ("SGD", p => new R.SGD(p, lr: -1)),
            ("Adam", p => new R.Adam(p, lr: -1)),
            ("AdamW", p => new R.AdamW(p, lr: -1)),
            ("Adagrad", p => new R.Adagrad(p, lr: -1)),
            ("Adadelta", p => new R.Adadelta(p, lr: -1)),
            ("Adamax", p => new R.Adamax(p, lr: -1)),
            ("ASGD", p => new R.ASGD(p, lr: -1)),
            ("NAdam", p => new R.NAdam(p, lr: -1)),
            ("RAdam", p => new R.RAdam(p, lr: -1)),
            ("RMSprop", p => new R.RMSprop(p, lr: -1)),
            ("Rprop", p => new R.Rprop(p, lr: -1)),
            ("LBFGS", p => new R.LBFGS(p, lr: -1)),
        };
        foreach ((string name, Func<torch.Tensor[], Optimizer> make) in negativeLr)
        {
            yield return Raises<ArgumentException>($"optim/{name.ToLowerInvariant()}/negative-lr", name, E.ValueError, "Invalid learning rate: -1",
                d => make([Leaf(d, 2)])) with { PyTorchText = "Invalid learning rate: -1" };
        }

        yield return Raises<ArgumentException>("optim/builtin-sgd/negative-lr", "SGD", E.ValueError, "Invalid learning rate: -1",
            d => BuiltInOptimizers.SGD([Leaf(d, 2)], lr: -1)) with { PyTorchText = "Invalid learning rate: -1" };
        yield return Raises<ArgumentException>("optim/builtin-adam/bad-beta", "Adam", E.ValueError, "Invalid beta parameter at index 1: 1",
            d => BuiltInOptimizers.Adam([Leaf(d, 2)], betas: (0.9, 1.0))) with { PyTorchText = "Invalid beta parameter at index 1: 1" };
        yield return Raises<ArgumentException>("optim/sgd/empty", "SGD", E.ValueError, "optimizer got an empty parameter list",
            _ => new R.SGD(Array.Empty<torch.Tensor>(), lr: 0.1)) with { PyTorchText = "optimizer got an empty parameter list" };
        yield return Raises<ArgumentException>("optim/sgd/non-leaf", "SGD", E.ValueError, "can't optimize a non-leaf Tensor",
            d => new R.SGD([Leaf(d, 2) * 2], lr: 0.1)) with { PyTorchText = "can't optimize a non-leaf Tensor" };
        yield return Raises<ArgumentException>("optim/sgd/duplicate", "SGD", null, "duplicate parameters",
            d =>
            {
                torch.Tensor p = Leaf(d, 2);
                _ = new R.SGD([p, p], lr: 0.1);
            });
        yield return Raises<ArgumentException>("optim/sgd/int-parameter", "SGD", null, "floating point",
            d => new R.SGD([torch.ones(2, torch.int64, device: d)], lr: 0.1));
        yield return Raises<ArgumentException>("optim/sgd/negative-momentum", "SGD", E.ValueError, "Invalid momentum value: -0.5",
            d => new R.SGD([Leaf(d, 2)], lr: 0.1, momentum: -0.5)) with { PyTorchText = "Invalid momentum value: -0.5" };
        yield return Raises<ArgumentException>("optim/sgd/negative-weight-decay", "SGD", E.ValueError, "Invalid weight_decay value: -1",
            d => new R.SGD([Leaf(d, 2)], lr: 0.1, weightDecay: -1)) with { PyTorchText = "Invalid weight_decay value: -1" };
        yield return Raises<ArgumentException>("optim/sgd/nesterov-without-momentum", "SGD", E.ValueError, "Nesterov momentum requires a momentum and zero dampening",
            d => new R.SGD([Leaf(d, 2)], lr: 0.1, nesterov: true)) with { PyTorchText = "Nesterov momentum requires a momentum and zero dampening" };
        yield return Raises<ArgumentException>("optim/adam/negative-eps", "Adam", E.ValueError, "Invalid epsilon value: -1",
            d => new R.Adam([Leaf(d, 2)], eps: -1)) with { PyTorchText = "Invalid epsilon value: -1" };
        yield return Raises<ArgumentException>("optim/adam/beta1-one", "Adam", E.ValueError, "Invalid beta parameter at index 0: 1",
            d => new R.Adam([Leaf(d, 2)], betas: (1.0, 0.999))) with { PyTorchText = "Invalid beta parameter at index 0: 1" };
        yield return Raises<ArgumentException>("optim/adam/nan-lr", "Adam", null, "Invalid learning rate: nan",
            d => new R.Adam([Leaf(d, 2)], lr: double.NaN));
        yield return Raises<ArgumentException>("optim/adagrad/negative-lr-decay", "Adagrad", E.ValueError, "Invalid lr_decay value: -1",
            d => new R.Adagrad([Leaf(d, 2)], lrDecay: -1)) with { PyTorchText = "Invalid lr_decay value: -1" };
        yield return Raises<ArgumentException>("optim/adagrad/negative-initial-accumulator", "Adagrad", E.ValueError, "Invalid initial_accumulator_value value: -1",
            d => new R.Adagrad([Leaf(d, 2)], initialAccumulatorValue: -1)) with { PyTorchText = "Invalid initial_accumulator_value value: -1" };
        yield return Raises<ArgumentException>("optim/adadelta/rho-above-one", "Adadelta", E.ValueError, "Invalid rho value: 1.5",
            d => new R.Adadelta([Leaf(d, 2)], rho: 1.5)) with { PyTorchText = "Invalid rho value: 1.5" };
        yield return Raises<ArgumentException>("optim/rmsprop/negative-alpha", "RMSprop", E.ValueError, "Invalid alpha value: -0.1",
            d => new R.RMSprop([Leaf(d, 2)], alpha: -0.1)) with { PyTorchText = "Invalid alpha value: -0.1" };
        yield return Raises<ArgumentException>("optim/rmsprop/negative-momentum", "RMSprop", E.ValueError, "Invalid momentum value: -0.1",
            d => new R.RMSprop([Leaf(d, 2)], momentum: -0.1)) with { PyTorchText = "Invalid momentum value: -0.1" };
        yield return Raises<ArgumentException>("optim/rprop/bad-etas", "Rprop", E.ValueError, "Invalid eta values: 1.5, 1.2",
            d => new R.Rprop([Leaf(d, 2)], etas: (1.5, 1.2))) with { PyTorchText = "Invalid eta values: 1.5, 1.2" };
        yield return Raises<ArgumentException>("optim/sgd/expanded-parameter", "SGD", null, "more than one element of the written-to tensor refers to a single memory location",
            d => new R.SGD([torch.ones(1, device: d).expand(3)], lr: 0.1));
        yield return Raises<ArgumentException>("optim/add-param-group/already-optimized", "SGD.AddParamGroup", E.ValueError, "some parameters appear in more than one parameter group",
            d =>
            {
                torch.Tensor p = Leaf(d, 2);
                new R.SGD([p], lr: 0.1).AddParamGroup([p]);
            }) with { PyTorchText = "some parameters appear in more than one parameter group" };
        yield return Raises<ArgumentNullException>("optim/add-param-group/null", "SGD.AddParamGroup", null, "is null",
            d => new R.SGD([Leaf(d, 2)], lr: 0.1).AddParamGroup((ParamGroup)null!));
        yield return Raises<ArgumentException>("optim/param-group/unknown-option", "SGD", null, "Unknown option 'momentun'",
            d => new R.SGD([new ParamGroup([Leaf(d, 2)]) { ["momentun"] = 0.9 }], lr: 0.1));
        yield return Raises<ArgumentException>("optim/param-group/wrong-type", "ParamGroup[\"momentum\"]", null, "must be",
            d => new R.SGD([Leaf(d, 2)], lr: 0.1).ParamGroups[0]["momentum"] = "high");
        yield return Raises<ArgumentNullException>("optim/param-group/null-parameters", "ParamGroup", null, "is null", _ => new ParamGroup(null!));
        yield return Raises<ArgumentException>("optim/state-of/not-a-parameter", "SGD.StateOf", null, "not one of the optimizer's parameters",
            d => new R.SGD([Leaf(d, 2)], lr: 0.1).StateOf(Leaf(d, 2)));
        yield return Raises<ArgumentNullException>("optim/load-state-dict/null", "SGD.LoadStateDict", null, "is null",
            d => new R.SGD([Leaf(d, 2)], lr: 0.1).LoadStateDict((IReadOnlyDictionary<string, object?>)null!));
        yield return Raises<TorchException>("optim/load-state-dict/no-param-groups", "SGD.LoadStateDict", "KeyError", "no 'param_groups'",
            d => new R.SGD([Leaf(d, 2)], lr: 0.1).LoadStateDict(new Dictionary<string, object?> { ["state"] = new Dictionary<object, object?>() }));
        yield return Raises<TorchException>("optim/load-state-dict/group-count", "Adam.LoadStateDict", E.ValueError, "loaded state dict has a different number of parameter groups",
            d =>
            {
                var two = new R.Adam([new ParamGroup([Leaf(d, 2)]), new ParamGroup([Leaf(d, 2)])]);
                new R.Adam([Leaf(d, 2)]).LoadStateDict(two.StateDict());
            }) with { PyTorchText = "loaded state dict has a different number of parameter groups" };
        yield return Raises<TorchException>("optim/load-state-dict/group-size", "Adam.LoadStateDict", E.ValueError, "loaded state dict contains a parameter group that doesn't match the size of optimizer's group",
            d => new R.Adam([Leaf(d, 2)]).LoadStateDict(new R.Adam([Leaf(d, 2), Leaf(d, 2)]).StateDict()))
            with { PyTorchText = "loaded state dict contains a parameter group that doesn't match the size of optimizer's group" };
        yield return Raises<TorchException>("optim/load-state-dict/wrong-shape", "Adam.LoadStateDict", E.RuntimeError, "has shape [3]",
            d =>
            {
                torch.Tensor big = Leaf(d, 3);
                var a = new R.Adam([big]);
                big.Grad = torch.ones(3, device: d);
                a.Step();
                new R.Adam([Leaf(d, 2)]).LoadStateDict(a.StateDict());
            });
        yield return Raises<TorchException>("optim/load-state-dict/other-optimizer", "Adam.LoadStateDict", "KeyError", "does not keep",
            d =>
            {
                torch.Tensor p = Leaf(d, 2);
                var sgd = new R.SGD([p], lr: 0.1, momentum: 0.9);
                p.Grad = torch.ones(2, device: d);
                sgd.Step();
                new R.Adam([Leaf(d, 2)]).LoadStateDict(sgd.StateDict());
            });

        // Use after Dispose (PyTorch has no disposal).
        yield return Raises<ObjectDisposedException>("optim/disposed/step", "SGD", null, "disposed", d => Closed(new R.SGD([Leaf(d, 2)], lr: 0.1)).Step());
        yield return Raises<ObjectDisposedException>("optim/disposed/zero-grad", "SGD", null, "disposed", d => Closed(new R.SGD([Leaf(d, 2)], lr: 0.1)).ZeroGrad());
        yield return Raises<ObjectDisposedException>("optim/disposed/state-dict", "Adam", null, "disposed", d => Closed(new R.Adam([Leaf(d, 2)])).StateDict());
        yield return Raises<ObjectDisposedException>("optim/disposed/builtin-step", "Adam", null, "disposed", d => Closed(BuiltInOptimizers.Adam([Leaf(d, 2)])).Step());
        yield return Raises<ObjectDisposedException>("optim/disposed/add-param-group", "SGD", null, "disposed",
            d => Closed(new R.SGD([Leaf(d, 2)], lr: 0.1)).AddParamGroup([Leaf(d, 2)]));
        yield return Raises<ObjectDisposedException>("optim/disposed-parameter/sgd", "SGD", null, "disposed tensor", d => new R.SGD([Disposed(d)], lr: 0.1)) with { NamesMember = false };

        // The LR schedulers: PyTorch's ValueErrors for bad arguments.
        yield return Raises<ArgumentException>("sched/constant-lr/factor", "ConstantLR", E.ValueError, "Constant multiplicative factor expected to be between 0 and 1.",
            d => new ConstantLR(Sgd(d), factor: 2)) with { PyTorchText = "Constant multiplicative factor expected to be between 0 and 1." };
        yield return Raises<ArgumentException>("sched/linear-lr/start", "LinearLR", E.ValueError, "Starting multiplicative factor expected to be greater than 0 and less or equal to 1.",
            d => new LinearLR(Sgd(d), startFactor: 0)) with { PyTorchText = "Starting multiplicative factor expected to be greater than 0 and less or equal to 1." };
        yield return Raises<ArgumentException>("sched/linear-lr/end", "LinearLR", E.ValueError, "Ending multiplicative factor expected to be between 0 and 1.",
            d => new LinearLR(Sgd(d), endFactor: 2)) with { PyTorchText = "Ending multiplicative factor expected to be between 0 and 1." };
        yield return Raises<ArgumentException>("sched/cawr/t0", "CosineAnnealingWarmRestarts", E.ValueError, "Expected positive integer T_0, but got 0",
            d => new CosineAnnealingWarmRestarts(Sgd(d), t0: 0)) with { PyTorchText = "Expected positive integer T_0, but got 0" };
        yield return Raises<ArgumentException>("sched/cawr/t-mult", "CosineAnnealingWarmRestarts", E.ValueError, "Expected integer T_mult >= 1, but got 0",
            d => new CosineAnnealingWarmRestarts(Sgd(d), t0: 5, tMult: 0)) with { PyTorchText = "Expected integer T_mult >= 1, but got 0" };
        yield return Raises<ArgumentException>("sched/one-cycle/total-steps", "OneCycleLR", E.ValueError, "Expected positive integer total_steps, but got 0",
            d => new OneCycleLR(Sgd(d), maxLr: 0.1, totalSteps: 0)) with { PyTorchText = "Expected positive integer total_steps, but got 0" };
        yield return Raises<ArgumentException>("sched/one-cycle/none", "OneCycleLR", E.ValueError, "You must define either total_steps OR (epochs AND steps_per_epoch)",
            d => new OneCycleLR(Sgd(d), maxLr: 0.1)) with { PyTorchText = "You must define either total_steps OR (epochs AND steps_per_epoch)" };
        yield return Raises<ArgumentException>("sched/one-cycle/pct-start", "OneCycleLR", E.ValueError, "Expected float between 0 and 1 pct_start, but got 1.5",
            d => new OneCycleLR(Sgd(d), maxLr: 0.1, totalSteps: 10, pctStart: 1.5)) with { PyTorchText = "Expected float between 0 and 1 pct_start, but got 1.5" };
        yield return Raises<ArgumentException>("sched/one-cycle/anneal", "OneCycleLR", E.ValueError, "anneal_strategy must be one of 'cos' or 'linear', instead got cosine",
            d => new OneCycleLR(Sgd(d), maxLr: 0.1, totalSteps: 10, annealStrategy: "cosine")) with { PyTorchText = "anneal_strategy must be one of 'cos' or 'linear', instead got cosine" };
        yield return Raises<ArgumentException>("sched/plateau/factor", "ReduceLROnPlateau", E.ValueError, "Factor should be < 1.0.",
            d => new ReduceLROnPlateau(Sgd(d), factor: 1.5)) with { PyTorchText = "Factor should be < 1.0." };
        yield return Raises<ArgumentException>("sched/plateau/mode", "ReduceLROnPlateau", E.ValueError, "mode maximum is unknown!",
            d => new ReduceLROnPlateau(Sgd(d), mode: "maximum")) with { PyTorchText = "mode maximum is unknown!" };
        yield return Raises<ArgumentException>("sched/plateau/threshold-mode", "ReduceLROnPlateau", E.ValueError, "threshold mode relative is unknown!",
            d => new ReduceLROnPlateau(Sgd(d), thresholdMode: "relative")) with { PyTorchText = "threshold mode relative is unknown!" };
        yield return Raises<ArgumentException>("sched/cyclic/mode", "CyclicLR", E.ValueError, "mode is invalid and scale_fn is None",
            d => new CyclicLR(Sgd(d), baseLr: 0.01, maxLr: 0.1, mode: "zigzag", cycleMomentum: false)) with { PyTorchText = "mode is invalid and scale_fn is None" };
        yield return Raises<ArgumentException>("sched/lambda/count", "LambdaLR", E.ValueError, "Expected 1 lr_lambdas, but got 2",
            d => new LambdaLR(Sgd(d), [e => 1.0, e => 1.0])) with { PyTorchText = "Expected 1 lr_lambdas, but got 2" };
        yield return Raises<ArgumentException>("sched/multiplicative/count", "MultiplicativeLR", E.ValueError, "Expected 1 lr_lambdas, but got 2",
            d => new MultiplicativeLR(Sgd(d), [e => 1.0, e => 1.0])) with { PyTorchText = "Expected 1 lr_lambdas, but got 2" };
        yield return Raises<ArgumentException>("sched/sequential/milestones", "SequentialLR", E.ValueError, "Sequential Schedulers expects number of schedulers provided to be one more than the number of milestone points",
            d =>
            {
                Optimizer o = Sgd(d);
                _ = new SequentialLR(o, [new StepLR(o, 2)], [1, 2]);
            }) with { PyTorchText = "Sequential Schedulers expects number of schedulers provided to be one more than the number of milestone points" };
        yield return Raises<ArgumentException>("sched/sequential/other-optimizer", "SequentialLR", E.ValueError, "expects all schedulers to belong to the same optimizer",
            d => new SequentialLR(Sgd(d), [new StepLR(Sgd(d), 2), new StepLR(Sgd(d), 2)], [1])) with { PyTorchText = "expects all schedulers to belong to the same optimizer" };
        yield return Raises<ArgumentException>("sched/chained/empty", "ChainedScheduler", E.ValueError, "ChainedScheduler expects at least one scheduler to be chained, but got no scheduler.",
            _ => new ChainedScheduler(Array.Empty<LRScheduler>())) with { PyTorchText = "ChainedScheduler expects at least one scheduler to be chained, but got no scheduler." };
        yield return Raises<ArgumentNullException>("sched/step-lr/null-optimizer", "StepLR", null, "is null", _ => new StepLR(null!, 2));
        yield return Raises<ArgumentNullException>("sched/multi-step-lr/null-milestones", "MultiStepLR", null, "is null", d => new MultiStepLR(Sgd(d), null!));
        yield return Raises<TorchException>("sched/load-state-dict/unknown-key", "StepLR.LoadStateDict", E.ValueError, "which PyTorch's StepLR does not write",
            d => new StepLR(Sgd(d), 2).LoadStateDict(new Dictionary<string, object?> { ["step_sizes"] = 3L }));
        yield return Raises<TorchException>("sched/load-state-dict/wrong-type", "LRScheduler.LoadStateDict", E.TypeError, "'gamma' must be",
            d => new StepLR(Sgd(d), 2).LoadStateDict(new Dictionary<string, object?> { ["gamma"] = "half" }));
    }

    private static Optimizer Sgd(torch.Device device) => new R.SGD([Leaf(device, 2)], lr: 0.1);

    private static Optimizer Closed(Optimizer optimizer)
    {
        optimizer.Dispose();
        return optimizer;
    }
}
