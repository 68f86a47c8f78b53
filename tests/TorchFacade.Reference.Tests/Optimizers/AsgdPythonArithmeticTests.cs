using System.Globalization;
using System.Text.Json;
using FluentAssertions;
using TorchFacade.Reference.Optimizers;
using TorchFacade.TestSupport;
using TorchSharp;
using Xunit;

namespace TorchFacade.Reference.Tests.Optimizers;

/// <summary>
/// ASGD computes η and μ with Python floats: <c>lr / ((1 + lambd·lr·step) ** alpha)</c> and <c>1 / max(1, step − t0)</c>.
/// Where Python's arithmetic differs from C#'s — a negative base with a non-integer power is complex (PyTorch keeps
/// the real part of the quotient), <c>max(1, nan)</c> is 1, a zero power divides by zero — the reference gives PyTorch
/// 2.6's values, or raises where it raises. Compared with PyTorch itself where it is installed.
/// </summary>
public sealed class AsgdPythonArithmeticTests
{
    public static TheoryData<double, double, double, double> Configs() => new()
    {
        { 0.5, -0.7, 0.75, 1e6 },         // 1 + lambd·lr·step < 0 from step 3 on: a complex power
        { 0.3, -0.9, 0.5, 1e6 },          // complex with |x| < |y| (the other branch of the complex division)
        { 0.1, 1e-4, 0.75, double.NaN },  // max(1, step - nan) = 1
        { 0.1, 1e-4, 0.75, double.NegativeInfinity }, // μ = 1 / inf = 0
        { 0.1, 1e-4, 0.75, 2 },           // averaging starts after t0
    };

    [TorchPythonTheory]
    [MemberData(nameof(Configs))]
    public void Eta_mu_and_the_parameters_follow_PyTorch(double lr, double lambd, double alpha, double t0)
    {
        const int steps = 6;
        string F(double v) => double.IsNaN(v) ? "float('nan')" : double.IsInfinity(v) ? (v > 0 ? "float('inf')" : "float('-inf')") : v.ToString("R", CultureInfo.InvariantCulture);
        string script = $$"""
            import json, warnings
            import torch
            warnings.simplefilter("ignore")
            p = torch.tensor([0.5, -1.5, 2.0], dtype=torch.float64, requires_grad=True)
            opt = torch.optim.ASGD([p], lr={{F(lr)}}, lambd={{F(lambd)}}, alpha={{F(alpha)}}, t0={{F(t0)}})
            for _ in range({{steps}}):
                p.grad = 2 * p.detach() + 1
                opt.step()
            s = opt.state[p]
            print(json.dumps({"p": p.tolist(), "eta": s["eta"].item(), "mu": s["mu"].item(), "ax": s["ax"].tolist()}))
            """;
        (int code, string output) = TorchPython.Run(script);
        code.Should().Be(0, output);
        JsonElement expected = JsonDocument.Parse(output.Trim().Split('\n')[^1]).RootElement;

        torch.Tensor q = torch.tensor(new[] { 0.5, -1.5, 2.0 }).requires_grad_(true);
        using var asgd = new ASGD([q], lr, lambd, alpha, t0);
        for (int i = 0; i < steps; i++)
        {
            using (torch.no_grad())
            {
                q.grad = (2 * q.detach()) + 1;
            }

            asgd.Step();
        }

        IReadOnlyDictionary<string, torch.Tensor> state = asgd.StateOf(q);
        Same(q.data<double>().ToArray(), expected.GetProperty("p"), "p");
        Same(state["ax"].data<double>().ToArray(), expected.GetProperty("ax"), "ax");
        state["eta"].item<float>().Should().Be((float)expected.GetProperty("eta").GetDouble(), "eta is PyTorch's float32");
        state["mu"].item<float>().Should().Be((float)expected.GetProperty("mu").GetDouble(), "mu is PyTorch's float32");
    }

    [Fact]
    public void A_zero_power_raises_PyTorchs_ZeroDivisionError_after_the_update_as_PyTorch_does()
    {
        // alpha = -inf: (1 + lambd·lr·step) ** -inf = 0.0, so lr / 0.0 raises (PyTorch: ZeroDivisionError: float division by zero).
        torch.Tensor q = torch.tensor(new[] { 0.5, -1.5 }).requires_grad_(true);
        using var asgd = new ASGD([q], lr: 0.1, alpha: double.NegativeInfinity);
        q.grad = torch.ones(2, torch.float64);

        FluentActions.Invoking(() => asgd.Step()).Should().Throw<DivideByZeroException>().WithMessage("ASGD.Step: float division by zero computing eta*");
        double[] p = q.data<double>().ToArray();
        p[0].Should().BeApproximately((0.5 * (1 - (1e-4 * 0.1))) - 0.1, 1e-8, "PyTorch updates the parameter before it computes the next eta");
        p[1].Should().BeApproximately((-1.5 * (1 - (1e-4 * 0.1))) - 0.1, 1e-8);
    }

    private static void Same(double[] actual, JsonElement expected, string what)
    {
        double[] e = expected.EnumerateArray().Select(v => v.GetDouble()).ToArray();
        actual.Length.Should().Be(e.Length, what);
        for (int i = 0; i < e.Length; i++)
        {
            // float64 parameters; η and μ are float32 in both, so only the last bits of the arithmetic around them may differ.
            Math.Abs(actual[i] - e[i]).Should().BeLessThanOrEqualTo(1e-12 + (1e-12 * Math.Abs(e[i])), $"{what}[{i}]: reference {actual[i]:R}, PyTorch {e[i]:R}");
        }
    }
}
