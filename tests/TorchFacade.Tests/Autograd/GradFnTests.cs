using FluentAssertions;
using TorchSharp;
using Xunit;

namespace TorchFacade.Tests.Autograd;

/// <summary><c>GradFn.Name</c> is read from LibTorch itself (Linux x64); elsewhere it is null but the node is still reported.</summary>
public class GradFnTests
{
    public static TheoryData<string, string> Nodes => new()
    {
        { "mul", "MulBackward0" },
        { "mean", "MeanBackward0" },
        { "gelu", "GeluBackward0" },
        { "sum", "SumBackward0" },
        { "view", "ViewBackward0" },
        { "clone", "CloneBackward0" },
        { "relu", "ReluBackward0" },
        { "sigmoid", "SigmoidBackward0" },
        { "tanh", "TanhBackward0" },
        { "matmul", "MmBackward0" },
        { "add", "AddBackward0" },
        { "add-scalar", "AddBackward1" },
        { "sub", "SubBackward0" },
        { "div", "DivBackward0" },
        { "exp", "ExpBackward0" },
        { "pow-scalar", "PowBackward0" },
        { "t", "TBackward0" },
    };

    [Theory]
    [MemberData(nameof(Nodes))]
    public void NameIsLibTorchsNodeName(string op, string expected)
    {
        using var scope = torch.NewDisposeScope();
        var a = torch.rand(3, 3, requires_grad: true);
        var b = torch.rand(3, 3, requires_grad: true);
        torch.Tensor result = op switch
        {
            "mul" => a * b,
            "mean" => a.mean(),
            "gelu" => torch.nn.functional.gelu(a),
            "sum" => a.sum(),
            "view" => a.View(9),
            "clone" => a.Clone(),
            "relu" => torch.nn.functional.relu(a),
            "sigmoid" => torch.sigmoid(a),
            "tanh" => torch.tanh(a),
            "matmul" => torch.matmul(a, b),
            "add" => a + b,
            "add-scalar" => a + 1,
            "sub" => a - b,
            "div" => a / b,
            "exp" => torch.exp(a),
            "pow-scalar" => a.pow(2),
            "t" => a.t(),
            _ => throw new ArgumentOutOfRangeException(nameof(op)),
        };

        var node = result.GradFn;

        node.Should().NotBeNull();
        if (GradFnNative.IsSupported)
        {
            node!.Name.Should().Be(expected);
        }
        else
        {
            node!.Name.Should().BeNull();
        }
    }

    [Fact]
    public void VirtualCallAndBaseImplementationAgree()
    {
        using var scope = torch.NewDisposeScope();
        var a = torch.rand(3, requires_grad: true);
        torch.Tensor[] results = [a * 2, a.mean(), torch.nn.functional.gelu(a), a.View(3, 1), torch.exp(a) + a];
        foreach (var r in results)
        {
            var viaVtable = GradFnNative.Read(r);
            var viaBase = GradFnNative.Read(r, viaBaseImplementation: true);
            viaBase.Should().Be(viaVtable);
        }

        if (GradFnNative.IsSupported)
        {
            GradFnNative.NameSlot.Should().BeGreaterThanOrEqualTo(0, "Node::name() is found in Node's exported vtable");
        }
    }

    [Fact]
    public void NullForLeavesDetachedAndNoGradResults()
    {
        using var scope = torch.NewDisposeScope();
        var leaf = torch.rand(3, requires_grad: true);
        var plain = torch.rand(3);
        leaf.GradFn.Should().BeNull();
        plain.GradFn.Should().BeNull();
        (plain * 2).GradFn.Should().BeNull("no input requires grad, so nothing is recorded");
        (leaf * 2).Detach().GradFn.Should().BeNull();
        using (Torch.NoGrad())
        {
            (leaf * 2).GradFn.Should().BeNull("no_grad records nothing");
        }
    }

    [Fact]
    public void LongNamesOnTheHeapAreReadAndFreed()
    {
        using var scope = torch.NewDisposeScope();
        var q = torch.rand(1, 2, 4, requires_grad: true);
        // Names longer than 15 characters do not fit libstdc++'s inline buffer: exercised here many times.
        for (int i = 0; i < 2000; i++)
        {
            using var r = torch.nn.functional.scaled_dot_product_attention(q, q, q);
            var name = r.GradFn?.Name;
            if (GradFnNative.IsSupported)
            {
                name.Should().NotBeNull().And.EndWith("Backward0");
                name!.Length.Should().BeGreaterThan(15);
            }
        }
    }
}
