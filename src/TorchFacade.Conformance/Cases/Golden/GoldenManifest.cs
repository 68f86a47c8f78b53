namespace TorchFacade.Conformance.Cases.Golden;

/// <summary>The contents of <c>tests/golden/manifest.json</c>.</summary>
internal sealed class GoldenManifest
{
    /// <summary>The PyTorch version that wrote the files.</summary>
    public string? Torch { get; set; }

    /// <summary>The CUDA version PyTorch was built with, if any.</summary>
    public string? Cuda { get; set; }

    /// <summary>The GPU name, if the files were made on one.</summary>
    public string? Gpu { get; set; }

    /// <summary>The devices the files were computed on.</summary>
    public List<string> Devices { get; set; } = [];

    /// <summary>The archives.</summary>
    public List<string> Files { get; set; } = [];

    /// <summary>The activation names in the activation archives.</summary>
    public List<string> Activations { get; set; } = [];

    /// <summary>The optimizer configurations in the optimizer archives.</summary>
    public List<GoldenOptimizerCase> Optimizers { get; set; } = [];

    /// <summary>The number of optimizer steps recorded.</summary>
    public int Steps { get; set; }
}
