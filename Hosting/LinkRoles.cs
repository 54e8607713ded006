using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Connections.Security;

namespace OrleansWg.Hosting;

/// <summary>
/// Who may be at the other end of each cluster link, by the role its certificate names
/// (<see cref="ClusterIdentity.RoleOf"/>): silos talk to silos, and a silo's gateway port takes
/// only the Gateway and nodes; a client talks only to silos. The CA signing a certificate is not
/// enough: a node's certificate must not open a silo-to-silo link, nor pose as a silo to the
/// Gateway, whose connect requests carry users' passwords. Runs right after the TLS handshake, so
/// a refused link carries no Orleans message either way.
/// </summary>
public static class LinkRoles
{
    public static ISiloBuilder RequireRolesOnLinks(this ISiloBuilder silo) => silo.Configure<SiloConnectionOptions>(options =>
    {
        options.ConfigureSiloInboundConnection(links => links.Use(RequireRemoteRole(links, "silo-in", CallerRole.Silo)));
        options.ConfigureSiloOutboundConnection(links => links.Use(RequireRemoteRole(links, "silo-out", CallerRole.Silo)));
        options.ConfigureGatewayInboundConnection(links => links.Use(RequireRemoteRole(links, "client", CallerRole.Gateway, CallerRole.Node)));
    });

    public static IClientBuilder RequireSilosOnLinks(this IClientBuilder client) => client.Configure<ClientConnectionOptions>(options =>
        options.ConfigureConnection(links => links.Use(RequireRemoteRole(links, "to-silo", CallerRole.Silo))));

    private static Func<ConnectionDelegate, ConnectionDelegate> RequireRemoteRole(IConnectionBuilder links, string link, params string[] roles)
    {
        var logger = links.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(LinkRoles));
        return next => connection =>
        {
            var certificate = connection.Features.Get<ITlsConnectionFeature>()?.RemoteCertificate;
            var role = certificate is null ? null : ClusterIdentity.RoleOf(certificate);
            if (role is not null && roles.Contains(role))
            {
                return next(connection);
            }

            logger.LogWarning("Refused a {Link} link with {Endpoint}: its certificate ({Subject}) names role {Role}, not {Allowed}",
                link, connection.RemoteEndPoint, certificate?.Subject ?? "none", role ?? "none", string.Join(" or ", roles));
            connection.Abort();
            return Task.CompletedTask;
        };
    }
}
