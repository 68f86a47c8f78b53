// 02-sgd-one-step: the C# port of snippet.py lives in SgdOneStepExample.cs (shared with `torchfacade tour` and the tests).
new TorchFacade.Examples.SgdOneStepExample().Run(Console.Out);
