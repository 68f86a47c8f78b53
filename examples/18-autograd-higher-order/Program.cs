// 18-autograd-higher-order: the C# port of snippet.py lives in AutogradHigherOrderExample.cs (shared with `torchfacade tour` and the tests).
new TorchFacade.Examples.AutogradHigherOrderExample().Run(Console.Out);
