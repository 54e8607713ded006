namespace OrleansWg.Grains.Users;

public sealed class UserOptions
{
    public const string Section = "Users";

    public int MaxSessionsPerUser { get; set; } = 5;

    /// <summary>Wrong passwords in a row that lock a user.</summary>
    public int MaxFailedLogins { get; set; } = 5;

    public TimeSpan LockoutPeriod { get; set; } = TimeSpan.FromMinutes(15);
}
