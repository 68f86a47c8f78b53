// 19-autograd-graph: the C# port of snippet.py lives in AutogradGraphExample.cs (shared with `torchfacade tour` and the tests).
// With a path argument it also writes the graph as Graphviz DOT: dotnet run -- graph.dot && dot -Tsvg graph.dot -o graph.svg
new TorchFacade.Examples.AutogradGraphExample().Run(Console.Out);
if (args.Length > 0)
{
    File.WriteAllText(args[0], TorchFacade.Examples.AutogradGraphExample.Dot());
}
