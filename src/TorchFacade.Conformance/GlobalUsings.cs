// TorchSharp's namespace and its torch functions, imported once for every case source of the catalog.
global using TorchSharp;
global using static TorchSharp.torch;
