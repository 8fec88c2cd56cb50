namespace CustomerAdvocateBot.Decisions;

/// <summary>
/// The judgement AI adds to a completed check. Callers ask <see cref="IsEnabled"/> first and carry on without it: the
/// verdict is always rule-based (<see cref="VerdictRules"/>) and nothing the advisor says feeds it.
/// </summary>
public interface ICustomerAdvocateAdvisor
{
    bool IsEnabled { get; }

    /// <summary>The affected customer's critique of the decision and the strongest risks the answers leave open; null when no usable answer came back (the reason is logged).</summary>
    Task<CustomerVoice?> CustomerVoiceAsync(Decision decision, IReadOnlyList<Answer> answers, PromptCatalog catalog, CancellationToken cancellationToken);

    /// <summary>The drivers (values of <paramref name="drivers"/>' choices) the decision's wording suggests; null when no usable answer came back (the reason is logged).</summary>
    Task<DriverSuggestion?> SuggestDriversAsync(Decision decision, Prompt drivers, CancellationToken cancellationToken);
}

/// <summary>
/// Without AI: no customer's view. The summary card already lists the flags, the unanswered prompts and the next steps, so a
/// templated "customer" repeating them would add noise; the section is simply not there, and nothing looks missing.
/// </summary>
public sealed class WithoutAiAdvisor : ICustomerAdvocateAdvisor
{
    public bool IsEnabled => false;

    public Task<CustomerVoice?> CustomerVoiceAsync(Decision decision, IReadOnlyList<Answer> answers, PromptCatalog catalog, CancellationToken cancellationToken) =>
        Task.FromResult<CustomerVoice?>(null);

    /// <summary>Without AI the drivers prompt is the plain choice it always was: no suggestion, nothing pre-selected.</summary>
    public Task<DriverSuggestion?> SuggestDriversAsync(Decision decision, Prompt drivers, CancellationToken cancellationToken) =>
        Task.FromResult<DriverSuggestion?>(null);
}
