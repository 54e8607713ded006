global using OrleansWg.Integration.Tests.Stack;

[assembly: CollectionBehavior(DisableTestParallelization = true)]
