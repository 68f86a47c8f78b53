using TorchFacade.Printing;
using TorchSharp;

namespace TorchFacade.Optim;

/// <summary>PyTorch's argument checks for optimizers, with PyTorch's messages, as exceptions thrown before LibTorch is called.</summary>
internal static class OptimizerValidation
{
    /// <summary>
    /// Runs <paramref name="check"/> (PyTorch's checks, which word their messages as PyTorch does) and puts the member
    /// that was called in front of the first line of an <see cref="ArgumentException"/> it raises, so the message says
    /// where the bad value went (<c>SGD: Invalid learning rate: -0.1</c>).
    /// </summary>
    /// <param name="member">The public member being called.</param>
    /// <param name="check">The checks.</param>
    public static void Named(string member, Action check)
    {
        try
        {
            check();
        }
        catch (ArgumentException ex) when (!ex.Message.StartsWith(member, StringComparison.Ordinal) && ex is not ArgumentNullException)
        {
            throw new ArgumentException($"{member}: {ex.Message}", ex);
        }
    }

    /// <summary>Checks the tensors of a new parameter group (PyTorch's <c>add_param_group</c> checks).</summary>
    /// <param name="parameters">The tensors.</param>
    /// <param name="existing">Parameters already in the optimizer.</param>
    /// <returns>The tensors as a list.</returns>
    public static IReadOnlyList<torch.Tensor> Parameters(IEnumerable<torch.Tensor> parameters, IReadOnlyList<torch.Tensor> existing)
    {
        var list = parameters.ToList();
        if (list.Count == 0)
        {
            throw new ArgumentException("optimizer got an empty parameter list. Pass at least one tensor.");
        }

        for (int i = 0; i < list.Count; i++)
        {
            torch.Tensor p = list[i] ?? throw new ArgumentException($"optimizer can only optimize Tensors, but parameter {i} is null.");
            if (p.IsInvalid)
            {
                throw new ObjectDisposedException(nameof(torch.Tensor), $"optimizer parameter {i} is a disposed tensor (its handle is empty). If it was passed to TorchSharp's 'new Parameter(t)', that call invalidated it: pass the Parameter, or the tensor itself to this facade.");
            }

            if (!torch.is_floating_point(p) && !torch.is_complex(p))
            {
                throw new ArgumentException($"optimizer can only optimize Tensors of floating point dtype, but parameter {i} has dtype {p.dtype}.");
            }

            if (!p.is_leaf)
            {
                throw new ArgumentException($"can't optimize a non-leaf Tensor (parameter {i} was computed from other tensors). Optimize the leaf it came from, or call detach().requires_grad_(true) on it to make a new leaf.");
            }

            if (p.is_sparse)
            {
                throw new ArgumentException($"Parameter {i} is a sparse tensor; TorchFacade's optimizers update dense (strided) parameters only.");
            }

            long[] shape = p.shape;
            long[] strides = p.stride();
            for (int d = 0; d < shape.Length; d++)
            {
                if (shape[d] > 1 && strides[d] == 0)
                {
                    throw new ArgumentException($"unsupported operation: more than one element of the written-to tensor refers to a single memory location. Please clone() the tensor before performing the operation. (Parameter {i} is an expanded view: dimension {d} has stride 0; an in-place update would write one element through several indices.)");
                }
            }

            for (int j = 0; j < i; j++)
            {
                if (SameTensor(list[j], p))
                {
                    throw new ArgumentException($"optimizer contains a parameter group with duplicate parameters (parameters {j} and {i} are the same tensor).");
                }
            }

            if (existing.Any(e => SameTensor(e, p)))
            {
                throw new ArgumentException($"some parameters appear in more than one parameter group (parameter {i} is already optimized).");
            }
        }

        return list;
    }

    private static readonly Action<IReadOnlyDictionary<string, object?>> Lr = o => NonNegative(o, "lr", "Invalid learning rate");
    private static readonly Action<IReadOnlyDictionary<string, object?>> Eps = o => NonNegative(o, "eps", "Invalid epsilon value");
    private static readonly Action<IReadOnlyDictionary<string, object?>> Momentum = o => NonNegative(o, "momentum", "Invalid momentum value");
    private static readonly Action<IReadOnlyDictionary<string, object?>> WeightDecay = o => NonNegative(o, "weight_decay", "Invalid weight_decay value");
    private static readonly Action<IReadOnlyDictionary<string, object?>> LrDecay = o => NonNegative(o, "lr_decay", "Invalid lr_decay value");
    private static readonly Action<IReadOnlyDictionary<string, object?>> InitialAccumulator = o => NonNegative(o, "initial_accumulator_value", "Invalid initial_accumulator_value value");
    private static readonly Action<IReadOnlyDictionary<string, object?>> Alpha = o => NonNegative(o, "alpha", "Invalid alpha value");
    private static readonly Action<IReadOnlyDictionary<string, object?>> MomentumDecay = o => NonNegative(o, "momentum_decay", "Invalid momentum_decay value");

    /// <summary>Every check of the keys an optimizer uses, for optimizers PyTorch does not have.</summary>
    private static readonly Action<IReadOnlyDictionary<string, object?>>[] Generic = [Lr, Eps, Momentum, WeightDecay, LrDecay, InitialAccumulator, Alpha, MomentumDecay, Rho, Betas, Etas, Nesterov];

    /// <summary>PyTorch 2.6's constructor checks, in its order, by class name (torch/optim/*.py).</summary>
    private static readonly Dictionary<string, Action<IReadOnlyDictionary<string, object?>>[]> ChecksOf = new(StringComparer.Ordinal)
    {
        // sgd.py: `if lr < 0.0`, `if momentum < 0.0`, `if weight_decay < 0.0` (NaN passes), then nesterov's needs.
        ["SGD"] = [o => Negative(o, "lr", "Invalid learning rate"), o => Negative(o, "momentum", "Invalid momentum value"), o => Negative(o, "weight_decay", "Invalid weight_decay value"), Nesterov],
        ["Adam"] = [Lr, Eps, Betas, WeightDecay],
        ["AdamW"] = [Lr, Eps, Betas, WeightDecay],
        ["Adamax"] = [Lr, Eps, Betas, WeightDecay],
        ["RAdam"] = [Lr, Eps, Betas, WeightDecay],
        ["NAdam"] = [Lr, Eps, Betas, WeightDecay, MomentumDecay],
        ["Adagrad"] = [Lr, LrDecay, WeightDecay, InitialAccumulator, Eps],
        ["RMSprop"] = [Lr, Eps, Momentum, WeightDecay, Alpha],
        ["Adadelta"] = [Lr, Rho, Eps, WeightDecay],
        ["ASGD"] = [Lr, WeightDecay], // lambd, alpha and t0 take any value
        ["Rprop"] = [Lr, Etas], // step_sizes take any value
        ["LBFGS"] = [Lr],
    };

    /// <summary>
    /// Checks the hyperparameters <paramref name="optimizer"/>'s PyTorch 2.6 constructor checks, in its order and with its
    /// comparisons — so NaN is refused where PyTorch writes <c>not 0.0 &lt;= lr</c> (Adam, ...) and accepted where it writes
    /// <c>lr &lt; 0.0</c> (SGD), and the first bad option named is the one PyTorch names — with PyTorch's messages (values
    /// as Python prints them). An optimizer PyTorch does not have gets every check of the keys it uses.
    /// </summary>
    /// <param name="optimizer">PyTorch's class name (<c>SGD</c>, <c>Adam</c>, ...).</param>
    /// <param name="options">The options of one group.</param>
    /// <exception cref="ArgumentException">A value PyTorch refuses.</exception>
    /// <exception cref="TorchException">PyTorch's RuntimeError for <c>fused</c> with <c>differentiable</c> or with <c>foreach</c>.</exception>
    /// <exception cref="NotSupportedException"><c>differentiable</c> or <c>capturable</c> is on (autograd through the step and CUDA-graph capture are not implemented).</exception>
    public static void Options(string optimizer, IReadOnlyDictionary<string, object?> options)
    {
        foreach (Action<IReadOnlyDictionary<string, object?>> check in ChecksOf.GetValueOrDefault(optimizer, Generic))
        {
            check(options);
        }

        Capabilities(options);
    }

    /// <summary>
    /// The options this implementation cannot run, whoever sets them (the constructor, a parameter group, an assignment,
    /// a loaded state dict): <c>fused</c> with <c>differentiable</c> or <c>foreach</c> (PyTorch's RuntimeErrors),
    /// <c>differentiable</c> and <c>capturable</c>. PyTorch checks the hyperparameters' ranges only in the constructor, so
    /// a group or <c>group["lr"] = -1</c> may hold any value, as in PyTorch.
    /// </summary>
    /// <param name="options">The options of one group.</param>
    /// <exception cref="TorchException">PyTorch's RuntimeError for <c>fused</c> with <c>differentiable</c> or with <c>foreach</c>.</exception>
    /// <exception cref="NotSupportedException"><c>differentiable</c> or <c>capturable</c> is on.</exception>
    public static void Capabilities(IReadOnlyDictionary<string, object?> options)
    {
        if (options.TryGetValue("fused", out object? fused) && fused is true)
        {
            // PyTorch's constructors (SGD, Adam, AdamW, Adagrad): these two before anything runs; on the CPU the fused
            // update gives the single-tensor update's bits, which is the pass the reference optimizers run.
            if (options.TryGetValue("differentiable", out object? fd) && fd is true)
            {
                throw new TorchException("RuntimeError", "`fused` does not support `differentiable` (set differentiable to false, or fused to null).", "`fused` does not support `differentiable`");
            }

            if (options.TryGetValue("foreach", out object? fe) && fe is true)
            {
                throw new TorchException("RuntimeError", "`fused` and `foreach` cannot be `True` together. (Set one of them to null or false.)", "`fused` and `foreach` cannot be `True` together.");
            }
        }

        if (options.TryGetValue("differentiable", out object? diff) && diff is true)
        {
            throw new NotSupportedException("differentiable=True (autograd through the optimizer step) is not supported by TorchFacade's optimizers; use differentiable=False, PyTorch's default.");
        }

        if (options.TryGetValue("capturable", out object? cap) && cap is true)
        {
            throw new NotSupportedException("capturable=True (CUDA-graph capture of the step) is not supported by TorchFacade's optimizers; use capturable=False, PyTorch's default (a checkpoint saved with it can be loaded after setting capturable to false in its param_groups).");
        }
    }

    /// <summary>A numeric option as <see cref="double"/>.</summary>
    /// <param name="value">A double or long.</param>
    /// <returns>The number.</returns>
    public static double Num(object? value) => value switch
    {
        double x => x,
        long l => l,
        int i => i,
        float f => f,
        _ => double.NaN,
    };

    // PyTorch's `if not 0.0 <= x`: NaN is refused.
    private static void NonNegative(IReadOnlyDictionary<string, object?> options, string key, string message)
    {
        if (options.TryGetValue(key, out object? v) && !(Num(v) >= 0.0))
        {
            throw new ArgumentException($"{message}: {Format(Num(v))}");
        }
    }

    // PyTorch's `if x < 0.0` (SGD): NaN passes.
    private static void Negative(IReadOnlyDictionary<string, object?> options, string key, string message)
    {
        if (options.TryGetValue(key, out object? v) && Num(v) < 0.0)
        {
            throw new ArgumentException($"{message}: {Format(Num(v))}");
        }
    }

    private static void Rho(IReadOnlyDictionary<string, object?> options)
    {
        if (options.TryGetValue("rho", out object? rho) && !(Num(rho) >= 0.0 && Num(rho) <= 1.0))
        {
            throw new ArgumentException($"Invalid rho value: {Format(Num(rho))}");
        }
    }

    private static void Betas(IReadOnlyDictionary<string, object?> options)
    {
        if (options.TryGetValue("betas", out object? b))
        {
            (double b1, double b2) = ((double, double))b!;
            if (!(b1 >= 0.0 && b1 < 1.0))
            {
                throw new ArgumentException($"Invalid beta parameter at index 0: {Format(b1)} (betas must be in [0, 1)).");
            }

            if (!(b2 >= 0.0 && b2 < 1.0))
            {
                throw new ArgumentException($"Invalid beta parameter at index 1: {Format(b2)} (betas must be in [0, 1)).");
            }
        }
    }

    private static void Etas(IReadOnlyDictionary<string, object?> options)
    {
        if (options.TryGetValue("etas", out object? e))
        {
            (double minus, double plus) = ((double, double))e!;
            if (!(minus > 0.0 && minus < 1.0 && plus > 1.0))
            {
                throw new ArgumentException($"Invalid eta values: {Format(minus)}, {Format(plus)} (need 0 < etaminus < 1 < etaplus).");
            }
        }
    }

    private static void Nesterov(IReadOnlyDictionary<string, object?> options)
    {
        if (options.TryGetValue("nesterov", out object? n) && n is true)
        {
            double momentum = options.TryGetValue("momentum", out object? m) ? Num(m) : 0;
            double dampening = options.TryGetValue("dampening", out object? dd) ? Num(dd) : 0;
            if (momentum <= 0 || dampening != 0)
            {
                throw new ArgumentException($"Nesterov momentum requires a momentum and zero dampening (got momentum={Format(momentum)}, dampening={Format(dampening)}).");
            }
        }
    }

    private static bool SameTensor(torch.Tensor a, torch.Tensor b) => ReferenceEquals(a, b) || a.Handle == b.Handle;

    private static string Format(double v) => PythonNumberFormat.Repr(v);
}
