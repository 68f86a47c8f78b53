using System.Globalization;
using TorchFacade.Optim;
using TorchFacade.Reference.Optimizers;
using TorchSharp.Modules;

namespace TorchFacade.Conformance.Cases.Optimizers;

/// <summary>
/// One optimizer configuration with PyTorch's hyperparameters: builds the reference optimizer, TorchSharp's built-in
/// (as TorchSharp itself behaves, or through the facade's PyTorch-faithful wrapper) and the <see cref="OptimizerOracle"/>.
/// Values left at their defaults are PyTorch's defaults.
/// </summary>
internal sealed record OptimizerSpec(OptimizerKind Kind)
{
    /// <summary>Learning rate (PyTorch's default for the kind when <see langword="null"/>).</summary>
    public double? Lr { get; init; }

    /// <summary>SGD/RMSprop momentum.</summary>
    public double Momentum { get; init; }

    /// <summary>SGD dampening.</summary>
    public double Dampening { get; init; }

    /// <summary>Weight decay (AdamW's default 1e-2 when <see langword="null"/>, else 0).</summary>
    public double? WeightDecay { get; init; }

    /// <summary>SGD nesterov.</summary>
    public bool Nesterov { get; init; }

    /// <summary>Maximize the objective.</summary>
    public bool Maximize { get; init; }

    /// <summary>Adam betas.</summary>
    public (double Beta1, double Beta2) Betas { get; init; } = (0.9, 0.999);

    /// <summary>eps (PyTorch's default for the kind when <see langword="null"/>).</summary>
    public double? Eps { get; init; }

    /// <summary>Adam amsgrad.</summary>
    public bool Amsgrad { get; init; }

    /// <summary>Adagrad lr_decay.</summary>
    public double LrDecay { get; init; }

    /// <summary>Adagrad initial_accumulator_value.</summary>
    public double InitialAccumulatorValue { get; init; }

    /// <summary>RMSprop alpha.</summary>
    public double Alpha { get; init; } = 0.99;

    /// <summary>RMSprop centered.</summary>
    public bool Centered { get; init; }

    /// <summary>The learning rate in effect.</summary>
    public double LrValue => Lr ?? Kind switch { OptimizerKind.Adagrad or OptimizerKind.RMSprop => 1e-2, _ => 1e-3 };

    /// <summary>The weight decay in effect.</summary>
    public double WeightDecayValue => WeightDecay ?? (Kind == OptimizerKind.AdamW ? 1e-2 : 0);

    /// <summary>The eps in effect.</summary>
    public double EpsValue => Eps ?? (Kind == OptimizerKind.Adagrad ? 1e-10 : 1e-8);

    /// <summary>PyTorch's class name, lower-case, for ids (<c>sgd</c>, <c>adam</c>, ...).</summary>
    public string Name => Kind switch
    {
        OptimizerKind.SGD => "sgd",
        OptimizerKind.Adagrad => "adagrad",
        OptimizerKind.RMSprop => "rmsprop",
        OptimizerKind.Adam => "adam",
        _ => "adamw",
    };

    /// <summary>The non-default options as <c>key=value</c> pairs joined by commas (<c>defaults</c> when none), for ids.</summary>
    public string Label
    {
        get
        {
            var parts = new List<string>();
            void Add(bool when, string text)
            {
                if (when)
                {
                    parts.Add(text);
                }
            }

            Add(Lr is not null, $"lr={F(LrValue)}");
            Add(Momentum != 0, $"momentum={F(Momentum)}");
            Add(Dampening != 0, $"dampening={F(Dampening)}");
            Add(Nesterov, "nesterov=true");
            Add(WeightDecay is not null, $"wd={F(WeightDecayValue)}");
            Add(Betas != (0.9, 0.999), $"betas=({F(Betas.Beta1)};{F(Betas.Beta2)})");
            Add(Eps is not null, $"eps={F(EpsValue)}");
            Add(Amsgrad, "amsgrad=true");
            Add(LrDecay != 0, $"lr_decay={F(LrDecay)}");
            Add(InitialAccumulatorValue != 0, $"initial_accumulator_value={F(InitialAccumulatorValue)}");
            Add(Alpha != 0.99, $"alpha={F(Alpha)}");
            Add(Centered, "centered=true");
            Add(Maximize, "maximize=true");
            return parts.Count == 0 ? "defaults" : string.Join(",", parts);
        }
    }

    /// <summary>The reference optimizer (<c>TorchFacade.Reference.Optimizers</c>).</summary>
    /// <param name="parameters">The tensors.</param>
    /// <returns>The optimizer.</returns>
    public ReferenceOptimizer CreateReference(IEnumerable<torch.Tensor> parameters) => Kind switch
    {
        OptimizerKind.SGD => new Reference.Optimizers.SGD(parameters, LrValue, Momentum, Dampening, WeightDecayValue, Nesterov, Maximize),
        OptimizerKind.Adagrad => new Reference.Optimizers.Adagrad(parameters, LrValue, LrDecay, WeightDecayValue, InitialAccumulatorValue, EpsValue, Maximize),
        OptimizerKind.RMSprop => new Reference.Optimizers.RMSprop(parameters, LrValue, Alpha, EpsValue, WeightDecayValue, Momentum, Centered, Maximize),
        OptimizerKind.Adam => new Reference.Optimizers.Adam(parameters, LrValue, Betas, EpsValue, WeightDecayValue, Amsgrad, Maximize),
        _ => new Reference.Optimizers.AdamW(parameters, LrValue, Betas, EpsValue, WeightDecayValue, Amsgrad, Maximize),
    };

    /// <summary>The facade's wrapper over TorchSharp's built-in, which applies PyTorch's <c>maximize</c> and defaults.</summary>
    /// <param name="parameters">The tensors.</param>
    /// <returns>The optimizer.</returns>
    public BuiltInOptimizer CreateFacadeBuiltIn(IEnumerable<torch.Tensor> parameters) => Kind switch
    {
        OptimizerKind.SGD => BuiltInOptimizers.SGD(parameters, LrValue, Momentum, Dampening, WeightDecayValue, Nesterov, Maximize),
        OptimizerKind.Adagrad => BuiltInOptimizers.Adagrad(parameters, LrValue, LrDecay, WeightDecayValue, InitialAccumulatorValue, EpsValue, Maximize),
        OptimizerKind.RMSprop => BuiltInOptimizers.RMSprop(parameters, LrValue, Alpha, EpsValue, WeightDecayValue, Momentum, Centered, Maximize),
        OptimizerKind.Adam => BuiltInOptimizers.Adam(parameters, LrValue, Betas, EpsValue, WeightDecayValue, Amsgrad, Maximize),
        _ => BuiltInOptimizers.AdamW(parameters, LrValue, Betas, EpsValue, WeightDecayValue, Amsgrad, Maximize),
    };

    /// <summary>
    /// TorchSharp's own optimizer exactly as TorchSharp runs it (its <c>maximize</c>, no fixes), behind the facade's shape
    /// so its state can be read. Returns <see langword="null"/> when TorchSharp has no such option (Adagrad's maximize).
    /// </summary>
    /// <param name="parameters">The tensors.</param>
    /// <returns>The optimizer, or <see langword="null"/>.</returns>
    public BuiltInOptimizer? CreateTorchSharp(IEnumerable<torch.Tensor> parameters)
    {
        if (!TorchSharpHasOptions)
        {
            return null;
        }

        (double lr, double wd, double eps) = (LrValue, WeightDecayValue, EpsValue);
        Func<IEnumerable<Parameter>, OptimizerHelper> factory = Kind switch
        {
            OptimizerKind.SGD => ps => new TorchSharp.Modules.SGD(ps, lr, Momentum, Dampening, wd, Nesterov, Maximize),
            OptimizerKind.Adagrad => ps => new TorchSharp.Modules.Adagrad(ps, lr, LrDecay, wd, InitialAccumulatorValue, eps),
            OptimizerKind.RMSprop => ps => new RMSProp(ps, lr, Alpha, eps, wd, Momentum, Centered, Maximize),
            OptimizerKind.Adam => ps => new TorchSharp.Modules.Adam(ps, lr, Betas.Beta1, Betas.Beta2, eps, wd, Amsgrad, Maximize),
            _ => ps => new TorchSharp.Modules.AdamW(ps, lr, Betas.Beta1, Betas.Beta2, eps, wd, Amsgrad, Maximize),
        };
        IReadOnlyDictionary<string, object?> defaults = Kind switch
        {
            OptimizerKind.SGD => OptimizerDefaults.SGD(lr, Momentum, Dampening, wd, Nesterov, Maximize),
            OptimizerKind.Adagrad => OptimizerDefaults.Adagrad(lr, LrDecay, wd, InitialAccumulatorValue, eps, Maximize),
            OptimizerKind.RMSprop => OptimizerDefaults.RMSprop(lr, Alpha, eps, wd, Momentum, Centered, Maximize),
            OptimizerKind.Adam => OptimizerDefaults.Adam(lr, Betas, eps, wd, Amsgrad, Maximize),
            _ => OptimizerDefaults.AdamW(lr, Betas, eps, wd, Amsgrad, Maximize),
        };
        Func<IEnumerable<Parameter>, TorchSharp.Modules.ParamGroup> groupFactory = Kind switch
        {
            OptimizerKind.SGD => ps => new TorchSharp.Modules.SGD.ParamGroup { Parameters = ps },
            OptimizerKind.Adagrad => ps => new TorchSharp.Modules.Adagrad.ParamGroup { Parameters = ps },
            OptimizerKind.RMSprop => ps => new RMSProp.ParamGroup { Parameters = ps },
            OptimizerKind.Adam => ps => new TorchSharp.Modules.Adam.ParamGroup { Parameters = ps },
            _ => ps => new TorchSharp.Modules.AdamW.ParamGroup { Parameters = ps },
        };
        return new BuiltInOptimizer(Name, [new TorchFacade.Optim.ParamGroup(parameters)], defaults, factory, groupFactory) { FixMaximize = false };
    }

    /// <summary>Whether TorchSharp's built-in has every option of this configuration (its Adagrad has no <c>maximize</c>).</summary>
    public bool TorchSharpHasOptions => !(Kind == OptimizerKind.Adagrad && Maximize);

    /// <summary>The double-precision oracle for this configuration.</summary>
    /// <returns>A fresh oracle.</returns>
    public OptimizerOracle CreateOracle() => new(this);

    private static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
