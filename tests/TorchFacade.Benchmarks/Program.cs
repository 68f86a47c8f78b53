using BenchmarkDotNet.Running;

// Run with: ./build.sh bench [--filter *Name*]   (BenchmarkDotNet's own arguments are passed through)
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
