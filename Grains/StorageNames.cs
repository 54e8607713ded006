namespace OrleansWg.Grains;

public static class StorageNames
{
    /// <summary>The grain storage every OrleansWg grain persists to.</summary>
    public const string Default = "owg";
}
