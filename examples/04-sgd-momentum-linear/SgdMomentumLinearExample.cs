using TorchSharp;
using TorchSharp.Modules;

namespace TorchFacade.Examples;

/// <summary>Builds <c>nn.Linear(10, 2)</c> and SGD with momentum 0.9. The snippet prints nothing.</summary>
public sealed class SgdMomentumLinearExample : Example
{
    /// <summary>Creates the example.</summary>
    public SgdMomentumLinearExample()
        : base("04-sgd-momentum-linear")
    {
    }

    /// <summary>The snippet's two statements, returned so callers can inspect them.</summary>
    /// <returns>The model and its optimizer (dispose the model when done).</returns>
    public static (Linear Model, torch.optim.Optimizer Optimizer) Build()
    {
        // 假设有一个简单的模型
        var model = torch.nn.Linear(10, 2);          // model = torch.nn.Linear(10, 2)

        // 使用带动量的 SGD 优化器
        var optimizer = torch.optim.SGD(model.parameters(), 0.001, momentum: 0.9);
        // optimizer = torch.optim.SGD(model.parameters(), lr=0.001, momentum=0.9)
        return (model, optimizer);
    }

    /// <inheritdoc />
    public override void Run(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        (Linear model, _) = Build();
        model.Dispose();
    }
}
