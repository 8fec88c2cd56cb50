namespace CustomerAdvocateBot.Common.Storage;

/// <summary>
/// Where the tables live: <c>ConnectionStrings:Storage</c> (a connection string; <c>UseDevelopmentStorage=true</c> for
/// Azurite) or <c>Storage:TableServiceUri</c> with the managed identity / DefaultAzureCredential in Azure.
/// </summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";
    public const string ConnectionStringName = "Storage";

    public Uri? TableServiceUri { get; set; }

    /// <summary>Client id of a user-assigned managed identity for <see cref="TableServiceUri"/> (empty: DefaultAzureCredential picks).</summary>
    public string? ManagedIdentityClientId { get; set; }

    /// <summary>Prepended to every table name, so several deployments (or test runs) can share one account.</summary>
    public string TablePrefix { get; set; } = string.Empty;
}
