using Microsoft.Extensions.Options;

namespace CustomerAdvocateBot.Advisor;

/// <summary>
/// Optional Azure OpenAI (section <c>AzureOpenAI</c>). With <see cref="Endpoint"/> and <see cref="Deployment"/> set the bot
/// writes the customer's view of completed checks and the digest narrative with the model; without them it uses its
/// rule-based fallbacks and nothing looks missing.
/// </summary>
public sealed class AzureOpenAIOptions
{
    public const string Section = "AzureOpenAI";

    /// <summary>The Azure OpenAI resource, e.g. <c>https://my-resource.openai.azure.com/</c>.</summary>
    public string? Endpoint { get; set; }

    /// <summary>The chat model deployment name.</summary>
    public string? Deployment { get; set; }

    /// <summary>An API key; when empty the bot signs in with DefaultAzureCredential (managed identity in Azure).</summary>
    public string? ApiKey { get; set; }

    /// <summary>The client id of a user-assigned managed identity, when the key is not used.</summary>
    public string? ManagedIdentityClientId { get; set; }

    /// <summary>How long one model call may take, retries included; after it the fallback stands.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(8);

    /// <summary>Cap on the tokens the model may write in one answer.</summary>
    public int MaxOutputTokens { get; set; } = 400;

    /// <summary>
    /// Model calls one tenant may make per clock hour (customer's views and digest narratives together). A team completing
    /// a check every minute of a working hour uses 60; the default leaves twice that.
    /// </summary>
    public int MaxCallsPerTenantPerHour { get; set; } = 120;

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Endpoint) && !string.IsNullOrWhiteSpace(Deployment);
}

/// <summary>Checks the settings only when someone started configuring AI; an empty section is the supported "no AI".</summary>
public sealed class AzureOpenAIOptionsValidator : IValidateOptions<AzureOpenAIOptions>
{
    public ValidateOptionsResult Validate(string? name, AzureOpenAIOptions options)
    {
        var hasEndpoint = !string.IsNullOrWhiteSpace(options.Endpoint);
        var hasDeployment = !string.IsNullOrWhiteSpace(options.Deployment);
        if (!hasEndpoint && !hasDeployment)
        {
            return ValidateOptionsResult.Success;
        }

        var problems = new List<string>();
        if (!hasEndpoint || !hasDeployment)
        {
            problems.Add("AzureOpenAI:Endpoint and AzureOpenAI:Deployment must be set together (leave both empty to run without AI)");
        }

        if (hasEndpoint)
        {
            if (!Uri.TryCreate(options.Endpoint, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            {
                problems.Add($"AzureOpenAI:Endpoint '{options.Endpoint}' is not an absolute https URL");
            }
            else if (uri.Scheme == Uri.UriSchemeHttp && !uri.IsLoopback)
            {
                // The key (or token) would travel in clear text; plain http is only for a local stand-in.
                problems.Add("AzureOpenAI:Endpoint must use https (plain http is accepted for loopback addresses only)");
            }
        }

        if (options.Timeout <= TimeSpan.Zero || options.Timeout > TimeSpan.FromMinutes(1))
        {
            problems.Add("AzureOpenAI:Timeout must be more than zero and at most one minute");
        }

        if (options.MaxCallsPerTenantPerHour is < 1 or > 100_000)
        {
            problems.Add("AzureOpenAI:MaxCallsPerTenantPerHour must be between 1 and 100000");
        }

        if (options.MaxOutputTokens is < 50 or > 4000)
        {
            problems.Add("AzureOpenAI:MaxOutputTokens must be between 50 and 4000");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
