using TorchFacade.Printing;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TorchFacade.Examples;

/// <summary>
/// Five SGD steps with momentum 0.9 (lr 0.1) on <c>mean(3(x + 2)²)</c>, printing grad and x each epoch; x goes
/// 1 → 0.55 → −0.2375 → −1.2106 → −2.2048 → −3.0689 (reference maths D.3).
/// </summary>
public sealed class SgdMomentumLoopExample : Example
{
    /// <summary>Creates the example.</summary>
    public SgdMomentumLoopExample()
        : base("05-sgd-momentum-loop")
    {
    }

    /// <summary>The snippet's loss: <c>mean(3(x + 2)²)</c>.</summary>
    /// <param name="x">The parameter.</param>
    /// <returns>The scalar loss.</returns>
    public static Tensor LossFunction(Tensor x)     // def loss_function(x):
    {
        var y = x + 2;                               //     y = x + 2
        var z = y * y * 3;                           //     z = y * y * 3
        return z.mean();                             //     return z.mean()
    }

    /// <inheritdoc />
    public override void Run(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        using var scope = torch.NewDisposeScope();

        // 创建一个 requires_grad=True 的 Tensor — a Parameter, because TorchSharp's optimizers take Parameters.
        var x = new Parameter(torch.ones(2, 2));                     // x = torch.ones(2, 2, requires_grad=True)

        // 创建优化器并设置动量
        var optimizer = torch.optim.SGD([x], 0.1, momentum: 0.9);   // optimizer = optim.SGD([x], lr=0.1, momentum=0.9)

        // 进行多次迭代，观察动量的影响
        for (int epoch = 1; epoch < 6; epoch++)                     // for epoch in range(1, 6):
        {
            using var step = torch.NewDisposeScope();
            optimizer.zero_grad();                                   //     optimizer.zero_grad()  # 每次迭代前清零梯度
            var @out = LossFunction(x);                              //     out = loss_function(x)  # 计算损失
            @out.backward();                                         //     out.backward()  # 反向传播，计算梯度

            output.WriteLine($"Epoch {epoch}:");                               // print(f"Epoch {epoch}:")
            output.WriteLine($"  x.grad = {PyTorchFormat.Format(x.grad!)}");   // print(f"  x.grad = {x.grad}")
            output.WriteLine($"  x = {PyTorchFormat.Format(x)}");              // print(f"  x = {x}")

            optimizer.step();                                                   // optimizer.step()  # 更新参数
            output.WriteLine($"  Updated x = {PyTorchFormat.Format(x)}\n");    // print(f"  Updated x = {x}\n")
        }
    }
}
