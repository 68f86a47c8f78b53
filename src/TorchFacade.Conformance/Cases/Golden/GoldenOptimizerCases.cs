using System.Text.Json;
using TorchFacade.Optim;
using TorchFacade.Reference.Optimizers;

namespace TorchFacade.Conformance.Cases.Golden;

/// <summary>
/// Golden group, optimizers: each reference optimizer replays the gradients PyTorch recorded along its own trajectory
/// and must reproduce PyTorch's parameters after every one of the recorded steps.
/// </summary>
internal sealed class GoldenOptimizerCases : ICaseSource
{
    /// <inheritdoc />
    public IEnumerable<ConformanceCase> Cases()
    {
        GoldenManifest? manifest = GoldenFiles.Manifest;
        if (manifest is null)
        {
            yield return CaseKit.Make(CaseGroup.Golden, "golden/optimizers/files-present", "cpu", "golden files made by PyTorch are present in tests/golden", "reference vs PyTorch trajectories stored in .npz", () => CaseResult.Skip(GoldenFiles.MissingReason));
            yield break;
        }

        foreach (string file in manifest.Files.Where(f => f.StartsWith("optimizers_", StringComparison.Ordinal)))
        {
            string[] parts = Path.GetFileNameWithoutExtension(file).Split('_');
            string source = parts[1];
            if (!DTypeNames.TryParse(parts[2], out ScalarType dtype))
            {
                continue;
            }

            // Multi-step trajectories accumulate one rounding per op and step; PyTorch's own op order differs
            // slightly between versions (lerp vs mul/add), so use the spec's trajectory tolerances (detail 0.2).
            Tolerance tolerance = dtype == ScalarType.Float64
                ? Tolerance.For(dtype)
                : new Tolerance(1e-5, 1e-6, "float32 multi-step trajectory: ~1 ulp per op and step, 100 steps");
            foreach (GoldenOptimizerCase config in manifest.Optimizers)
            {
                foreach (string device in ConformanceDevices.All)
                {
                    yield return CaseKit.Make(CaseGroup.Golden, $"golden/{source}/optimizer/{config.Id}/{DTypeNames.Of(dtype)}/{device}", device, $"the reference {config.Optimizer} reproduces PyTorch {manifest.Torch}'s {manifest.Steps}-step trajectory on {source}", "reference vs PyTorch trajectory stored by tests/golden/make_golden.py (same gradients replayed)", () => Check(file, config, dtype, device, tolerance), dtype, tolerance);
                }
            }
        }
    }

    private static CaseResult Check(string file, GoldenOptimizerCase config, ScalarType dtype, string deviceName, Tolerance tolerance)
    {
        IReadOnlyDictionary<string, GoldenArray> archive = GoldenFiles.Archive(file);
        Device device = ConformanceDevices.Of(deviceName);
        GoldenArray grads = archive[config.Id + ".grads"];
        GoldenArray expected = archive[config.Id + ".params"];
        long steps = grads.Shape[0], n = grads.Shape[1];

        Tensor p = archive[config.Id + ".p0"].ToTensor(dtype, device).requires_grad_(true);
        using Optimizer optimizer = Create(config, p);
        var trajectory = new double[steps * n];
        for (long t = 0; t < steps; t++)
        {
            using var stepScope = NewDisposeScope();
            optimizer.ZeroGrad();
            // (p · g).sum() has gradient exactly g: the recorded gradient is replayed bit for bit.
            Tensor g = torch.tensor(grads.Values.AsSpan((int)(t * n), (int)n).ToArray(), [n], dtype: ScalarType.Float64).to(dtype).to(device);
            (p * g).sum().backward();
            optimizer.Step();
            Compare.ToDoubles(p).CopyTo(trajectory, t * n);
        }

        return Compare.Close(trajectory, expected.Values, tolerance, dtype, what: "parameters after each step");
    }

    private static Optimizer Create(GoldenOptimizerCase config, Tensor p)
    {
        double D(string key, double fallback) => config.Options.TryGetValue(key, out JsonElement v) ? v.GetDouble() : fallback;
        bool B(string key) => config.Options.TryGetValue(key, out JsonElement v) && v.GetBoolean();
        (double, double) Betas() => config.Options.TryGetValue("betas", out JsonElement v) ? (v[0].GetDouble(), v[1].GetDouble()) : (0.9, 0.999);
        Tensor[] parameters = [p];
        return config.Optimizer switch
        {
            "sgd" => new SGD(parameters, D("lr", 1e-3), D("momentum", 0), D("dampening", 0), D("weight_decay", 0), B("nesterov"), B("maximize")),
            "adagrad" => new Adagrad(parameters, D("lr", 1e-2), D("lr_decay", 0), D("weight_decay", 0), D("initial_accumulator_value", 0), D("eps", 1e-10), B("maximize")),
            "rmsprop" => new RMSprop(parameters, D("lr", 1e-2), D("alpha", 0.99), D("eps", 1e-8), D("weight_decay", 0), D("momentum", 0), B("centered"), B("maximize")),
            "adam" => new Adam(parameters, D("lr", 1e-3), Betas(), D("eps", 1e-8), D("weight_decay", 0), B("amsgrad"), B("maximize")),
            "adamw" => new AdamW(parameters, D("lr", 1e-3), Betas(), D("eps", 1e-8), D("weight_decay", 1e-2), B("amsgrad"), B("maximize")),
            _ => throw new InvalidOperationException($"golden optimizer '{config.Optimizer}' is unknown"),
        };
    }
}
