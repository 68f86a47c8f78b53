using TorchSharp;
using TorchSharp.Modules;

namespace TorchFacade.Examples;

/// <summary>Builds <c>nn.Linear(10, 2)</c> and RMSprop with lr 0.001 and alpha 0.9. The snippet prints nothing.</summary>
public sealed class RmspropLinearExample : Example
{
    /// <summary>Creates the example.</summary>
    public RmspropLinearExample()
        : base("07-rmsprop-linear")
    {
    }

    /// <summary>The snippet's two statements, returned so callers can inspect them.</summary>
    /// <returns>The model and its optimizer (dispose the model when done).</returns>
    public static (Linear Model, torch.optim.Optimizer Optimizer) Build()
    {
        // 假设有一个简单的模型
        var model = torch.nn.Linear(10, 2);          // model = torch.nn.Linear(10, 2)

        // 使用 RMSprop 优化器
        var optimizer = torch.optim.RMSProp(model.parameters(), lr: 0.001, alpha: 0.9);
        // optimizer = torch.optim.RMSprop(model.parameters(), lr=0.001, alpha=0.9) # alpha 是衰减率（滑动平均系数）
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
