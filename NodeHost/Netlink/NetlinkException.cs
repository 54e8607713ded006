namespace OrleansWg.NodeHost.Netlink;

/// <summary>
/// The kernel refused a netlink request, or a socket call failed. <see cref="Error"/> is the
/// Linux error number; <see cref="KernelMessage"/> is the kernel's own words when it gave any
/// (its "extended acknowledgement").
/// </summary>
public sealed class NetlinkException(string operation, int error, string? kernelMessage = null)
    : Exception($"{operation}: {Describe(error)}{(kernelMessage is null ? "" : $" ({kernelMessage})")}")
{
    public int Error => error;

    public string? KernelMessage => kernelMessage;

    public bool Is(Errno expected) => error == (int)expected;

    private static string Describe(int error) =>
        Enum.IsDefined((Errno)error) ? $"{(Errno)error} (errno {error})" : $"errno {error}";
}
