namespace OrleansWg;

/// <summary>A node's identity in the cluster, as its server issued it.</summary>
/// <param name="CertificatePem">The node's certificate, then the node CA's that signed it.</param>
/// <param name="Credential">The node's role credential (<see cref="RoleCredential"/>), bound to the certificate by its serial number and expiry.</param>
/// <param name="AuthorityPem">The cluster's CA, by which the node knows the silos.</param>
/// <param name="Serial">The certificate's serial number, in hexadecimal.</param>
[GenerateSerializer, Immutable, Alias("owg.NodeIdentity")]
public sealed record NodeIdentity(string CertificatePem, string Credential, string AuthorityPem, string Serial, DateTimeOffset ExpiresAt);

/// <summary>A join token: shown once, good for one enrollment of its server's node until it expires.</summary>
[GenerateSerializer, Immutable, Alias("owg.JoinToken")]
public sealed record JoinToken(string Text, DateTimeOffset ExpiresAt);

public enum EnrollmentRefusal
{
    /// <summary>The token is not the server's, is used, or has expired; or there is no such server. One answer for all, so a guess learns nothing.</summary>
    TokenNotValid,

    /// <summary>The certificate request cannot be read or is not signed by its key.</summary>
    BadRequest,

    /// <summary>A renewal while the node's certificate has more than half its life left: a node renews once two thirds have passed.</summary>
    TooEarly,
}

/// <summary>What an enrollment or a renewal answers: the identity, or why not.</summary>
[GenerateSerializer, Immutable, Alias("owg.NodeEnrollment")]
public sealed record NodeEnrollment(NodeIdentity? Identity, EnrollmentRefusal? Refusal = null, string? Detail = null);
