using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CustomerAdvocateBot.BotFramework.Authentication;

/// <summary>Refuses to start with an identity that cannot work, and with auth switched off outside Development.</summary>
public sealed class BotAuthenticationOptionsValidator(IHostEnvironment environment) : IValidateOptions<BotAuthenticationOptions>
{
    public ValidateOptionsResult Validate(string? name, BotAuthenticationOptions options)
    {
        if (options.AuthenticationDisabled)
        {
            return environment.IsDevelopment()
                ? ValidateOptionsResult.Success
                : ValidateOptionsResult.Fail(
                    $"MicrosoftAppId is empty, which turns authentication off. That is allowed only in the Development environment (this is '{environment.EnvironmentName}').");
        }

        var failures = new List<string>();
        if (options.MicrosoftAppType != BotAppType.UserAssignedMSI && string.IsNullOrWhiteSpace(options.MicrosoftAppPassword))
        {
            failures.Add($"MicrosoftAppPassword is required when MicrosoftAppType is {options.MicrosoftAppType}.");
        }

        if (options.MicrosoftAppType != BotAppType.MultiTenant && string.IsNullOrWhiteSpace(options.MicrosoftAppTenantId))
        {
            failures.Add($"MicrosoftAppTenantId is required when MicrosoftAppType is {options.MicrosoftAppType}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
