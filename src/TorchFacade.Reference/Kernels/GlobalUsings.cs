// The kernel layer's operators and drivers all use the SIMD lane types and MethodImpl hints.
global using System.Runtime.CompilerServices;
global using TorchFacade.Reference.Kernels.Simd;
