using System.Text.Json;
using TorchFacade.Conformance.Cases.Activations;
using TorchFacade.Reference.Activations;

namespace TorchFacade.Conformance.Cases.Autograd;

/// <summary>
/// The autograd group's custom-function and double-backward cases: PyTorch's <c>LegendrePolynomial3</c> example as an
/// <see cref="AutogradFunction{TSelf}"/> (values, first and second derivatives, node name, <c>next_functions</c>, the
/// tree of an expression around it), and the first derivatives and Hessian-vector products of every reference
/// activation against PyTorch's (autograd.json) and LibTorch's own activations.
/// </summary>
internal sealed partial class AutogradCases
{
    private static readonly string[] DimActivations = ["softmax", "softmax-dim0", "log-softmax", "glu"];

    private static IEnumerable<ConformanceCase> CustomFunctionCases(string device)
    {
        yield return Make($"autograd/custom/legendre/{device}", device,
            "PyTorch's LegendrePolynomial3 custom Function as an AutogradFunction: values, first and second derivatives, node name LegendrePolynomial3Backward and its next_functions",
            "facade AutogradFunction vs PyTorch's torch.autograd.Function in autograd.json", Tolerance.For(ScalarType.Float64),
            () => CheckLegendre(device));
        yield return Make($"autograd/custom/graph/{device}", device,
            "the next_functions tree of exp(LegendrePolynomial3(x * y + y)).sum() (names and input_nr, depth 4) is PyTorch's",
            "facade GradFn.NextFunctions tree vs PyTorch's next_functions in autograd.json", null,
            () => CheckCustomGraph(device));
        yield return Make($"autograd/custom/errors/{device}", device,
            "a custom function's wrong gradient count, wrong gradient shape, modified saved tensor and second backward raise PyTorch's RuntimeErrors (no abort)",
            "facade exception texts vs PyTorch 2.6's", null,
            () => CheckCustomErrors(device));
        foreach (ActivationSpec spec in ActivationSpecs.All)
        {
            yield return Make($"autograd/reference-second-order/{spec.Id}/{device}", device,
                $"reference {spec.Id}: first derivative and Hessian-vector product through Grad(createGraph: true) match PyTorch's and LibTorch's ({spec.LibTorchDescription})",
                "TorchFacade.Reference module twice-differentiated vs torch.autograd.grad twice in autograd.json, and vs LibTorch's op", Tolerance.For(ScalarType.Float64),
                () => CheckReferenceSecondOrder(spec.Id, x => spec.Create().call(x), spec.LibTorch, device));
        }

        foreach (string id in DimActivations)
        {
            (Func<Tensor, Tensor> reference, Func<Tensor, Tensor> libTorch) = DimActivation(id);
            yield return Make($"autograd/reference-second-order/{id}/{device}", device,
                $"reference {id}: first derivative and Hessian-vector product through Grad(createGraph: true) match PyTorch's and LibTorch's",
                "TorchFacade.Reference module twice-differentiated vs torch.autograd.grad twice in autograd.json, and vs LibTorch's op", Tolerance.For(ScalarType.Float64),
                () => CheckReferenceSecondOrder(id, reference, libTorch, device));
        }

        yield return Make($"autograd/reference-second-order/prelu/{device}", device,
            "reference PReLU: first derivatives and Hessian-vector products w.r.t. input and weight match PyTorch's and LibTorch's F.prelu",
            "TorchFacade.Reference PReLU twice-differentiated vs torch.autograd.grad twice in autograd.json, and vs LibTorch's F.prelu", Tolerance.For(ScalarType.Float64),
            () => CheckPreluSecondOrder(device));
    }

    private static (Func<Tensor, Tensor> Reference, Func<Tensor, Tensor> LibTorch) DimActivation(string id) => id switch
    {
        "softmax" => (x => new Softmax(-1).call(x), x => nn.functional.softmax(x, -1)),
        "softmax-dim0" => (x => new Softmax(0).call(x), x => nn.functional.softmax(x, 0)),
        "log-softmax" => (x => new LogSoftmax(-1).call(x), x => nn.functional.log_softmax(x, -1)),
        _ => (x => new GLU(-1).call(x), x => nn.functional.glu(x, -1)),
    };

    private static CaseResult CheckLegendre(string device)
    {
        Device d = ConformanceDevices.Of(device);
        JsonElement golden = Root.GetProperty("custom");
        Tensor x = FromJson(golden.GetProperty("x"), d).requires_grad_();
        Tensor y = LegendrePolynomial3.Apply(x)[0];
        Tensor first = Torch.Autograd.Grad([y.sum()], [x], createGraph: true)[0]!;
        Tensor second = Torch.Autograd.Grad([first.sum()], [x])[0]!;
        string want = golden.GetProperty("name").GetString()!;
        if (y.GradFn?.Name != want)
        {
            return CaseResult.Fail($"node name: expected {want}, got {y.GradFn?.Name ?? "None"}");
        }

        IReadOnlyList<GradEdge> edges = y.GradFn!.NextFunctions;
        JsonElement next = golden.GetProperty("next_functions");
        if (edges.Count != next.GetArrayLength() || edges[0].Function?.Name != next[0][0].GetString() || edges[0].InputNr != next[0][1].GetInt32())
        {
            return CaseResult.Fail($"next_functions: expected {next}, got [{string.Join(", ", edges.Select(e => $"({e.Function?.Name ?? "None"}, {e.InputNr})"))}]");
        }

        Tolerance tolerance = Tolerance.For(ScalarType.Float64);
        return All(
            () => Close(y, golden.GetProperty("y"), tolerance, "value"),
            () => Close(first, golden.GetProperty("first"), tolerance, "first derivative"),
            () => Close(second, golden.GetProperty("second"), tolerance, "second derivative"));
    }

    private static CaseResult CheckCustomGraph(string device)
    {
        Tensor[] leaves = AutogradExpressions.Leaves(ConformanceDevices.Of(device));
        Tensor x = leaves[0], y = leaves[1];
        Tensor expr = LegendrePolynomial3.Apply(x.mul(y).add(y))[0].exp().sum();
        string? diff = CompareTree(expr.GradFn, Root.GetProperty("custom").GetProperty("tree"), 4, "custom");
        return diff is null ? CaseResult.Pass() : CaseResult.Fail(diff);
    }

    private static CaseResult CheckCustomErrors(string device)
    {
        Device d = ConformanceDevices.Of(device);
        Tensor x = torch.ones(3, dtype: ScalarType.Float64, device: d).requires_grad_();
        (string What, Action Act, string Expected)[] checks =
        [
            ("wrong count", () => WrongCount.Apply(x)[0].sum().Backward(),
                "function WrongCountBackward returned an incorrect number of gradients (expected 1, got 2)"),
            ("wrong shape", () => WrongShape.Apply(x)[0].sum().Backward(),
                "Function WrongShapeBackward returned an invalid gradient at index 0 - got [5] but expected shape compatible with [3]"),
            ("saved modified", () =>
            {
                Tensor h = x.mul(x);
                Tensor y = LegendrePolynomial3.Apply(h)[0];
                h.mul_(2);
                y.sum().Backward();
            }, "one of the variables needed for gradient computation has been modified by an inplace operation: "),
            ("backward twice", () =>
            {
                Tensor s = LegendrePolynomial3.Apply(x)[0].sum();
                s.Backward();
                s.Backward();
            }, "Trying to backward through the graph a second time (or directly access saved tensors after they have already been freed)."),
        ];
        foreach ((string what, Action act, string expected) in checks)
        {
            try
            {
                act();
                return CaseResult.Fail($"{what}: no exception; PyTorch raises RuntimeError: {expected}");
            }
            catch (Exception ex) when (ex is TorchException or ShapeMismatchException)
            {
                string message = ex is TorchException te ? te.PyTorchMessage : ex.Message;
                if (!message.Contains(expected, StringComparison.Ordinal))
                {
                    return CaseResult.Fail($"{what}: expected PyTorch's \"{expected}\", got \"{message}\"");
                }
            }
        }

        return CaseResult.Pass();
    }

    private static (Tensor First, Tensor Second) TwiceDifferentiate(Func<Tensor, Tensor> f, Tensor x0, Tensor w, Tensor v)
    {
        Tensor x = x0.detach().clone().requires_grad_();
        Tensor y = f(x);
        Tensor first = Torch.Autograd.Grad([y.mul(w.narrow(1, 0, y.shape[1])).sum()], [x], createGraph: true)[0]!;
        Tensor second = Torch.Autograd.Grad([first.mul(v).sum()], [x], allowUnused: true, materializeGrads: true)[0]!;
        return (first, second);
    }

    private static CaseResult CheckReferenceSecondOrder(string id, Func<Tensor, Tensor> reference, Func<Tensor, Tensor> libTorch, string device)
    {
        Device d = ConformanceDevices.Of(device);
        JsonElement golden = Root.GetProperty("reference_second_order");
        Tensor x = FromJson(golden.GetProperty("x"), d);
        Tensor w = FromJson(golden.GetProperty("w"), d);
        Tensor v = FromJson(golden.GetProperty("v"), d);
        (Tensor first, Tensor second) = TwiceDifferentiate(reference, x, w, v);
        (Tensor libFirst, Tensor libSecond) = TwiceDifferentiate(libTorch, x, w, v);
        JsonElement expected = golden.GetProperty(id);
        Tolerance tolerance = Tolerance.For(ScalarType.Float64);
        return All(
            () => Close(first, expected.GetProperty("first"), tolerance, "first derivative vs PyTorch"),
            () => Close(second, expected.GetProperty("second"), tolerance, "second derivative (Hessian-vector product) vs PyTorch"),
            () => Compare.Close(Compare.ToDoubles(second), Compare.ToDoubles(libSecond), tolerance, ScalarType.Float64, null, "second derivative vs LibTorch"),
            () => Compare.Close(Compare.ToDoubles(first), Compare.ToDoubles(libFirst), tolerance, ScalarType.Float64, null, "first derivative vs LibTorch"));
    }

    private static CaseResult CheckPreluSecondOrder(string device)
    {
        Device d = ConformanceDevices.Of(device);
        JsonElement golden = Root.GetProperty("reference_second_order");
        JsonElement expected = golden.GetProperty("prelu");
        Tensor x0 = FromJson(golden.GetProperty("x"), d);
        Tensor w = FromJson(golden.GetProperty("w"), d);
        Tensor v = FromJson(golden.GetProperty("v"), d);
        Tensor a0 = FromJson(expected.GetProperty("weight"), d);
        Tensor va = FromJson(expected.GetProperty("weight_v"), d);
        Tensor[] Run(Func<Tensor, Tensor, Tensor> prelu)
        {
            Tensor x = x0.detach().clone().requires_grad_();
            Tensor a = a0.detach().clone().requires_grad_();
            Tensor?[] first = Torch.Autograd.Grad([prelu(x, a).mul(w).sum()], [x, a], createGraph: true);
            Tensor?[] second = Torch.Autograd.Grad([first[0]!.mul(v).sum().add(first[1]!.mul(va).sum())], [x, a], allowUnused: true, materializeGrads: true);
            return [first[0]!, first[1]!, second[0]!, second[1]!];
        }

        Tensor[] mine = Run(PReLU.Apply);
        Tensor[] lib = Run((x, a) => nn.functional.prelu(x, a));
        Tolerance tolerance = Tolerance.For(ScalarType.Float64);
        string[] keys = ["first", "first_weight", "second", "second_weight"];
        var checks = new List<Func<CaseResult>>();
        for (int i = 0; i < keys.Length; i++)
        {
            int k = i;
            checks.Add(() => Close(mine[k], expected.GetProperty(keys[k]), tolerance, keys[k] + " vs PyTorch"));
            checks.Add(() => Compare.Close(Compare.ToDoubles(mine[k]), Compare.ToDoubles(lib[k]), tolerance, ScalarType.Float64, null, keys[k] + " vs LibTorch"));
        }

        return All([.. checks]);
    }

    /// <summary>PyTorch's documentation example: P3(x) = (5x³ − 3x)/2 with its analytic backward.</summary>
    private sealed class LegendrePolynomial3 : AutogradFunction<LegendrePolynomial3>
    {
        protected override Tensor[] Forward(AutogradContext ctx, Tensor[] inputs)
        {
            ctx.SaveForBackward(inputs[0]);
            return [inputs[0].pow(3).mul(5).sub(inputs[0].mul(3)).mul(0.5)];
        }

        protected override Tensor?[] Backward(AutogradContext ctx, Tensor[] gradOutputs)
        {
            Tensor x = ctx.SavedTensors[0];
            return [gradOutputs[0].mul(1.5).mul(x.pow(2).mul(5).sub(1))];
        }
    }

    private sealed class WrongCount : AutogradFunction<WrongCount>
    {
        protected override Tensor[] Forward(AutogradContext ctx, Tensor[] inputs) => [inputs[0].mul(2)];

        protected override Tensor?[] Backward(AutogradContext ctx, Tensor[] gradOutputs) => [gradOutputs[0], gradOutputs[0]];
    }

    private sealed class WrongShape : AutogradFunction<WrongShape>
    {
        protected override Tensor[] Forward(AutogradContext ctx, Tensor[] inputs) => [inputs[0].mul(2)];

        protected override Tensor?[] Backward(AutogradContext ctx, Tensor[] gradOutputs) =>
            [torch.ones(5, dtype: gradOutputs[0].dtype, device: gradOutputs[0].device)];
    }
}
