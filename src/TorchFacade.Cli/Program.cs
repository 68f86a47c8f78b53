using TorchFacade.Cli;

return CliApp.Run(args, Console.Out, Console.Error, TerminalMode.Detect());
