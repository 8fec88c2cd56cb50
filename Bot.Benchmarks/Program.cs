using BenchmarkDotNet.Running;
using CustomerAdvocateBot.Benchmarks;

BenchmarkSwitcher.FromAssembly(typeof(DigestBuildBenchmarks).Assembly).Run(args);
