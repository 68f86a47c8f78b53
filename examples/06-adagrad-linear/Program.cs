// 06-adagrad-linear: the C# port of snippet.py lives in AdagradLinearExample.cs (shared with `torchfacade tour` and the tests).
new TorchFacade.Examples.AdagradLinearExample().Run(Console.Out);
