using TorchFacade.Conformance.Cases.Properties;
using TorchFacade.Reference.Optimizers;

namespace TorchFacade.Conformance.Cases.Optimizers;

/// <summary>
/// The six elementwise optimizers added after the first five — NAdam, RAdam, Adamax, Adadelta, ASGD, Rprop — with their
/// options as PyTorch names them in a flat dictionary (<c>beta1</c>/<c>beta2</c> for <c>betas</c>,
/// <c>etaminus</c>/<c>etaplus</c> for <c>etas</c>, <c>min_step</c>/<c>max_step</c> for <c>step_sizes</c>, flags as 0/1;
/// missing keys take PyTorch 2.6's defaults, <see cref="LoopOracle.Default"/>): builds the reference optimizer and
/// writes the PyTorch constructor, for <see cref="LoopOracle"/> comparisons.
/// </summary>
internal static class NewerOptimizers
{
    /// <summary>PyTorch's class names, in the order the suite lists them.</summary>
    public static readonly IReadOnlyList<string> Names = ["NAdam", "RAdam", "Adamax", "Adadelta", "ASGD", "Rprop"];

    /// <summary>The reference optimizer <paramref name="name"/> over <paramref name="parameters"/> with <paramref name="options"/>.</summary>
    /// <param name="name">One of <see cref="Names"/>.</param>
    /// <param name="parameters">The tensors.</param>
    /// <param name="options">The options (missing: PyTorch's defaults).</param>
    /// <returns>The optimizer.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is not one of <see cref="Names"/>.</exception>
    public static ReferenceOptimizer Create(string name, IEnumerable<torch.Tensor> parameters, IReadOnlyDictionary<string, double> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        double O(string key) => options.TryGetValue(key, out double v) ? v : LoopOracle.Default(name, key);
        bool maximize = O("maximize") != 0, decoupled = O("decoupled_weight_decay") != 0;
        (double, double) betas = (O("beta1"), O("beta2"));
        return name switch
        {
            "NAdam" => new NAdam(parameters, O("lr"), betas, O("eps"), O("weight_decay"), O("momentum_decay"), decoupled, maximize),
            "RAdam" => new RAdam(parameters, O("lr"), betas, O("eps"), O("weight_decay"), decoupled, maximize),
            "Adamax" => new Adamax(parameters, O("lr"), betas, O("eps"), O("weight_decay"), maximize),
            "Adadelta" => new Adadelta(parameters, O("lr"), O("rho"), O("eps"), O("weight_decay"), maximize),
            "ASGD" => new ASGD(parameters, O("lr"), O("lambd"), O("alpha"), O("t0"), O("weight_decay"), maximize),
            "Rprop" => new Rprop(parameters, O("lr"), (O("etaminus"), O("etaplus")), (O("min_step"), O("max_step")), maximize),
            _ => throw new ArgumentException($"NewerOptimizers.Create: '{name}' is not one of {string.Join(", ", Names)}; pass one of those PyTorch class names.", nameof(name)),
        };
    }

    /// <summary>The PyTorch 2.x constructor call for <paramref name="name"/> with every option written out, over a list named <c>params</c>.</summary>
    /// <param name="name">One of <see cref="Names"/>.</param>
    /// <param name="options">The options (missing: PyTorch's defaults).</param>
    /// <returns>Python source, e.g. <c>torch.optim.Rprop(params, lr=0.01, etas=(0.5, 1.2), step_sizes=(1e-06, 50.0), maximize=False)</c>.</returns>
    public static string Python(string name, IReadOnlyDictionary<string, double> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        double O(string key) => options.TryGetValue(key, out double v) ? v : LoopOracle.Default(name, key);
        string F(string key) => PropertyCode.Python(O(key));
        string B(string key) => O(key) != 0 ? "True" : "False";
        string betas = $"betas=({F("beta1")}, {F("beta2")})";
        string tail = $"weight_decay={F("weight_decay")}, maximize={B("maximize")}";
        string args = name switch
        {
            "NAdam" => $"lr={F("lr")}, {betas}, eps={F("eps")}, momentum_decay={F("momentum_decay")}, decoupled_weight_decay={B("decoupled_weight_decay")}, {tail}",
            "RAdam" => $"lr={F("lr")}, {betas}, eps={F("eps")}, decoupled_weight_decay={B("decoupled_weight_decay")}, {tail}",
            "Adamax" => $"lr={F("lr")}, {betas}, eps={F("eps")}, {tail}",
            "Adadelta" => $"lr={F("lr")}, rho={F("rho")}, eps={F("eps")}, {tail}",
            "ASGD" => $"lr={F("lr")}, lambd={F("lambd")}, alpha={F("alpha")}, t0={F("t0")}, {tail}",
            _ => $"lr={F("lr")}, etas=({F("etaminus")}, {F("etaplus")}), step_sizes=({F("min_step")}, {F("max_step")}), maximize={B("maximize")}",
        };
        return $"torch.optim.{name}(params, {args})";
    }
}
