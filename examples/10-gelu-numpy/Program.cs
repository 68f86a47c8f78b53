// 10-gelu-numpy: the C# port of snippet.py lives in GeluNumpyExample.cs (shared with `torchfacade tour` and the tests).
new TorchFacade.Examples.GeluNumpyExample().Run(Console.Out);
