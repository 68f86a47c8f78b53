// 01-autograd-mean-grad: the C# port of snippet.py lives in AutogradMeanGradExample.cs (shared with `torchfacade tour` and the tests).
new TorchFacade.Examples.AutogradMeanGradExample().Run(Console.Out);
