// The namespaces every optimizer file uses, once for the project.
global using System.Runtime.CompilerServices;
global using TorchFacade.Optim;
global using TorchFacade.Reference.Kernels.Simd;
global using TorchFacade.Reference.Optimizers.Kernels;
global using TorchSharp;
