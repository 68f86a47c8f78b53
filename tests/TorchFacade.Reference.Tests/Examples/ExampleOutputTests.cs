using FluentAssertions;
using TorchFacade.Examples;
using TorchSharp;
using Xunit;

namespace TorchFacade.Reference.Tests.Examples;

/// <summary>
/// Runs every ported snippet in-process and compares what it prints with <c>expected-output.txt</c> — text derived by hand
/// from PyTorch's semantics (reference maths D.1–D.3, x·tanh x and x·sin x in double, F.pad's shape rule) and printed the
/// way PyTorch prints. Snippets that print nothing must print nothing.
/// </summary>
public sealed class ExampleOutputTests
{
    public static TheoryData<string> ExampleNames()
    {
        var data = new TheoryData<string>();
        foreach (IExample e in ExampleCatalog.All)
        {
            data.Add(e.Name);
        }

        return data;
    }

    [Fact]
    public void Every_python_snippet_of_the_notes_has_a_port()
    {
        ExampleCatalog.All.Select(e => e.Name).Should().Equal(
            "01-autograd-mean-grad", "02-sgd-one-step", "03-sgd-linear", "04-sgd-momentum-linear", "05-sgd-momentum-loop",
            "06-adagrad-linear", "07-rmsprop-linear", "08-adam-linear", "09-adamw-linear", "10-gelu-numpy", "11-scaled-tanh",
            "12-sin-activation", "13-geglu-chunk", "14-pad-sizes", "15-resume-pytorch-training", "16-export-weights",
            "17-autograd-hooks", "18-autograd-higher-order", "19-autograd-graph", "20-autograd-custom-function");
    }

    [Theory]
    [MemberData(nameof(ExampleNames))]
    public void Example_prints_what_pytorch_prints(string name)
    {
        IExample example = ExampleCatalog.Get(name);
        using var output = new StringWriter { NewLine = "\n" };
        example.Run(output);
        output.ToString().Should().Be(example.ExpectedOutput ?? string.Empty);
    }

    [Theory]
    [MemberData(nameof(ExampleNames))]
    public void Example_carries_its_python_source(string name)
    {
        IExample example = ExampleCatalog.Get(name);
        example.PythonSourcePath.Should().Be($"examples/{name}/snippet.py");
        example.PythonSource.Should().NotBeNullOrWhiteSpace();
    }

    [Fact]
    public void Unknown_example_name_lists_the_known_ones()
    {
        Action act = () => ExampleCatalog.Get("99-nope");
        act.Should().Throw<KeyNotFoundException>().WithMessage("*01-autograd-mean-grad*");
    }

    [Fact]
    public void Sgd_examples_print_the_worked_values()
    {
        // D.1/D.2: x.grad = 1.5(x + 2) = 4.5; x ← 1 − 0.1·4.5 = 0.55.
        var output = new StringWriter { NewLine = "\n" };
        new SgdOneStepExample().Run(output);
        output.ToString().Should().Contain("[4.5000, 4.5000]").And.Contain("[0.5500, 0.5500]], requires_grad=True)");
    }

    [Fact]
    public void Optimizer_construction_snippets_use_the_notes_hyperparameters()
    {
        using var scope = torch.NewDisposeScope();
        (var sgdModel, var sgd) = SgdLinearExample.Build();
        (_, var momentum) = SgdMomentumLinearExample.Build();
        (_, var adagrad) = AdagradLinearExample.Build();
        (_, var rmsprop) = RmspropLinearExample.Build();
        (_, var adam) = AdamLinearExample.Build();
        (_, var adamw) = AdamWLinearExample.Build();
        foreach (var optimizer in new[] { sgd, momentum, adagrad, rmsprop, adam, adamw })
        {
            optimizer.ParamGroups.Single().Lr.Should().Be(0.001);
        }

        sgd.ParamGroups[0].GetDouble("momentum").Should().Be(0);
        momentum.ParamGroups[0].GetDouble("momentum").Should().Be(0.9);
        rmsprop.ParamGroups[0].GetDouble("alpha").Should().Be(0.9);
        adam.ParamGroups[0].GetDouble("weight_decay").Should().Be(0, "Adam's L2 decay defaults to 0");
        adamw.ParamGroups[0].GetDouble("weight_decay").Should().Be(0.01);
        foreach (var optimizer in new[] { sgd, momentum, adagrad, rmsprop, adam, adamw })
        {
            optimizer.Dispose();
        }

        sgdModel.weight!.shape.Should().Equal(2, 10);
    }

    [Fact]
    public void Numpy_gelu_is_pytorchs_tanh_approximation()
    {
        double[] xs = [-4, -1.5, -0.3, 0, 0.3, 1, 2.5, 6];
        double[] ported = GeluNumpyExample.Gelu(xs);
        using var x = torch.tensor(xs);
        using var expected = torch.nn.functional.gelu(x, TorchSharp.Modules.GELU.Approximate.tanh);
        ported.Should().Equal(expected.data<double>().ToArray(), (a, e) => Math.Abs(a - e) <= 1e-15 + (1e-13 * Math.Abs(e)));
    }

    [Fact]
    public void Geglu_fragment_gates_with_the_second_half()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(3);
        using var module = new GegluChunkExample.Geglu(4, 3);
        var x = torch.randn(2, 4, dtype: torch.float32);
        var projected = torch.nn.functional.linear(x, module.Proj.weight!, module.Proj.bias);
        var value = projected.narrow(-1, 0, 3);
        var gate = projected.narrow(-1, 3, 3);
        var expected = value * (gate * 0.5 * (torch.erf(gate / Math.Sqrt(2)) + 1));
        var actual = module.forward(x);
        actual.allclose(expected, rtol: 1.3e-6, atol: 1e-5).Should().BeTrue();
    }
}
