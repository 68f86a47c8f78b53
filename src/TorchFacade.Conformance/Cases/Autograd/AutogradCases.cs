using System.Text.Json;
using TorchFacade.Conformance.Cases.Golden;

namespace TorchFacade.Conformance.Cases.Autograd;

/// <summary>
/// The autograd group: what <c>tests/golden/make_autograd_golden.py</c> recorded from PyTorch, rebuilt with the facade —
/// <c>grad_fn</c>/<c>next_functions</c> trees (names and <c>input_nr</c>) of a catalog of expressions
/// (<see cref="AutogradExpressions"/>), hook orders and replaced gradients, retained gradients, the WGAN-GP gradient
/// penalty through <c>Torch.Autograd.Grad(createGraph: true)</c>, first and second derivatives of LibTorch's activations,
/// and the unused-input error that TorchSharp's own <c>grad</c> answers with a process abort.
/// Ids: <c>autograd/graph/mul/cpu</c>, <c>autograd/hooks/nonleaf/cuda</c>, ...
/// </summary>
internal sealed partial class AutogradCases : ICaseSource
{
    private const string File = "autograd.json";

    private static readonly Lazy<JsonDocument?> Golden = new(Load);

    /// <inheritdoc />
    public IEnumerable<ConformanceCase> Cases()
    {
        foreach (string device in ConformanceDevices.All)
        {
            foreach (string name in AutogradExpressions.Names)
            {
                yield return Make($"autograd/graph/{name}/{device}", device, $"grad_fn.next_functions of '{name}' (names and input_nr, depth 4) are PyTorch's",
                    "facade GradFn.NextFunctions tree vs PyTorch's next_functions stored in autograd.json", null,
                    () => CheckGraph(name, device));
            }

            foreach (string scenario in new[] { "nonleaf", "leaf", "removed" })
            {
                yield return Make($"autograd/hooks/{scenario}/{device}", device,
                    $"RegisterHook ({scenario}): hooks run in registration order, a returned tensor replaces the gradient, the retained Grad shows it",
                    "facade hooks vs PyTorch's register_hook observations in autograd.json", Tolerance.Exact("small integers and halves: exact in float64"),
                    () => CheckHooks(scenario, device));
            }

            yield return Make($"autograd/retained/{device}", device, "RetainGrad keeps the gradients of non-leaves; RetainsGrad as PyTorch",
                "facade retained Grad vs PyTorch's .grad in autograd.json", Tolerance.For(ScalarType.Float64), () => CheckRetained(device));
            yield return Make($"autograd/gradient-penalty/{device}", device,
                "the WGAN-GP gradient penalty (Grad with createGraph, then Backward through it) matches PyTorch",
                "facade penalty and parameter gradients vs PyTorch's in autograd.json", Tolerance.For(ScalarType.Float64), () => CheckPenalty(device));
            yield return Make($"autograd/unused-input/{device}", device,
                "Grad with an unused input raises PyTorch's RuntimeError (no process abort), gives null with allowUnused and zeros with materializeGrads",
                "facade exception text and results vs PyTorch's behaviour", null, () => CheckUnused(device));
            foreach (string activation in AutogradExpressions.Activations)
            {
                yield return Make($"autograd/second-order/{activation}/{device}", device,
                    $"first and second derivatives of LibTorch's {activation} through Grad(createGraph: true) match PyTorch's",
                    "facade Grad twice vs torch.autograd.grad twice in autograd.json", Tolerance.For(ScalarType.Float64),
                    () => CheckSecondOrder(activation, device));
            }

            foreach (ConformanceCase custom in CustomFunctionCases(device))
            {
                yield return custom;
            }
        }
    }

    private static ConformanceCase Make(string id, string device, string claim, string compares, Tolerance? tolerance, Func<CaseResult> run) => CaseKit.Make(CaseGroup.Autograd, id, device, claim, compares, run, ScalarType.Float64, tolerance, () => Golden.Value is null ? "skipped: tests/golden/autograd.json not found (run tests/golden/make_autograd_golden.py)"
        : !Torch.Autograd.IsNativeGraphSupported ? "skipped: " + Torch.Autograd.NativeGraphUnavailableReason : null);

    private static JsonDocument? Load()
    {
        string? dir = GoldenFiles.Directory;
        string? path = dir is null ? null : Path.Combine(dir, File);
        return path is not null && System.IO.File.Exists(path) ? JsonDocument.Parse(System.IO.File.ReadAllText(path)) : null;
    }

    private static JsonElement Root => Golden.Value!.RootElement;

    private static CaseResult CheckGraph(string name, string device)
    {
        Tensor[] leaves = AutogradExpressions.Leaves(ConformanceDevices.Of(device));
        Tensor result = AutogradExpressions.Build(name, leaves);
        JsonElement expected = Root.GetProperty("graphs").GetProperty(name);
        string? diff = CompareTree(result.GradFn, expected, 4, name);
        return diff is null ? CaseResult.Pass() : CaseResult.Fail(diff);
    }

    private static string? CompareTree(GradFn? fn, JsonElement expected, int depth, string path)
    {
        if (expected.ValueKind == JsonValueKind.Null)
        {
            return fn is null ? null : $"{path}: expected None, got {fn.Name}";
        }

        string want = expected.GetProperty("name").GetString()!;
        if (fn is null)
        {
            return $"{path}: expected {want}, got None";
        }

        if (fn.Name != want)
        {
            return $"{path}: expected {want}, got {fn.Name}";
        }

        if (depth == 0)
        {
            return null;
        }

        JsonElement next = expected.GetProperty("next");
        IReadOnlyList<GradEdge> edges = fn.NextFunctions;
        if (edges.Count != next.GetArrayLength())
        {
            return $"{path}: expected {next.GetArrayLength()} next functions, got {edges.Count}";
        }

        for (int i = 0; i < edges.Count; i++)
        {
            JsonElement pair = next[i];
            int inputNr = pair[1].GetInt32();
            if (edges[i].InputNr != inputNr)
            {
                return $"{path}.next[{i}]: expected input_nr {inputNr}, got {edges[i].InputNr}";
            }

            if (CompareTree(edges[i].Function, pair[0], depth - 1, $"{path}.next[{i}]") is { } diff)
            {
                return diff;
            }
        }

        return null;
    }

    private static double[] Values(JsonElement array)
    {
        var list = new List<double>();
        Flatten(array, list);
        return [.. list];
    }

    private static void Flatten(JsonElement e, List<double> into)
    {
        if (e.ValueKind == JsonValueKind.Array)
        {
            foreach (JsonElement item in e.EnumerateArray())
            {
                Flatten(item, into);
            }
        }
        else
        {
            into.Add(e.GetDouble());
        }
    }

    private static Tensor FromJson(JsonElement array, Device device)
    {
        double[] values = Values(array);
        var shape = new List<long>();
        for (JsonElement e = array; e.ValueKind == JsonValueKind.Array; e = e.GetArrayLength() > 0 ? e[0] : default)
        {
            shape.Add(e.GetArrayLength());
            if (e.GetArrayLength() == 0)
            {
                break;
            }
        }

        return torch.tensor(values, dtype: ScalarType.Float64).reshape([.. shape]).to(device);
    }

    private static CaseResult Close(Tensor actual, JsonElement expected, Tolerance tolerance, string what) =>
        Compare.Close(Compare.ToDoubles(actual), Values(expected), tolerance, ScalarType.Float64, null, what);

    private static CaseResult All(params Func<CaseResult>[] checks)
    {
        foreach (Func<CaseResult> check in checks)
        {
            CaseResult r = check();
            if (r.Outcome != CaseOutcome.Passed)
            {
                return r;
            }
        }

        return CaseResult.Pass();
    }

    private static CaseResult Seen(List<double[]> seen, JsonElement expected)
    {
        if (seen.Count != expected.GetArrayLength())
        {
            return CaseResult.Fail($"expected {expected.GetArrayLength()} hook calls, got {seen.Count}");
        }

        for (int i = 0; i < seen.Count; i++)
        {
            CaseResult r = Compare.Close(seen[i], Values(expected[i]), Tolerance.Exact("exact"), ScalarType.Float64, null, $"hook call {i}");
            if (r.Outcome != CaseOutcome.Passed)
            {
                return r;
            }
        }

        return CaseResult.Pass();
    }

    private static CaseResult CheckHooks(string scenario, string device)
    {
        Device d = ConformanceDevices.Of(device);
        JsonElement golden = Root.GetProperty("hooks").GetProperty(scenario);
        Tolerance exact = Tolerance.Exact("small integers and halves: exact in float64");
        Tensor x = torch.tensor(new[] { 1.0, 2.0, 3.0 }, dtype: ScalarType.Float64).to(d).requires_grad_();
        Tensor k = torch.tensor(new[] { 1.0, -1.0, 0.5 }, dtype: ScalarType.Float64).to(d);
        var seen = new List<double[]>();
        switch (scenario)
        {
            case "nonleaf":
            {
                Tensor y = torch.mul(x, x);
                y.RetainGrad();
                y.RegisterHook(g => { seen.Add(Compare.ToDoubles(g)); return torch.mul(g, k); });
                y.RegisterHook(g => { seen.Add(Compare.ToDoubles(g)); return null; });
                y.RegisterHook(g => { seen.Add(Compare.ToDoubles(g)); return torch.add(g, k); });
                torch.sum(torch.mul(y, k)).Backward();
                return All(
                    () => Seen(seen, golden.GetProperty("seen")),
                    () => Close(y.Grad!, golden.GetProperty("retained"), exact, "retained grad of y"),
                    () => Close(x.Grad!, golden.GetProperty("leaf"), exact, "grad of the leaf"));
            }

            case "leaf":
            {
                var post = new List<double[]>();
                x.RegisterHook(g => { seen.Add(Compare.ToDoubles(g)); return torch.mul(g, k); });
                x.RegisterPostAccumulateGradHook(t => post.Add(Compare.ToDoubles(t.Grad!)));
                torch.sum(torch.mul(x, x)).Backward();
                torch.sum(torch.mul(x, x)).Backward();
                return All(
                    () => Seen(seen, golden.GetProperty("seen")),
                    () => Seen(post, golden.GetProperty("post")),
                    () => Close(x.Grad!, golden.GetProperty("grad"), exact, "grad of the leaf"));
            }

            default:
            {
                RemovableHandle handle = x.RegisterHook(g => { seen.Add(Compare.ToDoubles(g)); return torch.mul(g, k); });
                handle.Remove();
                torch.sum(torch.mul(x, x)).Backward();
                return All(
                    () => Seen(seen, golden.GetProperty("seen")),
                    () => Close(x.Grad!, golden.GetProperty("grad"), exact, "grad of the leaf"));
            }
        }
    }

    private static CaseResult CheckRetained(string device)
    {
        Tensor[] l = AutogradExpressions.Leaves(ConformanceDevices.Of(device));
        Tensor x = l[0], y = l[1], w = l[2];
        Tensor a = torch.mul(x, y);
        Tensor b = torch.mm(a, w);
        Tensor d = torch.tanh(b);
        a.RetainGrad();
        b.RetainGrad();
        d.RetainGrad();
        torch.sum(torch.mul(d, d)).Backward();
        JsonElement golden = Root.GetProperty("retained");
        Tolerance tolerance = Tolerance.For(ScalarType.Float64);
        bool[] retains = [.. golden.GetProperty("retains").EnumerateArray().Select(e => e.GetBoolean())];
        bool[] actual = [a.RetainsGrad, b.RetainsGrad, d.RetainsGrad, x.RetainsGrad];
        return All(
            () => CaseResult.Check(retains.SequenceEqual(actual), $"RetainsGrad: expected [{string.Join(", ", retains)}], got [{string.Join(", ", actual)}]"),
            () => Close(a.Grad!, golden.GetProperty("a"), tolerance, "a.grad"),
            () => Close(b.Grad!, golden.GetProperty("b"), tolerance, "b.grad"),
            () => Close(d.Grad!, golden.GetProperty("d"), tolerance, "d.grad"),
            () => Close(x.Grad!, golden.GetProperty("x"), tolerance, "x.grad"),
            () => Close(w.Grad!, golden.GetProperty("w"), tolerance, "w.grad"));
    }

    private static CaseResult CheckPenalty(string device)
    {
        Device d = ConformanceDevices.Of(device);
        JsonElement g = Root.GetProperty("penalty");
        Tensor real = FromJson(g.GetProperty("real"), d);
        Tensor fake = FromJson(g.GetProperty("fake"), d);
        Tensor alpha = FromJson(g.GetProperty("alpha"), d);
        Tensor cw = FromJson(g.GetProperty("cw"), d).requires_grad_();
        Tensor cb = FromJson(g.GetProperty("cb"), d).requires_grad_();
        Tensor cv = FromJson(g.GetProperty("cv"), d).requires_grad_();
        Tensor interp = (alpha * real + (1 - alpha) * fake).detach().requires_grad_();
        Tensor output = torch.mm(torch.tanh(torch.addmm(cb, interp, cw, 1, 1)), cv);
        Tensor grads = Torch.Autograd.Grad([output], [interp], [torch.ones_like(output)], createGraph: true)[0]!;
        Tensor gp = (grads.norm(1, keepdim: false, p: 2) - 1).pow(2).mean();
        gp.Backward();
        Tolerance tolerance = Tolerance.For(ScalarType.Float64);
        return All(
            () => Close(grads, g.GetProperty("grads"), tolerance, "gradient at the interpolates"),
            () => Compare.Close([gp.item<double>()], [g.GetProperty("gp").GetDouble()], tolerance, ScalarType.Float64, null, "penalty"),
            () => Close(cw.Grad!, g.GetProperty("cw_grad"), tolerance, "critic weight grad"),
            () => Close(cb.Grad!, g.GetProperty("cb_grad"), tolerance, "critic bias grad"),
            () => Close(cv.Grad!, g.GetProperty("cv_grad"), tolerance, "critic head grad"));
    }

    private static CaseResult CheckUnused(string device)
    {
        Device d = ConformanceDevices.Of(device);
        Tensor x = torch.ones(3, dtype: ScalarType.Float64, device: d).requires_grad_();
        Tensor unused = torch.ones(2, dtype: ScalarType.Float64, device: d).requires_grad_();
        Tensor y = torch.sum(torch.mul(x, x));
        try
        {
            Torch.Autograd.Grad([y], [x, unused], retainGraph: true);
            return CaseResult.Fail("Grad with an unused input did not raise");
        }
        catch (TorchException ex) when (ex.PyTorchType == "RuntimeError"
            && ex.PyTorchMessage == "One of the differentiated Tensors appears to not have been used in the graph. Set allow_unused=True if this is the desired behavior.")
        {
        }

        Tensor?[] allowed = Torch.Autograd.Grad([y], [x, unused], retainGraph: true, allowUnused: true);
        Tensor?[] zeros = Torch.Autograd.Grad([y], [x, unused], materializeGrads: true);
        return All(
            () => CaseResult.Check(allowed[1] is null, "allowUnused: the unused input's gradient is not null"),
            () => Compare.Close(Compare.ToDoubles(allowed[0]!), [2.0, 2.0, 2.0], Tolerance.Exact("exact"), ScalarType.Float64, null, "used input's gradient"),
            () => Compare.Close(Compare.ToDoubles(zeros[1]!), [0.0, 0.0], Tolerance.Exact("exact"), ScalarType.Float64, null, "materialized zeros"));
    }

    private static CaseResult CheckSecondOrder(string activation, string device)
    {
        Device d = ConformanceDevices.Of(device);
        JsonElement golden = Root.GetProperty("second_order");
        Tensor x = FromJson(golden.GetProperty("points"), d).requires_grad_();
        Tensor first = Torch.Autograd.Grad([AutogradExpressions.Activation(activation, x).sum()], [x], createGraph: true)[0]!;
        Tensor second = Torch.Autograd.Grad([first.sum()], [x], allowUnused: true, materializeGrads: true)[0]!;
        JsonElement expected = golden.GetProperty(activation);
        Tolerance tolerance = Tolerance.For(ScalarType.Float64);
        return All(
            () => Close(first, expected.GetProperty("first"), tolerance, "first derivative"),
            () => Close(second, expected.GetProperty("second"), tolerance, "second derivative"));
    }
}
