// 17-autograd-hooks: the C# port of snippet.py lives in AutogradHooksExample.cs (shared with `torchfacade tour` and the tests).
new TorchFacade.Examples.AutogradHooksExample().Run(Console.Out);
