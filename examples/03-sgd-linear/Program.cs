// 03-sgd-linear: the C# port of snippet.py lives in SgdLinearExample.cs (shared with `torchfacade tour` and the tests).
new TorchFacade.Examples.SgdLinearExample().Run(Console.Out);
