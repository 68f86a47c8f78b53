// 16-export-weights: the C# port of snippet.py lives in ExportWeightsExample.cs (shared with `torchfacade tour` and the tests).
new TorchFacade.Examples.ExportWeightsExample().Run(Console.Out);
