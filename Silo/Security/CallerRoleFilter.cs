using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using OrleansWg.Hosting;

namespace OrleansWg.Silo.Security;

/// <summary>
/// Lets a grain call run only when its role credential, signed by the cluster's CA (or, for a node,
/// by the node CA) and not expired, allows it (<see cref="CallerPolicy"/>). Every call must carry one, also between grains (each silo signs
/// its own calls with its credential): a client can claim to be a grain in a message's header, so
/// where a call comes from proves nothing.
/// </summary>
public sealed class CallerRoleFilter(ClusterIdentity identity, TimeProvider clock, ILogger<CallerRoleFilter> logger) : IIncomingGrainCallFilter
{
    // Validly signed credentials only: a few per member, and a node's renewal adds one a renewal; an
    // invalid one is checked again on every call, and so can never take the place of a valid one.
    private readonly ConcurrentDictionary<string, CallerRole> verified = new();

    public Task Invoke(IIncomingGrainCallContext context)
    {
        var caller = RequestContext.Get(RoleCredential.RequestContextKey) is string credential ? Verify(credential) : null;
        if (!CallerPolicy.Allows(caller, context.InterfaceName, context.InterfaceMethod?.DeclaringType, context.MethodName, context.TargetId.Key.ToString()))
        {
            logger.LogWarning("Refused {Interface}.{Method} on {Grain} to a caller with {Role}", context.InterfaceName, context.MethodName,
                context.TargetId, caller is null ? "no valid credential" : $"role {caller.Role} {caller.ServerId}");
            throw new CallerNotAllowedException($"this caller may not call {context.InterfaceName}.{context.MethodName}");
        }

        return context.Invoke();
    }

    private CallerRole? Verify(string credential)
    {
        if (!verified.TryGetValue(credential, out var role) && RoleCredential.Verify(credential, identity.Authority, identity.NodeAuthority) is { } signed)
        {
            role = verified.GetOrAdd(credential, signed);
        }

        if (role?.IsExpired(clock.GetUtcNow()) == true)
        {
            verified.TryRemove(credential, out _);
            return null;
        }

        return role;
    }
}
