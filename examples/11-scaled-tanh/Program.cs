// 11-scaled-tanh: the C# port of snippet.py lives in ScaledTanhExample.cs (shared with `torchfacade tour` and the tests).
new TorchFacade.Examples.ScaledTanhExample().Run(Console.Out);
