// 13-geglu-chunk: the C# port of snippet.py lives in GegluChunkExample.cs (shared with `torchfacade tour` and the tests).
new TorchFacade.Examples.GegluChunkExample().Run(Console.Out);
