using TorchFacade.Reference.Kernels.Simd;

namespace TorchFacade.Reference.Kernels.Operators;

/// <summary>e^x (softmax's exponentials); backward from the input: g·e^x.</summary>
internal readonly struct ExpOperator : IActivationOperator
{
    public TV Forward<TV>(TV x)
        where TV : struct, ISimd<TV> => LaneMath.Exp(x);

    public TV Backward<TV>(TV g, TV saved)
        where TV : struct, ISimd<TV> => g * LaneMath.Exp(saved);
}
