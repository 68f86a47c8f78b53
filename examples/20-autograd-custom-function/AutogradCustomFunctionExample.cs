using System.Globalization;
using TorchSharp;
using Tensor = TorchSharp.torch.Tensor;

namespace TorchFacade.Examples;

/// <summary>
/// PyTorch's tutorial example of a custom autograd function: y = a + b·P3(c + d·x) fitted to sin(x), where
/// P3(x) = (5x³ − 3x)/2 is a <c>torch.autograd.Function</c> with its own backward — here an
/// <see cref="AutogradFunction{TSelf}"/> whose node PyTorch and the facade both name <c>LegendrePolynomial3Backward</c>.
/// </summary>
public sealed class AutogradCustomFunctionExample : Example
{
    /// <summary>Creates the example.</summary>
    public AutogradCustomFunctionExample()
        : base("20-autograd-custom-function")
    {
    }

    /// <inheritdoc />
    public override void Run(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        using var scope = torch.NewDisposeScope();
        CultureInfo inv = CultureInfo.InvariantCulture;

        var dtype = torch.float64;                                                    // dtype = torch.float64
        var x = torch.linspace(-Math.PI, Math.PI, 2000, dtype: dtype);                // x = torch.linspace(-math.pi, math.pi, 2000, dtype=dtype)
        var y = torch.sin(x);                                                         // y = torch.sin(x)
        var a = torch.full([], 0.0, dtype: dtype, requires_grad: true);               // a = torch.full((), 0.0, dtype=dtype, requires_grad=True)
        var b = torch.full([], -1.0, dtype: dtype, requires_grad: true);              // b = torch.full((), -1.0, ...)
        var c = torch.full([], 0.0, dtype: dtype, requires_grad: true);               // c = torch.full((), 0.0, ...)
        var d = torch.full([], 0.3, dtype: dtype, requires_grad: true);               // d = torch.full((), 0.3, ...)
        const double learningRate = 5e-6;                                             // learning_rate = 5e-6
        for (int t = 0; t < 2000; t++)                                                // for t in range(2000):
        {
            using var step = torch.NewDisposeScope();
            Tensor P3(Tensor input) => LegendrePolynomial3.Apply(input)[0];           //     P3 = LegendrePolynomial3.apply
            var yPred = a + (b * P3(c + (d * x)));                                    //     y_pred = a + b * P3(c + d * x)
            var loss = (yPred - y).pow(2).sum();                                      //     loss = (y_pred - y).pow(2).sum()
            if (t % 100 == 99)                                                        //     if t % 100 == 99:
            {
                output.WriteLine($"{t} {loss.item<double>().ToString("G8", inv)}");   //         print(t, f"{loss.item():.8g}")
            }

            loss.Backward();                                                          //     loss.backward()
            using (Torch.NoGrad())                                                    //     with torch.no_grad():
            {
                foreach (var p in new[] { a, b, c, d })
                {
                    p.sub_(p.grad! * learningRate);                                   //         a -= learning_rate * a.grad (and b, c, d)
                    p.grad = null;                                                    //         a.grad = None (and b, c, d)
                }
            }
        }

        output.WriteLine(LegendrePolynomial3.Apply(c + (d * x))[0].GradFn!.Name);      // print(type(LegendrePolynomial3.apply(c + d * x).grad_fn).__name__)
        double[] r = [.. new[] { a, b, c, d }.Select(p => Math.Round(p.item<double>(), 6) + 0.0)]; // a, b, c, d = (round(t.item(), 6) + 0.0 for ...)
        output.WriteLine(string.Create(inv, $"Result: y = {r[0]:F6} + {r[1]:F6} * P3({r[2]:F6} + {r[3]:F6} x)")); // print(f"Result: y = {a:.6f} + ...")
    }

    /// <summary>P3(x) = (5x³ − 3x)/2, the Legendre polynomial of degree three, with its derivative 1.5(5x² − 1) as backward.</summary>
    private sealed class LegendrePolynomial3 : AutogradFunction<LegendrePolynomial3>
    {
        protected override Tensor[] Forward(AutogradContext ctx, Tensor[] inputs)   // def forward(ctx, input):
        {
            ctx.SaveForBackward(inputs[0]);                                         //     ctx.save_for_backward(input)
            return [0.5 * ((5 * inputs[0].pow(3)) - (3 * inputs[0]))];              //     return 0.5 * (5 * input ** 3 - 3 * input)
        }

        protected override Tensor?[] Backward(AutogradContext ctx, Tensor[] gradOutputs) // def backward(ctx, grad_output):
        {
            Tensor input = ctx.SavedTensors[0];                                     //     input, = ctx.saved_tensors
            return [gradOutputs[0] * 1.5 * ((5 * input.pow(2)) - 1)];               //     return grad_output * 1.5 * (5 * input ** 2 - 1)
        }
    }
}
