// 07-rmsprop-linear: the C# port of snippet.py lives in RmspropLinearExample.cs (shared with `torchfacade tour` and the tests).
new TorchFacade.Examples.RmspropLinearExample().Run(Console.Out);
