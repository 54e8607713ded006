using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace OrleansWg.Gateway.AdminConsole;

/// <summary>
/// Data Protection's key ring in the cluster (<see cref="IKeyRingGrain"/>), so that every Gateway
/// reads the console cookies and antiforgery tokens of every other, and a restart keeps them. Data
/// Protection calls a repository synchronously, and seldom: at the first use, and when a key is due.
/// </summary>
public sealed class ClusterKeyRing(IGrainFactory grains) : IXmlRepository
{
    private IKeyRingGrain Ring => grains.GetGrain<IKeyRingGrain>(0);

    public IReadOnlyCollection<XElement> GetAllElements() => [.. Ring.GetAll().GetAwaiter().GetResult().Select(element => XElement.Parse(element))];

    public void StoreElement(XElement element, string friendlyName) =>
        Ring.Add(friendlyName, element.ToString(SaveOptions.DisableFormatting)).GetAwaiter().GetResult();
}
