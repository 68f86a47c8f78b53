// 05-sgd-momentum-loop: the C# port of snippet.py lives in SgdMomentumLoopExample.cs (shared with `torchfacade tour` and the tests).
new TorchFacade.Examples.SgdMomentumLoopExample().Run(Console.Out);
