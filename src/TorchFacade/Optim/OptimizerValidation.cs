using System.Globalization;
using TorchSharp;

namespace TorchFacade.Optim;

/// <summary>PyTorch's argument checks for optimizers, with PyTorch's messages, as exceptions thrown before LibTorch is called.</summary>
internal static class OptimizerValidation
{
    /// <summary>Checks the tensors of a new parameter group (PyTorch's <c>add_param_group</c> checks).</summary>
    /// <param name="parameters">The tensors.</param>
    /// <param name="existing">Parameters already in the optimizer.</param>
    /// <returns>The tensors as a list.</returns>
    public static IReadOnlyList<torch.Tensor> Parameters(IEnumerable<torch.Tensor> parameters, IReadOnlyList<torch.Tensor> existing)
    {
        var list = parameters.ToList();
        if (list.Count == 0)
        {
            throw new ArgumentException("optimizer got an empty parameter list. Pass at least one tensor that requires grad.", nameof(parameters));
        }

        for (int i = 0; i < list.Count; i++)
        {
            torch.Tensor p = list[i] ?? throw new ArgumentException($"optimizer can only optimize Tensors, but parameter {i} is null.", nameof(parameters));
            if (p.IsInvalid)
            {
                throw new ArgumentException($"Parameter {i} is a disposed tensor (its handle is empty). If it was passed to TorchSharp's 'new Parameter(t)', that call invalidated it: pass the Parameter, or the tensor itself to this facade.", nameof(parameters));
            }

            if (!torch.is_floating_point(p) && !torch.is_complex(p))
            {
                throw new ArgumentException($"optimizer can only optimize Tensors of floating point dtype, but parameter {i} has dtype {p.dtype}.", nameof(parameters));
            }

            if (!p.requires_grad)
            {
                throw new ArgumentException($"Parameter {i} does not require grad, so it would never get a gradient: call requires_grad_(true) on it (PyTorch's optimizers silently skip it forever).", nameof(parameters));
            }

            if (!p.is_leaf)
            {
                throw new ArgumentException($"can't optimize a non-leaf Tensor (parameter {i} was computed from other tensors). Optimize the leaf it came from, or call detach().requires_grad_(true) on it to make a new leaf.", nameof(parameters));
            }

            for (int j = 0; j < i; j++)
            {
                if (SameTensor(list[j], p))
                {
                    throw new ArgumentException($"optimizer contains a parameter group with duplicate parameters (parameters {j} and {i} are the same tensor).", nameof(parameters));
                }
            }

            if (existing.Any(e => SameTensor(e, p)))
            {
                throw new ArgumentException($"some parameters appear in more than one parameter group (parameter {i} is already optimized).", nameof(parameters));
            }
        }

        return list;
    }

    /// <summary>Checks every hyperparameter PyTorch checks, by PyTorch's key, with PyTorch's messages.</summary>
    /// <param name="options">The options of one group.</param>
    /// <exception cref="ArgumentException">A value is out of range (NaN counts as out of range).</exception>
    public static void Options(IReadOnlyDictionary<string, object> options)
    {
        NonNegative(options, "lr", "Invalid learning rate");
        NonNegative(options, "eps", "Invalid epsilon value");
        NonNegative(options, "momentum", "Invalid momentum value");
        NonNegative(options, "weight_decay", "Invalid weight_decay value");
        NonNegative(options, "lr_decay", "Invalid lr_decay value");
        NonNegative(options, "initial_accumulator_value", "Invalid initial_accumulator_value value");
        NonNegative(options, "alpha", "Invalid alpha value");
        if (options.TryGetValue("dampening", out object? d) && !double.IsFinite((double)d))
        {
            throw new ArgumentException($"Invalid dampening value: {Format((double)d)}", "dampening");
        }

        if (options.TryGetValue("betas", out object? b))
        {
            (double b1, double b2) = ((double, double))b;
            if (!(b1 >= 0.0 && b1 < 1.0))
            {
                throw new ArgumentException($"Invalid beta parameter at index 0: {Format(b1)} (betas must be in [0, 1)).", "betas");
            }

            if (!(b2 >= 0.0 && b2 < 1.0))
            {
                throw new ArgumentException($"Invalid beta parameter at index 1: {Format(b2)} (betas must be in [0, 1)).", "betas");
            }
        }

        if (options.TryGetValue("nesterov", out object? n) && (bool)n)
        {
            double momentum = options.TryGetValue("momentum", out object? m) ? (double)m : 0;
            double dampening = options.TryGetValue("dampening", out object? dd) ? (double)dd : 0;
            if (momentum <= 0 || dampening != 0)
            {
                throw new ArgumentException($"Nesterov momentum requires a momentum and zero dampening (got momentum={Format(momentum)}, dampening={Format(dampening)}).", "nesterov");
            }
        }
    }

    private static void NonNegative(IReadOnlyDictionary<string, object> options, string key, string message)
    {
        if (options.TryGetValue(key, out object? v) && !((double)v >= 0.0))
        {
            throw new ArgumentException($"{message}: {Format((double)v)}", key);
        }
    }

    private static bool SameTensor(torch.Tensor a, torch.Tensor b) => ReferenceEquals(a, b) || a.Handle == b.Handle;

    private static string Format(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
