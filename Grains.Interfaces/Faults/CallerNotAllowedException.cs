namespace OrleansWg;

/// <summary>A grain call whose caller's role credential is missing, forged, or does not allow this call.</summary>
[GenerateSerializer, Alias("owg.CallerNotAllowedException")]
public sealed class CallerNotAllowedException : Exception
{
    public CallerNotAllowedException(string message)
        : base(message)
    {
    }
}
