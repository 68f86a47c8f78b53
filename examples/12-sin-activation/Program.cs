// 12-sin-activation: the C# port of snippet.py lives in SinActivationExample.cs (shared with `torchfacade tour` and the tests).
new TorchFacade.Examples.SinActivationExample().Run(Console.Out);
