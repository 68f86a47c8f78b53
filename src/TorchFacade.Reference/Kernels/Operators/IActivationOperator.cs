namespace TorchFacade.Reference.Kernels.Operators;

/// <summary>
/// One element-wise activation as a stateless operator (its scalar hyperparameters, already rounded to the element
/// type, are its only fields), written once against <see cref="ISimd{TSelf}"/> so the same formula runs on
/// 512/256/128-bit vectors and on the scalar tail, in float or double lanes. <see cref="ElementwiseKernel"/> drives it.
/// </summary>
internal interface IActivationOperator
{
    /// <summary>Gets a value indicating whether float inputs are computed in double lanes and rounded once (for tanh, whose float results must be correctly rounded).</summary>
    static virtual bool WidenFloat => false;

    /// <summary>y = f(x).</summary>
    /// <typeparam name="TV">The lanes.</typeparam>
    /// <param name="x">The input.</param>
    /// <returns>The output.</returns>
    TV Forward<TV>(TV x)
        where TV : struct, ISimd<TV>;

    /// <summary>dx = g·f'(x), from the saved input x or output y (as the module's <c>BackwardUsesOutput</c> says).</summary>
    /// <typeparam name="TV">The lanes.</typeparam>
    /// <param name="g">The incoming gradient.</param>
    /// <param name="saved">The saved input or output.</param>
    /// <returns>The input gradient.</returns>
    TV Backward<TV>(TV g, TV saved)
        where TV : struct, ISimd<TV>;
}
