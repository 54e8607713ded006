global using System.Collections.Immutable;
global using Microsoft.Extensions.Options;
