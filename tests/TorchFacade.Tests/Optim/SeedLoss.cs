using TorchSharp;

namespace TorchFacade.Tests.Optim;

/// <summary>The seed notes' loss, mean(3(x+2)²): ∂/∂x = 1.5(x+2) for four elements (4.5 at x = 1).</summary>
internal static class SeedLoss
{
    public static void Backward(torch.Tensor x)
    {
        torch.Tensor y = x + 2;
        (y * y * 3).mean().backward();
    }

    public static float[] Values(torch.Tensor t) => t.detach().cpu().to(torch.ScalarType.Float32).contiguous().data<float>().ToArray();
}
