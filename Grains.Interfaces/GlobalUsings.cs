global using System.Collections.Immutable;
global using Orleans.CodeGeneration;
global using Orleans.Concurrency;
