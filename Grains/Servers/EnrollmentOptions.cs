using System.ComponentModel.DataAnnotations;

namespace OrleansWg.Grains.Servers;

/// <summary>How nodes join: their join tokens and the certificates the silos issue them (<see cref="NodeCertificateIssuer"/>).</summary>
public sealed class EnrollmentOptions
{
    public const string Section = "Enrollment";

    /// <summary>How long a node's certificate and credential last; the node renews them when two thirds of it have passed.</summary>
    [Range(typeof(TimeSpan), "00:00:10", "3650.00:00:00")]
    public TimeSpan CertificateLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How long a join token lasts when the admin asks for none shorter.</summary>
    [Positive]
    public TimeSpan JoinTokenLifetime { get; set; } = TimeSpan.FromHours(24);
}
