namespace OrleansWg;

/// <summary>
/// The control plane's database did not answer. Raised in place of the database driver's own
/// exception, which cannot cross a grain boundary (its type has no codec).
/// </summary>
[GenerateSerializer, Alias("owg.StorageUnavailableException")]
public sealed class StorageUnavailableException : Exception
{
    public StorageUnavailableException()
        : base("the control plane's database cannot be reached")
    {
    }
}
