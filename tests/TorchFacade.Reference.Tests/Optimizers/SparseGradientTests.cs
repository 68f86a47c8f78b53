using FluentAssertions;
using TorchFacade.Optim;
using TorchFacade.Reference.Optimizers;
using TorchSharp;
using Xunit;

namespace TorchFacade.Reference.Tests.Optimizers;

/// <summary>
/// Sparse gradients, as PyTorch 2.6 treats them (checked with torch 2.6.0): SGD (with and without momentum) applies them
/// and gives what the same dense gradient gives; Adagrad and LBFGS apply them in PyTorch but not here, and refuse with
/// NotImplementedError; the other optimizers raise PyTorch's RuntimeError "&lt;Name&gt; does not support sparse
/// gradients"; every refusal comes before any parameter changes.
/// </summary>
public class SparseGradientTests
{
    public static TheoryData<string> Accepting => ["SGD", "SGD-momentum"];

    public static TheoryData<string> Refusing => ["Adam", "AdamW", "RMSprop", "Adadelta", "Adamax", "NAdam", "RAdam", "ASGD", "Rprop"];

    private static Optimizer Make(string name, torch.Tensor[] p) => name switch
    {
        "SGD" => new SGD(p, lr: 0.1),
        "SGD-momentum" => new SGD(p, lr: 0.1, momentum: 0.9),
        "Adagrad" => new Adagrad(p),
        "Adam" => new Adam(p),
        "AdamW" => new AdamW(p),
        "RMSprop" => new RMSprop(p),
        "Adadelta" => new Adadelta(p),
        "Adamax" => new Adamax(p),
        "NAdam" => new NAdam(p),
        "RAdam" => new RAdam(p),
        "ASGD" => new ASGD(p),
        _ => new Rprop(p),
    };

    private static torch.Tensor Grad() => torch.tensor(new float[] { 0.5f, 0, -1, 0, 2, 0 }).reshape(2, 3);

    [Theory]
    [MemberData(nameof(Accepting))]
    public void AcceptingOptimizersApplyASparseGradientAsTheDenseOne(string name)
    {
        using var scope = torch.NewDisposeScope();
        torch.Tensor sparseParam = torch.ones(2, 3).requires_grad_(true);
        torch.Tensor denseParam = torch.ones(2, 3).requires_grad_(true);
        using Optimizer sparse = Make(name, [sparseParam]);
        using Optimizer dense = Make(name, [denseParam]);
        for (int step = 0; step < 3; step++)
        {
            sparseParam.grad = Grad().to_sparse();
            denseParam.grad = Grad();
            sparse.Step();
            dense.Step();
        }

        sparseParam.detach().data<float>().ToArray().Should().Equal(denseParam.detach().data<float>().ToArray());
    }

    [Fact]
    public void AdagradAndLbfgsRefuseWithNotImplementedAndChangeNothing()
    {
        using var scope = torch.NewDisposeScope();
        torch.Tensor p = torch.ones(2, 3).requires_grad_(true);
        using var adagrad = new Adagrad([p]);
        p.grad = Grad().to_sparse();
        FluentActions.Invoking(() => adagrad.Step()).Should().Throw<TorchException>()
            .Where(e => e.PyTorchType == PyTorchErrorTypes.NotImplementedError).WithMessage("Adagrad.Step: parameter 0 has a sparse gradient*");
        using var lbfgs = new LBFGS([p]);
        FluentActions.Invoking(() => lbfgs.Step(() => p.sum())).Should().Throw<TorchException>().WithMessage("LBFGS.Step: parameter 0 has a sparse gradient*");
        p.detach().data<float>().ToArray().Should().AllSatisfy(v => v.Should().Be(1f));
    }

    [Theory]
    [MemberData(nameof(Refusing))]
    public void OtherOptimizersRefuseWithPyTorchsMessageAndChangeNothing(string name)
    {
        using var scope = torch.NewDisposeScope();
        torch.Tensor first = torch.ones(2).requires_grad_(true);
        torch.Tensor second = torch.ones(2, 3).requires_grad_(true);
        using Optimizer opt = Make(name, [first, second]);
        first.grad = torch.ones(2);
        second.grad = Grad().to_sparse();

        var ex = FluentActions.Invoking(() => opt.Step()).Should().Throw<TorchException>().Which;
        ex.PyTorchType.Should().Be(PyTorchErrorTypes.RuntimeError);
        ex.Message.Should().StartWith($"{name}.Step: {name} does not support sparse gradients");
        first.detach().data<float>().ToArray().Should().Equal(1f, 1f);
        opt.StateOf(first).Should().BeEmpty("the check runs before any parameter is touched");
    }
}
