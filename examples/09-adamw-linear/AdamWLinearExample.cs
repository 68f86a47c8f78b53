using TorchSharp;
using TorchSharp.Modules;

namespace TorchFacade.Examples;

/// <summary>Builds <c>nn.Linear(10, 2)</c> and AdamW with lr 0.001 and weight decay 0.01 (set explicitly: TorchSharp's AdamW default is 0, PyTorch's 0.01). The snippet prints nothing.</summary>
public sealed class AdamWLinearExample : Example
{
    /// <summary>Creates the example.</summary>
    public AdamWLinearExample()
        : base("09-adamw-linear")
    {
    }

    /// <summary>The snippet's two statements, returned so callers can inspect them.</summary>
    /// <returns>The model and its optimizer (dispose the model when done).</returns>
    public static (Linear Model, torch.optim.Optimizer Optimizer) Build()
    {
        // 假设有一个简单的模型
        var model = torch.nn.Linear(10, 2);          // model = torch.nn.Linear(10, 2)

        // 使用 AdamW 优化器（显式设置 weight_decay）
        var optimizer = torch.optim.AdamW(model.parameters(), lr: 0.001, weight_decay: 0.01);
        // optimizer = torch.optim.AdamW(model.parameters(), lr=0.001, weight_decay=0.01)
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
