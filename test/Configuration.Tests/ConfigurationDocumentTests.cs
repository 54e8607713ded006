using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;

namespace OrleansWg.Configuration.Tests;

/// <summary>
/// docs/configuration.md against the code: every setting an options class of ours binds is in the
/// table with the default the class has, and every setting the table gives one of our sections is bound.
/// </summary>
public sealed partial class ConfigurationDocumentTests
{
    // Read by the processes from IConfiguration, not through an options class.
    private static readonly HashSet<string> ReadDirectly = ["ConnectionStrings__Orleans", "Metrics__Port", "Metrics__Host"];

    // Defaults the code computes on the machine it runs on, documented by how.
    private static readonly Dictionary<string, string> ComputedDefaults = new() { ["Users__MaxConcurrentHashes"] = "Environment.ProcessorCount" };

    private static readonly Type[] OptionsClasses = [.. new[]
        {
            typeof(OrleansWg.Silo.SiloSettings).Assembly, typeof(OrleansWg.Gateway.GatewayOptions).Assembly,
            typeof(OrleansWg.NodeHost.NodeOptions).Assembly, typeof(OrleansWg.Grains.Dns.DnsOptions).Assembly,
            typeof(OrleansWg.Hosting.ClusterSettings).Assembly,
        }
        .SelectMany(assembly => assembly.GetTypes())
        .Where(type => type.GetField("Section", BindingFlags.Public | BindingFlags.Static) is { IsLiteral: true })
        .DistinctBy(type => type.FullName)];

    private static readonly Dictionary<string, string> Documented = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "configuration.md"))
        .Select(line => Row().Match(line)).Where(row => row.Success)
        .ToDictionary(row => row.Groups["key"].Value, row => row.Groups["default"].Value.Trim());

    public static TheoryData<string, string> SettingsInCode()
    {
        var data = new TheoryData<string, string>();
        foreach (var type in OptionsClasses)
        {
            foreach (var (key, value) in Settings(type, (string)type.GetField("Section")!.GetValue(null)!, Activator.CreateInstance(type)!))
            {
                data.Add(key, value);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(SettingsInCode))]
    public void Every_setting_in_code_is_documented_with_its_default(string key, string codeDefault)
    {
        Assert.True(Documented.TryGetValue(key, out var documented), $"{key} is not in docs/configuration.md");
        Assert.True(documented.StartsWith(codeDefault, StringComparison.Ordinal),
            $"{key}: the code's default is {codeDefault}, docs/configuration.md says {documented}");
    }

    [Fact]
    public void Every_documented_setting_of_our_sections_is_bound_by_the_code()
    {
        var inCode = SettingsInCode().Select(row => (string)row[0]).ToHashSet();
        var sections = OptionsClasses.Select(type => (string)type.GetField("Section")!.GetValue(null)!).ToHashSet();

        Assert.DoesNotContain(Documented.Keys, key => sections.Contains(key.Split("__")[0]) && !inCode.Contains(key) && !ReadDirectly.Contains(key));
    }

    /// <summary>The settings of an options object: its settable properties, nested ones by their path, as environment variables name them.</summary>
    private static IEnumerable<(string Key, string Default)> Settings(Type type, string prefix, object instance)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod is { IsPublic: true }))
        {
            var key = $"{prefix}__{property.Name}";
            var value = property.GetValue(instance);
            if (ReadDirectly.Contains(key) || key == "Cluster__ConnectionString")
            {
                continue;
            }

            if (property.PropertyType.IsArray)
            {
                yield return ($"{key}__N", "`[]`");
            }
            else if (property.PropertyType.IsClass && property.PropertyType != typeof(string))
            {
                foreach (var nested in Settings(property.PropertyType, key, value!))
                {
                    yield return nested;
                }
            }
            else
            {
                yield return (key, ComputedDefaults.TryGetValue(key, out var computed) ? $"`{computed}`" : Written(property, value));
            }
        }
    }

    /// <summary>A default as the table writes it: in backticks as configuration would give it; an empty required one as (required).</summary>
    private static string Written(PropertyInfo property, object? value) => value switch
    {
        null => "`null`",
        "" when property.GetCustomAttribute<RequiredAttribute>() is not null => "(required)",
        "" => "`\"\"`",
        bool flag => flag ? "`true`" : "`false`",
        TimeSpan span => $"`{span.ToString("c", CultureInfo.InvariantCulture)}`",
        IFormattable formattable => $"`{formattable.ToString(null, CultureInfo.InvariantCulture)}`",
        _ => $"`{value}`",
    };

    [GeneratedRegex(@"^\| `(?<key>[A-Za-z_]+)` \| [^|]* \| (?<default>[^|]*) \|")]
    private static partial Regex Row();
}
