// 20-autograd-custom-function: the C# port of snippet.py lives in AutogradCustomFunctionExample.cs (shared with `torchfacade tour` and the tests).
new TorchFacade.Examples.AutogradCustomFunctionExample().Run(Console.Out);
