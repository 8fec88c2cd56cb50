using CustomerAdvocateBot.Decisions;
using CustomerAdvocateBot.Common.Storage;
using Microsoft.Extensions.Options;

namespace CustomerAdvocateBot.Tab;

/// <summary>
/// The decision history tab: its static pages under <c>/tab/</c> and its JSON API under <c>/api/tab/</c>
/// (docs/tab.md). Every API call is signed in (<see cref="TabAuthentication"/>), reads only the caller's tenant, and
/// answers a scope or decision the caller may not see exactly as one that does not exist.
/// </summary>
public static class TabEndpoints
{
    // Teams (web, desktop, mobile) and the Microsoft 365 hosts that embed Teams tabs.
    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; "
        + "frame-ancestors 'self' https://teams.microsoft.com https://*.teams.microsoft.com https://*.teams.microsoft.us "
        + "https://*.cloud.microsoft https://*.office.com https://*.microsoft365.com https://outlook.office.com";

    public static IServiceCollection AddDecisionHistoryTab(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddOptions<TabOptions>().BindConfiguration(TabOptions.Section)
            .Validate(o => string.IsNullOrEmpty(o.Host) || Uri.CheckHostName(o.Host) != UriHostNameType.Unknown, "Tab:Host must be a host name (no scheme or path), e.g. app-custadv.azurewebsites.net.")
            .ValidateOnStart();
        services.AddSingleton<TabAccess>();
        services.AddSingleton<TabDecisionReader>();
        services.AddSingleton<PersonIndexBackfill>();
        services.AddHostedService(provider => provider.GetRequiredService<PersonIndexBackfill>());
        services.AddTabAuthentication(configuration, environment);
        return services;
    }

    public static WebApplication MapDecisionHistoryTab(this WebApplication app)
    {
        ReportIdentityMode(app);
        app.UseStaticFiles(new StaticFileOptions
        {
            OnPrepareResponse = context =>
            {
                context.Context.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
                context.Context.Response.Headers.XContentTypeOptions = "nosniff";
                // The bundle's name does not change with its content: revalidate so a deploy is picked up at once.
                context.Context.Response.Headers.CacheControl = "no-cache";
            },
        });
        app.UseAuthentication();
        app.UseAuthorization();

        var api = app.MapGroup("/api/tab").RequireAuthorization(TabAuthentication.Policy);
        api.MapGet("/me", (HttpContext http) => TabUser.From(http.User) is { } user
            ? Results.Ok(new { user.Name, user.TenantId, LocalDevelopment = user.IsLocalDevelopment })
            : Results.Unauthorized());
        api.MapGet("/decisions", ListAsync);
        api.MapGet("/decisions.csv", ExportAsync);
        api.MapGet("/decisions/{id}", ShowAsync);
        return app;
    }

    private static async Task<IResult> ListAsync(HttpContext http, TabAccess access, TabDecisionReader reader, string? scope, string? continuation, int? pageSize, CancellationToken cancellationToken)
    {
        if (await AuthorizeAsync(http, access, scope, "list", null, cancellationToken) is not { } allowed)
        {
            return NotFound();
        }

        var size = Math.Clamp(pageSize ?? TabDecisionReader.DefaultPageSize, 1, 100);
        return Results.Ok(await reader.ReadPageAsync(allowed.User, allowed.Scope, TabQuery.Parse(http.Request.Query), continuation, size, cancellationToken));
    }

    private static async Task<IResult> ExportAsync(HttpContext http, TabAccess access, TabDecisionReader reader, string? scope, CancellationToken cancellationToken)
    {
        if (await AuthorizeAsync(http, access, scope, "export", null, cancellationToken) is not { } allowed)
        {
            return NotFound();
        }

        var query = TabQuery.Parse(http.Request.Query);
        var name = $"decisions-{reader.Today:yyyy-MM-dd}.csv";
        return Results.Stream(
            output => TabCsv.WriteAsync(output, reader.ReadAllAsync(allowed.User, allowed.Scope, query, cancellationToken), cancellationToken),
            "text/csv; charset=utf-8",
            name);
    }

    private static async Task<IResult> ShowAsync(HttpContext http, TabAccess access, TabDecisionReader reader, DecisionStore store, PromptCatalog catalog, string id, string? scope, CancellationToken cancellationToken)
    {
        var decisionId = DecisionIds.Normalize(id);
        if (decisionId is null || await AuthorizeAsync(http, access, scope, "show", decisionId, cancellationToken) is not { } allowed)
        {
            return NotFound();
        }

        var (decision, answers) = await store.ReadAsync(allowed.User.TenantId, decisionId, cancellationToken);
        if (decision is null || !await access.MayShowAsync(allowed.User, allowed.Scope, decision, answers, cancellationToken))
        {
            if (decision is not null)
            {
                Log.Refused(Logger(http), "show", allowed.Scope.Value, decisionId, allowed.User.ObjectId, allowed.User.TenantId);
            }

            return NotFound();
        }

        return Results.Ok(Detail(decision, answers, catalog, reader.Today));
    }

    private static TabDecisionDetail Detail(Decision decision, IReadOnlyList<Answer> answers, PromptCatalog catalog, DateOnly today)
    {
        var prompts = catalog.Prompts.Select(p => new TabPromptAnswers(
            p.Id,
            p.Title,
            p.Question,
            answers.Where(a => a.PromptId == p.Id && !a.IsEmpty)
                .OrderBy(a => a.AnsweredAt)
                .Select(a => new TabAnswer(a.By.Name, a.AnsweredAt, a.Choices.Select(c => p.FindChoice(c)?.Title ?? c).ToList(), a.Text))
                .ToList())).ToList();
        var flags = decision.Verdict?.Flags.Select(f => new TabFlag(f.PromptId, f.Severity.ToString(), f.Reason, f.NextStep)).ToList() ?? [];
        return new TabDecisionDetail(
            TabDecisionRow.From(decision, today),
            prompts,
            AnonymousConcerns: [],
            flags,
            decision.Verdict?.NextSteps.ToList() ?? [],
            decision.OutcomeBy?.Name,
            decision.OutcomeAt,
            decision.CustomerVoice?.Critique);
    }

    private static async Task<(TabUser User, TabScope Scope)?> AuthorizeAsync(HttpContext http, TabAccess access, string? scopeValue, string what, string? decisionId, CancellationToken cancellationToken)
    {
        if (TabUser.From(http.User) is not { } user || TabScope.Parse(scopeValue) is not { } scope)
        {
            return null;
        }

        if (!await access.MayReadScopeAsync(user, scope, cancellationToken))
        {
            Log.Refused(Logger(http), what, scope.Value, decisionId, user.ObjectId, user.TenantId);
            return null;
        }

        return (user, scope);
    }

    // One answer for "does not exist" and "not yours", so a scope or id cannot be probed.
    private static IResult NotFound() => Results.NotFound(new { error = "Not found." });

    private static ILogger Logger(HttpContext http) => http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(TabEndpoints).FullName!);

    private static void ReportIdentityMode(WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(TabEndpoints).FullName!);
        switch (app.Services.GetRequiredService<TabIdentity>().Mode)
        {
            case TabIdentityMode.LocalDevelopment:
                var local = app.Services.GetRequiredService<IOptions<TabOptions>>().Value.LocalIdentity;
                Log.LocalIdentityInUse(logger, local.Name, local.TenantId);
                break;
            case TabIdentityMode.NotConfigured:
                Log.TabNotConfigured(logger);
                break;
        }
    }
}
