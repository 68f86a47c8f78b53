using TorchFacade.Conformance.Cases.Activations;
using TorchFacade.Reference.Activations;

namespace TorchFacade.Conformance.Cases.Golden;

/// <summary>
/// Golden group, activations: each reference activation's forward and backward on the inputs PyTorch stored, vs the
/// outputs PyTorch computed (on CUDA where the golden files were made on a GPU, and on CPU).
/// </summary>
internal sealed class GoldenActivationCases : ICaseSource
{
    /// <inheritdoc />
    public IEnumerable<ConformanceCase> Cases()
    {
        GoldenManifest? manifest = GoldenFiles.Manifest;
        if (manifest is null)
        {
            yield return CaseKit.Make(CaseGroup.Golden, "golden/activations/files-present", "cpu", "golden files made by PyTorch are present in tests/golden", "reference vs PyTorch outputs stored in .npz", () => CaseResult.Skip(GoldenFiles.MissingReason));
            yield break;
        }

        foreach (string file in manifest.Files.Where(f => f.StartsWith("activations_", StringComparison.Ordinal)))
        {
            // activations_<source device>_<dtype>.npz
            string[] parts = Path.GetFileNameWithoutExtension(file).Split('_');
            string source = parts[1];
            if (!DTypeNames.TryParse(parts[2], out ScalarType dtype))
            {
                continue;
            }

            foreach (string name in manifest.Activations)
            {
                foreach (string device in ConformanceDevices.All)
                {
                    foreach (string pass in new[] { "forward", "backward" })
                    {
                        string id = $"golden/{source}/activation/{name}/{DTypeNames.Of(dtype)}/{device}/{pass}";
                        Tolerance tolerance = ToleranceFor(dtype, name);
                        yield return CaseKit.Make(CaseGroup.Golden, id, device, $"the reference {name} {pass} on {device} matches PyTorch {manifest.Torch} on {source}", $"reference vs PyTorch {source} output stored by tests/golden/make_golden.py", () => Check(file, source, manifest.Torch, name, dtype, device, pass == "backward", tolerance), dtype, tolerance);
                    }
                }
            }
        }
    }

    private static Tolerance ToleranceFor(ScalarType dtype, string name)
    {
        Tolerance tolerance = Tolerance.For(dtype);
        // Transcendentals: PyTorch's vectorised (SLEEF) exp/tanh/erf and .NET's differ by a few ULP in float32.
        return dtype == ScalarType.Float32 && name is "gelu" or "gelu_tanh" or "mish" or "softplus" or "softplus_beta2" or "selu" or "elu" or "silu"
            ? tolerance.Widen(1e-5, 1e-5, "float32 transcendental (exp/tanh/erf) evaluated by a different algorithm than PyTorch's SLEEF kernels: a few ULP")
            : tolerance;
    }

    private static CaseResult Check(string file, string source, string? torchVersion, string name, ScalarType dtype, string deviceName, bool backward, Tolerance tolerance)
    {
        IReadOnlyDictionary<string, GoldenArray> archive = GoldenFiles.Archive(file);
        Device device = ConformanceDevices.Of(deviceName);
        using var module = Create(name);
        module.to(device);
        Tensor x = archive[name + ".x"].ToTensor(dtype, device);
        if (!backward)
        {
            using (Torch.NoGrad())
            {
                Tensor expected = archive[name + ".y"].ToTensor(dtype, device);
                return name == "gelu" && dtype != ScalarType.Float64 && source == "cpu"
                    ? ActivationCheck.GeluAtInfinity(x, module.call(x), expected, tolerance, "PyTorch " + torchVersion)
                    : Compare.Close(module.call(x), expected, tolerance, x, "forward");
            }
        }

        x.requires_grad_(true);
        Tensor y = module.call(x);
        y.Backward(archive[name + ".g"].ToTensor(dtype, device));
        return Compare.Close(x.grad!, archive[name + ".dx"].ToTensor(dtype, device), tolerance, x.detach(), "grad");
    }

    private static nn.Module<Tensor, Tensor> Create(string name) => name switch
    {
        "sigmoid" => new Sigmoid(),
        "tanh" => new Tanh(),
        "relu" => new ReLU(),
        "leaky_relu" => new LeakyReLU(0.01),
        "prelu" => new PReLU(1, 0.25),
        "silu" => new SiLU(),
        "gelu" => new GELU("none"),
        "gelu_tanh" => new GELU("tanh"),
        "selu" => new SELU(),
        "elu" => new ELU(1.0),
        "softplus" => new Softplus(1.0, 20.0),
        "softplus_beta2" => new Softplus(2.0, 20.0),
        "mish" => new Mish(),
        "softmax_dim1" => new Softmax(1),
        "log_softmax_dim1" => new LogSoftmax(1),
        "glu_dim1" => new GLU(1),
        _ => throw new InvalidOperationException($"golden activation '{name}' has no reference module; add it to {nameof(GoldenActivationCases)}"),
    };
}
