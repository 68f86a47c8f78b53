// 08-adam-linear: the C# port of snippet.py lives in AdamLinearExample.cs (shared with `torchfacade tour` and the tests).
new TorchFacade.Examples.AdamLinearExample().Run(Console.Out);
