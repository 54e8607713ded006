namespace OrleansWg.Hosting;

/// <summary>
/// Puts this process's role credential on every grain call it makes, and on none it makes to a
/// client (a node's observer): a credential is a bearer token, and a client must never learn a
/// silo's.
/// </summary>
public sealed class CredentialSender(ClusterIdentity identity) : IOutgoingGrainCallFilter
{
    public Task Invoke(IOutgoingGrainCallContext context)
    {
        if (context.TargetId.IsClient())
        {
            RequestContext.Remove(RoleCredential.RequestContextKey);
        }
        else
        {
            RequestContext.Set(RoleCredential.RequestContextKey, identity.Credential);
        }

        return context.Invoke();
    }
}
