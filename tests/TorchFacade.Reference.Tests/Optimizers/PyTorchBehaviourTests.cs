using FluentAssertions;
using TorchFacade.Optim;
using TorchFacade.Reference.Optimizers;
using TorchSharp;
using Xunit;

namespace TorchFacade.Reference.Tests.Optimizers;

/// <summary>
/// PyTorch 2.6's behaviour where the reference used to differ (measured with PyTorch 2.6 on this machine):
/// <c>fused=True</c> runs (on the CPU it gives the single-tensor bits) and raises where PyTorch raises; Adagrad's
/// <c>add_param_group</c> gives no state, so the new group's first step raises <c>KeyError: 'sum'</c>; complex SGD is
/// complex arithmetic throughout (no fused multiply-add).
/// </summary>
public class PyTorchBehaviourTests
{
    public static TheoryData<string> FusedOptimizers() => new() { "SGD", "Adam", "AdamW", "Adagrad" };

    [Theory]
    [MemberData(nameof(FusedOptimizers))]
    public void FusedTrueGivesTheSameBitsAsTheDefaultPath(string name)
    {
        // PyTorch 2.6 on the CPU: fused=True and the single-tensor path agree bit for bit (t2.py-style check, 5 steps, 1000 elements).
        torch.Tensor a = Start(), b = Start();
        using Optimizer fused = Create(name, [a], fused: true);
        using Optimizer plain = Create(name, [b], fused: null);
        fused.ParamGroups[0]["fused"].Should().Be(true, "the flag is kept in the group, as PyTorch keeps it");
        for (int step = 0; step < 5; step++)
        {
            using var scope = torch.NewDisposeScope();
            a.grad = Grad(step);
            b.grad = Grad(step);
            fused.Step();
            plain.Step();
        }

        a.data<float>().ToArray().Should().Equal(b.data<float>().ToArray());
        a.data<float>().ToArray().Should().NotEqual(Start().data<float>().ToArray(), "the steps moved the parameter");
    }

    [Theory]
    [MemberData(nameof(FusedOptimizers))]
    public void FusedWithForeachOrDifferentiableRaisesPyTorchsRuntimeError(string name)
    {
        Action both = () => Create(name, [Start()], fused: true, @foreach: true);
        both.Should().Throw<TorchException>().Where(e => e.PyTorchType == "RuntimeError" && e.PyTorchMessage == "`fused` and `foreach` cannot be `True` together." && e.Message.StartsWith("`fused` and `foreach` cannot be `True` together.", StringComparison.Ordinal));
        Action differentiable = () => Create(name, [Start()], fused: true, differentiable: true);
        differentiable.Should().Throw<TorchException>().Where(e => e.PyTorchType == "RuntimeError" && e.PyTorchMessage == "`fused` does not support `differentiable`");
        Action all = () => Create(name, [Start()], fused: true, @foreach: true, differentiable: true);
        all.Should().Throw<TorchException>().Where(e => e.PyTorchMessage == "`fused` does not support `differentiable`", "PyTorch checks differentiable first");
    }

    // What PyTorch 2.6 raises, per optimizer, when a fused optimizer meets a complex parameter (checked with torch 2.6.0):
    // Adam/AdamW check every parameter when its state is created; SGD/Adagrad check only the first parameter with a grad,
    // once per optimizer, and their fused kernel refuses a later complex one; Adagrad's added group has no state (KeyError).
    private static string DeviceError(string name, string dtype) =>
        $"`fused=True` requires all the params to be floating point Tensors of supported devices: {(name == "Adagrad" ? "['mps', 'xpu', 'cpu', 'privateuseone']" : "['mps', 'cuda', 'xpu', 'cpu', 'privateuseone']")} but {dtype} and cpu";

    private static (string Type, string Message) LaterComplexError(string name) => name switch
    {
        "SGD" => ("RuntimeError", "\"fused_sgd_kernel\" not implemented for 'ComplexFloat'"),
        "Adagrad" => ("RuntimeError", "`fused` does not support sparse grad or complex param"),
        _ => ("RuntimeError", DeviceError(name, "torch.complex64")),
    };

    [Theory]
    [MemberData(nameof(FusedOptimizers))]
    public void FusedWithAComplexParameterRaisesAtTheStepAfterEarlierGroupsAreUpdated(string name)
    {
        torch.Tensor real = Start();
        torch.Tensor complex = torch.ones(3, dtype: torch.ScalarType.ComplexFloat32).requires_grad_(true);
        using Optimizer opt = Create(name, [real], fused: true);
        opt.AddParamGroup(new ParamGroup([complex]));
        real.grad = Grad(0);
        complex.grad = torch.ones(3, dtype: torch.ScalarType.ComplexFloat32);
        (string type, string message) = name switch
        {
            "Adagrad" => ("KeyError", "'sum'"),
            _ => LaterComplexError(name),
        };
        for (int step = 0; step < 2; step++)
        {
            float[] before = real.data<float>().ToArray();
            Action act = () => opt.Step();
            act.Should().Throw<TorchException>().Where(e => e.PyTorchType == type && e.PyTorchMessage == message, $"step {step + 1}");
            real.data<float>().ToArray().Should().NotEqual(before, "PyTorch steps group by group: the first group was updated before the second raised");
            torch.view_as_real(complex.detach()).data<float>().ToArray().Should().Equal([1f, 0f, 1f, 0f, 1f, 0f], "the failing group is untouched");
        }
    }

    [Theory]
    [MemberData(nameof(FusedOptimizers))]
    public void FusedChecksAComplexParameterWhenPyTorchDoes(string name)
    {
        // A complex parameter after a real one in the same group: nothing in the group is updated, at every step.
        torch.Tensor real = torch.ones(3).requires_grad_(true);
        torch.Tensor complex = torch.ones(2, dtype: torch.ScalarType.ComplexFloat32).requires_grad_(true);
        using (Optimizer opt = Create(name, [real, complex], fused: true))
        {
            real.grad = torch.ones(3);
            complex.grad = torch.ones(2, dtype: torch.ScalarType.ComplexFloat32);
            (string type, string message) = LaterComplexError(name);
            for (int step = 0; step < 2; step++)
            {
                Action act = () => opt.Step();
                act.Should().Throw<TorchException>().Where(e => e.PyTorchType == type && e.PyTorchMessage == message, $"step {step + 1}");
                real.data<float>().ToArray().Should().Equal([1f, 1f, 1f], "the group is checked before any of it is updated");
            }
        }

        // A complex first parameter: the device/dtype check itself raises, at every step (it never passed, so it is never skipped).
        torch.Tensor first = torch.ones(2, dtype: torch.ScalarType.ComplexFloat64).requires_grad_(true);
        first.grad = torch.ones(2, dtype: torch.ScalarType.ComplexFloat64);
        using (Optimizer opt = Create(name, [first], fused: true))
        {
            for (int step = 0; step < 2; step++)
            {
                Action act = () => opt.Step();
                act.Should().Throw<TorchException>().Where(e => e.PyTorchType == "RuntimeError" && e.PyTorchMessage == DeviceError(name, "torch.complex128"), $"step {step + 1}");
            }
        }

        // A complex parameter without a grad is not checked; it raises at the first step where it has one.
        torch.Tensor a = torch.ones(3).requires_grad_(true);
        torch.Tensor c = torch.ones(2, dtype: torch.ScalarType.ComplexFloat32).requires_grad_(true);
        using (Optimizer opt = Create(name, [a, c], fused: true))
        {
            a.grad = torch.ones(3);
            opt.Step();
            a.data<float>()[0].Should().NotBe(1f, "the real parameter is updated: a complex parameter without a grad is skipped, as in PyTorch");
            c.grad = torch.ones(2, dtype: torch.ScalarType.ComplexFloat32);
            (string type, string message) = LaterComplexError(name);
            Action act = () => opt.Step();
            act.Should().Throw<TorchException>().Where(e => e.PyTorchType == type && e.PyTorchMessage == message);
        }
    }

    [Fact]
    public void AdagradAddParamGroupHasNoStateAndItsFirstStepRaisesKeyError()
    {
        torch.Tensor p = torch.ones(3).requires_grad_(true);
        torch.Tensor q = torch.ones(2).requires_grad_(true);
        using var opt = new Adagrad([p], lr: 0.1);
        opt.AddParamGroup(new ParamGroup([q]));
        OptimizerStateDict sd = opt.StateDict();
        sd.State.Keys.Should().Equal([0], "PyTorch 2.6: {'state': {0: {'step': 0., 'sum': [0, 0, 0]}}, ...} — nothing for the added parameter");

        p.grad = torch.ones(3);
        q.grad = null;
        opt.Step();
        p.data<float>().ToArray().Should().Equal([0.9f, 0.9f, 0.9f], "a parameter without a grad is skipped before its state is read");

        q.grad = torch.ones(2);
        Action step = () => opt.Step();
        step.Should().Throw<TorchException>().Where(e => e.PyTorchType == "KeyError" && e.PyTorchMessage == "'sum'" && e.Message.StartsWith("'sum'", StringComparison.Ordinal));
        p.data<float>()[0].Should().BeLessThan(0.9f, "the first group was stepped before the added one raised, as in PyTorch");
        q.data<float>().ToArray().Should().Equal([1f, 1f]);
    }

    [Fact]
    public void ComplexSgdIsComplexArithmeticWithoutFusedMultiplyAdds()
    {
        // PyTorch 2.6's SGD never calls view_as_real: grad.add(param, alpha=wd), buf.mul_(μ).add_(g, alpha=1−τ) and
        // param.add_(g, alpha=−lr) on complex tensors, which LibTorch computes as a + (α·b) per component, rounded twice.
        const int n = 67;
        torch.random.manual_seed(3);
        torch.Tensor p = torch.randn(n, dtype: torch.ScalarType.ComplexFloat32).requires_grad_(true);
        float[] x = torch.view_as_real(p.detach()).contiguous().data<float>().ToArray();
        float[] buf = new float[x.Length];
        const double lr = 0.0123, wd = 0.1, momentum = 0.9;
        using var opt = new SGD([p], lr: lr, momentum: momentum, weightDecay: wd);
        for (int step = 0; step < 3; step++)
        {
            torch.Tensor g = torch.randn(n, dtype: torch.ScalarType.ComplexFloat32);
            float[] gr = torch.view_as_real(g).contiguous().data<float>().ToArray();
            p.grad = g;
            opt.Step();
            for (int i = 0; i < x.Length; i++)
            {
                float d = gr[i] + (x[i] * (float)wd);
                buf[i] = step == 0 ? d : (buf[i] * (float)momentum) + (d * 1f);
                x[i] += buf[i] * (float)-lr;
            }
        }

        torch.view_as_real(p.detach()).contiguous().data<float>().ToArray().Should().Equal(x);
        opt.StateOf(p)["momentum_buffer"].dtype.Should().Be(torch.ScalarType.ComplexFloat32, "the buffer is complex, as PyTorch's");
    }

    private static torch.Tensor Start() => torch.linspace(-2, 2, 1000).requires_grad_(true);

    private static torch.Tensor Grad(int step) => torch.sin(torch.linspace(-3, 3 + step, 1000)).mul(0.5);

    private static Optimizer Create(string name, torch.Tensor[] ps, bool? fused, bool? @foreach = null, bool differentiable = false) => name switch
    {
        "SGD" => new SGD(ps, lr: 0.01, momentum: 0.9, nesterov: true, @foreach: @foreach, differentiable: differentiable, fused: fused),
        "Adam" => new Adam(ps, lr: 0.01, weightDecay: 0.1, amsgrad: true, maximize: true, @foreach: @foreach, differentiable: differentiable, fused: fused),
        "AdamW" => new AdamW(ps, lr: 0.01, @foreach: @foreach, differentiable: differentiable, fused: fused),
        _ => new Adagrad(ps, lr: 0.01, lrDecay: 0.01, weightDecay: 0.1, @foreach: @foreach, differentiable: differentiable, fused: fused),
    };
}
