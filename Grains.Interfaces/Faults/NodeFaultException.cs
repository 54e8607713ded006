namespace OrleansWg;

/// <summary>
/// A node could not do what it was asked as a whole (Docker did not answer, say). Raised in place
/// of the cause, whose type may have no codec; the node logged the cause where it happened.
/// </summary>
[GenerateSerializer, Alias("owg.NodeFaultException")]
public sealed class NodeFaultException : Exception
{
    public NodeFaultException(string message)
        : base(message)
    {
    }
}
