using System.Data.Common;

namespace OrleansWg.Grains;

public static class DatabaseFaults
{
    /// <summary>true when the database driver raised <paramref name="exception"/> or one it wraps.</summary>
    public static bool IsDatabaseFault(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e is DbException)
            {
                return true;
            }
        }

        return false;
    }
}
