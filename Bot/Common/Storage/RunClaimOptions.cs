namespace CustomerAdvocateBot.Common.Storage;

/// <summary>
/// How scheduled work claims a run (<see cref="RunClaimStore"/>). Bound from the <c>Digest</c> section, where these keys
/// have always lived, so existing configuration keeps working; the digest and outcome reviews both read them here.
/// </summary>
public sealed class RunClaimOptions
{
    public const string Section = "Digest";

    /// <summary>How long a claimed run stays with the instance that claimed it; after that another may take over.</summary>
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Names this instance in claims; default: machine name and a random suffix.</summary>
    public string? InstanceId { get; set; }
}
