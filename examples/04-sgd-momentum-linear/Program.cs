// 04-sgd-momentum-linear: the C# port of snippet.py lives in SgdMomentumLinearExample.cs (shared with `torchfacade tour` and the tests).
new TorchFacade.Examples.SgdMomentumLinearExample().Run(Console.Out);
