// 09-adamw-linear: the C# port of snippet.py lives in AdamWLinearExample.cs (shared with `torchfacade tour` and the tests).
new TorchFacade.Examples.AdamWLinearExample().Run(Console.Out);
