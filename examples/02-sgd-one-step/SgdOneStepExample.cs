using TorchFacade.Printing;
using TorchSharp;
using TorchSharp.Modules;

namespace TorchFacade.Examples;

/// <summary>One SGD step (lr = 0.1) on <c>mean(3(x + 2)²)</c> from x = 1: the grad is 4.5 and x becomes 1 − 0.1·4.5 = 0.55.</summary>
public sealed class SgdOneStepExample : Example
{
    /// <summary>Creates the example.</summary>
    public SgdOneStepExample()
        : base("02-sgd-one-step")
    {
    }

    /// <inheritdoc />
    public override void Run(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        using var scope = torch.NewDisposeScope();

        // 定义初始变量 — TorchSharp's optimizers take Parameters (requires_grad=True is implied).
        var x = new Parameter(torch.ones(2, 2));          // x = torch.ones(2, 2, requires_grad=True)

        // 定义优化器，这里使用 SGD（随机梯度下降）
        var optimizer = torch.optim.SGD([x], 0.1);       // optimizer = optim.SGD([x], lr=0.1)

        // 进行前向传播
        var y = x + 2;                                    // y = x + 2
        var z = y * y * 3;                                // z = y * y * 3
        var @out = z.mean();                              // out = z.mean()

        // 清空梯度
        optimizer.zero_grad();                            // optimizer.zero_grad()

        // 反向传播
        @out.backward();                                  // out.backward()

        // 打印梯度
        output.WriteLine("梯度 (x.grad):");               // print("梯度 (x.grad):")
        output.WriteLine(PyTorchFormat.Format(x.grad!));  // print(x.grad)

        // 执行一步优化器的参数更新
        optimizer.step();                                 // optimizer.step()

        // 打印更新后的参数值
        output.WriteLine("更新后的参数值 (x):");          // print("更新后的参数值 (x):")
        output.WriteLine(PyTorchFormat.Format(x));        // print(x)
    }
}
