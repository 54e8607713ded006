global using OrleansWg.TestStack;

[assembly: CollectionBehavior(DisableTestParallelization = true)]
