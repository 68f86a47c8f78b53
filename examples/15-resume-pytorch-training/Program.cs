// 15-resume-pytorch-training: the C# port of snippet.py lives in ResumePyTorchTrainingExample.cs (shared with `torchfacade tour` and the tests).
new TorchFacade.Examples.ResumePyTorchTrainingExample().Run(Console.Out);
