global using System.Collections.Immutable;
global using OrleansWg.Grains;
