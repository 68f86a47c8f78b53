// 14-pad-sizes: the C# port of snippet.py lives in PadSizesExample.cs (shared with `torchfacade tour` and the tests).
new TorchFacade.Examples.PadSizesExample().Run(Console.Out);
