namespace OrleansWg;

/// <summary>
/// What an admin account or an API token may do. The four roles of people (and of service
/// accounts) and one narrower scope, <see cref="Metrics"/>, for a scraper.
/// </summary>
public enum AdminRole
{
    /// <summary>Everything, admin accounts and the installation's settings included.</summary>
    Owner,

    /// <summary>Users, servers, policies and the audit log; not admin accounts.</summary>
    Admin,

    /// <summary>A user's password, lock and sessions; nothing else.</summary>
    Helpdesk,

    /// <summary>Reads users, sessions, servers, policies, the audit log and the metrics; changes nothing (and has not the dashboard, which shows grain state).</summary>
    Auditor,

    /// <summary>Reads <c>/metrics</c> only.</summary>
    Metrics,
}

/// <summary>One kind of thing an admin endpoint does; each endpoint needs one.</summary>
public enum AdminPermission
{
    ReadUsers,
    HelpUsers,
    ManageUsers,
    ReadServers,
    ManageServers,
    ReadAudit,
    ReadMetrics,
    ReadDashboard,
    /// <summary>An account's own API tokens (list, make of a role its own covers, revoke) and its own password.</summary>
    ManageOwnAccount,
    ManageAccounts,
}

/// <summary>The table of which role has which permissions: the one place that says it.</summary>
public static class AdminRoles
{
    private static readonly Dictionary<AdminRole, AdminPermission[]> Permissions = new()
    {
        [AdminRole.Owner] = Enum.GetValues<AdminPermission>(),
        [AdminRole.Admin] =
        [
            AdminPermission.ReadUsers, AdminPermission.HelpUsers, AdminPermission.ManageUsers, AdminPermission.ReadServers,
            AdminPermission.ManageServers, AdminPermission.ReadAudit, AdminPermission.ReadMetrics, AdminPermission.ReadDashboard,
            AdminPermission.ManageOwnAccount,
        ],
        [AdminRole.Helpdesk] = [AdminPermission.ReadUsers, AdminPermission.HelpUsers, AdminPermission.ManageOwnAccount],
        [AdminRole.Auditor] =
        [
            AdminPermission.ReadUsers, AdminPermission.ReadServers, AdminPermission.ReadAudit, AdminPermission.ReadMetrics, AdminPermission.ManageOwnAccount,
        ],
        [AdminRole.Metrics] = [AdminPermission.ReadMetrics],
    };

    public static bool Has(this AdminRole role, AdminPermission permission) => Permissions[role].Contains(permission);

    /// <summary>The roles that have <paramref name="permission"/>.</summary>
    public static IEnumerable<AdminRole> With(AdminPermission permission) => Permissions.Keys.Where(role => role.Has(permission));

    /// <summary>Whether <paramref name="role"/> may hand out <paramref name="granted"/>: only what it has itself.</summary>
    public static bool Covers(this AdminRole role, AdminRole granted) => Permissions[granted].All(permission => role.Has(permission));

    /// <summary>The role's name in the API and the audit log: owner, admin, helpdesk, auditor, metrics.</summary>
    public static string Name(this AdminRole role) => role.ToString().ToLowerInvariant();

    /// <summary>Every role's name, for an error that says which are valid.</summary>
    public static string NameList => string.Join(", ", Enum.GetValues<AdminRole>().Select(role => role.Name()));

    public static AdminRole? Parse(string? name) =>
        Enum.GetValues<AdminRole>().Select(role => (AdminRole?)role).FirstOrDefault(role => role!.Value.Name() == name);
}
