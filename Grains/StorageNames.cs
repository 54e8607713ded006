namespace OrleansWg.Grains;

public static class StorageNames
{
    /// <summary>The grain storage every OrleansWg grain persists to.</summary>
    public const string Default = "owg";

    /// <summary>The database's own storage under <see cref="StorageFaultGuard"/>; grains never name it.</summary>
    public const string Database = "owg-database";
}
